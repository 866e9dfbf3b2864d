package quality

import (
	"hash/fnv"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// The WCXB pages are split by site into two fixed halves: the extractor is
// tuned on one and judged on the other, so that a figure on the validation
// half predicts pages from sites it has never seen. A page's site is the
// registrable domain of its URL (eTLD+1: news.bbc.co.uk and www.bbc.co.uk
// are one site), and its half is the parity of the FNV-1a hash of that
// name. The rule is data-independent: adding pages never moves a site.
const (
	Tuning     = "tuning"
	Validation = "validation"
)

// Site is the registrable domain of a page URL, lower-cased; the host
// itself when it has no public suffix (an IP address, localhost).
func Site(pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// Half tells which half of the split a page belongs to.
func Half(pageURL string) string {
	h := fnv.New32a()
	h.Write([]byte(Site(pageURL)))
	if h.Sum32()%2 == 0 {
		return Tuning
	}
	return Validation
}
