// Tracking parameters: the query parameters that only say how a reader
// came to a page, never which page it is.

package canon

import (
	"strings"
	"sync"
)

// tidyURLGlobal is the "Global" rule list of tidy-url 1.10.1
// (npm @protontech/tidy-url, https://github.com/DrKain/tidy-url),
// Copyright (c) 2021 DrKain, MIT License (see LICENSE.tidy-url in this
// directory): the parameters it strips from every URL. It is kept
// verbatim, comments included; to update it, take the Global rules of
// data/rules.js from a newer release of the package.
var tidyURLGlobal = []string{
	// https://en.wikipedia.org/wiki/UTM_parameters
	"utm_source", "utm_medium", "utm_term", "utm_campaign",
	"utm_content", "utm_name", "utm_cid", "utm_reader", "utm_viz_id",
	"utm_pubreferrer", "utm_swu", "utm_social-type", "utm_brand",
	"utm_team", "utm_feeditemid", "utm_id", "utm_marketing_tactic",
	"utm_creative_format", "utm_campaign_id", "utm_source_platform",
	"utm_timestamp", "utm_souce",
	// ITM parameters, a variant of UTM parameters
	"itm_source", "itm_medium", "itm_term", "itm_campaign", "itm_content",
	"itm_channel", "itm_source_s", "itm_medium_s", "itm_campaign_s",
	"itm_audience",
	// INT parameters, another variant of UTM
	"int_source", "int_cmp_name", "int_cmp_id", "int_cmp_creative",
	"int_medium", "int_campaign",
	// piwik (https://github.com/DrKain/tidy-url/issues/49)
	"pk_campaign", "pk_cpn", "pk_source", "pk_medium",
	"pk_keyword", "pk_kwd", "pk_content", "pk_cid",
	"piwik_campaign", "piwik_cpn", "piwik_source", "piwik_medium",
	"piwik_keyword", "piwik_kwd", "piwik_content", "piwik_cid",
	// Google Ads
	"gclid", "ga_source", "ga_medium", "ga_term", "ga_content", "ga_campaign",
	"ga_place", "gclid", "gclsrc",
	// https://github.com/DrKain/tidy-url/issues/21
	"hsa_cam", "hsa_grp", "hsa_mt", "hsa_src", "hsa_ad", "hsa_acc",
	"hsa_net", "hsa_kw", "hsa_tgt", "hsa_ver", "hsa_la", "hsa_ol",
	// Facebook
	"fbclid",
	// Olytics
	"oly_enc_id", "oly_anon_id",
	// Vero
	"vero_id", "vero_conv",
	// Drip
	"__s",
	// HubSpot
	"_hsenc", "_hsmi", "__hssc", "__hstc", "__hsfp", "hsCtaTracking",
	// Marketo
	"mkt_tok",
	// Matomo (https://github.com/DrKain/tidy-url/issues/47)
	"mtm_campaign", "mtm_keyword", "mtm_kwd", "mtm_source", "mtm_medium",
	"mtm_content", "mtm_cid", "mtm_group", "mtm_placement",
	// Oracle Eloqua
	"elqTrackId", "elq", "elqaid", "elqat", "elqCampaignId", "elqTrack",
	// MailChimp
	"mc_cid", "mc_eid",
	// Other
	"ncid", "cmpid", "mbid",
	// Reddit Ads (https://github.com/DrKain/tidy-url/issues/31)
	"rdt_cid",
}

// feedvaultTracking are parameters news sites add for sharing and
// newsletter links, found in feeds feedvault archives and not in
// tidy-url's global list (tidy-url strips some of them for single sites).
var feedvaultTracking = []string{
	"ref", "ref_src", "ref_url",
	"dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "igshid", "srsltid",
	"_ga", "_gl", "ocid", "icid", "wprss", "spm", "ito", "xtor", "s_cid", "cmp", "smid",
	"amp", "outputtype", "__twitter_impression", "ftag", "fb_source", "fb_ref", "fb_action_ids",
	"fb_action_types", "mc_tc", "ml_subscriber", "ml_subscriber_hash", "rb_clickid", "wickedid",
	"at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4",
	"traffic_source", "guccounter", "guce_referrer", "guce_referrer_sig",
}

// trackingPrefix are families of parameters stripped by prefix.
var trackingPrefix = []string{"utm_", "itm_", "ns_", "at_", "pk_", "piwik_", "mtm_", "hsa_", "oly_", "vero_", "_hs", "__hs"}

// Not tracking, though they look like it: rss, feature, share, src,
// source and cid select content on some news sites.

// tracking is every exact name above, lower-cased (see trackingNames),
// built on first use: most processes canonicalise no URL.
var tracking = sync.OnceValue(trackingNames)

// trackingNames is every exact name above, lower-cased: parameter names
// are compared lower-cased.
func trackingNames() map[string]bool {
	m := make(map[string]bool, len(tidyURLGlobal)+len(feedvaultTracking))
	for _, l := range [][]string{tidyURLGlobal, feedvaultTracking} {
		for _, k := range l {
			m[strings.ToLower(k)] = true
		}
	}
	return m
}
