// Package canon normalises article URLs so that one story has one key:
// tracking parameters and fragments go, host case and default ports are
// normalised, and AMP and mobile variants map to the canonical page.
package canon

import (
	"net/url"
	"strings"
)

// URL returns the canonical form of raw, or raw itself when it does not
// parse as an absolute http(s) URL. The result is still fetchable: it
// only drops what never changes the page (tracking parameters, fragment,
// default port, host case).
func URL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "HTTP" && u.Scheme != "HTTPS") {
		return strings.TrimSpace(raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	u.Host = joinHost(host, port)
	if u.Path == "" {
		u.Path = "/"
	}
	u.Fragment = ""
	u.RawFragment = ""
	u.User = nil
	if u.RawQuery != "" {
		var kept []string
		for _, kv := range strings.Split(u.RawQuery, "&") {
			if kv == "" {
				continue
			}
			k := kv
			if i := strings.IndexByte(kv, '='); i >= 0 {
				k = kv[:i]
			}
			if dk, err := url.QueryUnescape(k); err == nil {
				k = dk
			}
			if isTracking(strings.ToLower(k)) {
				continue
			}
			kept = append(kept, kv)
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	u.ForceQuery = false
	return u.String()
}

// joinHost puts a host and a port back together; an IPv6 literal keeps
// its brackets (http://[::1]:9000/x).
func joinHost(host, port string) string {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		return host + ":" + port
	}
	return host
}

func isTracking(k string) bool {
	if tracking()[k] {
		return true
	}
	for _, p := range trackingPrefix {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// Key is a looser form used only to recognise one story under several
// URLs: it also maps AMP and mobile variants (amp.host, m.host, /amp,
// .amp.html, ?amp) and "www." onto one form. It is not meant to be fetched.
func Key(raw string) string {
	c := URL(raw)
	u, err := url.Parse(c)
	if err != nil || u.Host == "" {
		return c
	}
	u.Host = joinHost(bare(u.Hostname()), u.Port())
	u.Scheme = "https"
	p := u.Path
	switch {
	case strings.HasSuffix(p, "/amp/"):
		p = strings.TrimSuffix(p, "amp/")
	case strings.HasSuffix(p, "/amp"):
		p = strings.TrimSuffix(p, "amp")
	case strings.HasSuffix(p, ".amp.html"):
		p = strings.TrimSuffix(p, ".amp.html") + ".html"
	case strings.HasPrefix(p, "/amp/"):
		p = strings.TrimPrefix(p, "/amp")
	}
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	u.Path, u.RawPath = p, ""
	return u.String()
}

// SameSite reports whether a and b share a host once "www." and mobile
// prefixes are set aside; a page's rel=canonical is trusted only then.
func SameSite(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return false
	}
	return bare(ua.Hostname()) == bare(ub.Hostname())
}

func bare(h string) string {
	h = strings.ToLower(h)
	for _, p := range []string{"www.", "amp.", "m.", "mobile."} {
		h = strings.TrimPrefix(h, p)
	}
	return h
}
