package fetcher

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"
)

// specialBlock is one entry of IANA's special-purpose address registries
// (plus multicast and the deprecated blocks that still route somewhere
// private). Every address in such a block is refused unless the request
// trusts the host:port being fetched.
type specialBlock struct {
	Prefix netip.Prefix
	Name   string
	// Embeds says the block carries an IPv4 address in its low 32 bits;
	// the address is then judged by the IPv4 it embeds (NAT64's
	// well-known prefix, which a DNS64 network hands out for every
	// IPv4-only site).
	Embeds bool
}

func mustBlock(cidr, name string) specialBlock {
	return specialBlock{Prefix: netip.MustParsePrefix(cidr), Name: name}
}

// SpecialBlocks lists what the guard refuses. IPv4 from
// https://www.iana.org/assignments/iana-ipv4-special-registry, IPv6 from
// https://www.iana.org/assignments/iana-ipv6-special-registry (both as of
// 2025), with multicast added. Blocks the registry marks globally
// reachable (AS112, AMT, anycast services) are refused too: no news
// site lives there.
var specialBlocks = []specialBlock{
	// IPv4
	mustBlock("0.0.0.0/8", "this network"),
	mustBlock("10.0.0.0/8", "private-use"),
	mustBlock("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
	mustBlock("127.0.0.0/8", "loopback"),
	mustBlock("169.254.0.0/16", "link-local"),
	mustBlock("172.16.0.0/12", "private-use"),
	mustBlock("192.0.0.0/24", "IETF protocol assignments"),
	mustBlock("192.0.2.0/24", "documentation (TEST-NET-1)"),
	mustBlock("192.31.196.0/24", "AS112-v4"),
	mustBlock("192.52.193.0/24", "AMT"),
	mustBlock("192.88.99.0/24", "deprecated 6to4 relay anycast"),
	mustBlock("192.168.0.0/16", "private-use"),
	mustBlock("192.175.48.0/24", "direct delegation AS112 service"),
	mustBlock("198.18.0.0/15", "benchmarking"),
	mustBlock("198.51.100.0/24", "documentation (TEST-NET-2)"),
	mustBlock("203.0.113.0/24", "documentation (TEST-NET-3)"),
	mustBlock("224.0.0.0/4", "multicast"),
	mustBlock("255.255.255.255/32", "limited broadcast"),
	mustBlock("240.0.0.0/4", "reserved"),
	// IPv6
	mustBlock("::/128", "unspecified"),
	mustBlock("::1/128", "loopback"),
	mustBlock("::/96", "deprecated IPv4-compatible"),
	{Prefix: netip.MustParsePrefix("64:ff9b::/96"), Name: "NAT64 well-known prefix", Embeds: true},
	mustBlock("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
	mustBlock("100::/64", "discard-only"),
	mustBlock("100:0:0:1::/64", "dummy IPv6 prefix"),
	mustBlock("2001::/23", "IETF protocol assignments (incl. Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID)"),
	mustBlock("2001:db8::/32", "documentation"),
	mustBlock("2002::/16", "6to4 (embeds an IPv4 address)"),
	mustBlock("2620:4f:8000::/48", "direct delegation AS112 service"),
	mustBlock("3fff::/20", "documentation"),
	mustBlock("5f00::/16", "segment routing (SRv6) SIDs"),
	mustBlock("fc00::/7", "unique-local"),
	mustBlock("fe80::/10", "link-local"),
	mustBlock("fec0::/10", "deprecated site-local"),
	mustBlock("ff00::/8", "multicast"),
}

// Special reports whether ip is in a special-purpose block, and which.
// IPv4-mapped IPv6 addresses are judged as IPv4, NAT64 addresses by the
// IPv4 they embed.
func Special(ip netip.Addr) (bool, string) {
	ip = ip.Unmap().WithZone("")
	if !ip.IsValid() {
		return true, "invalid address"
	}
	for _, b := range specialBlocks {
		if !b.Prefix.Contains(ip) {
			continue
		}
		if b.Embeds {
			a := ip.As16()
			v4 := netip.AddrFrom4([4]byte{a[12], a[13], a[14], a[15]})
			if bad, why := Special(v4); bad {
				return true, fmt.Sprintf("%s embedding %s (%s)", b.Name, v4, why)
			}
			return false, ""
		}
		return true, b.Name
	}
	return false, ""
}

// refuseSpecial is the dial-time guard of the public transport: it sees
// the address actually connected to, after name resolution, so DNS
// rebinding cannot slip past it.
func refuseSpecial(_ context.Context, _, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refusing to connect to unparsable address %q", address)
	}
	if bad, why := Special(ap.Addr()); bad {
		return fmt.Errorf("refusing to connect to %s: %s address", ap.Addr(), why)
	}
	return nil
}

// trustKey is the host:port a URL is fetched from, lower case, with the
// scheme's default port made explicit.
func trustKey(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case "https":
			port = "443"
		default:
			port = "80"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// TrustKeys turns Request.Trusted entries into host:port keys. An entry
// is a URL ("https://feeds.example:8443/rss": its host and port), a
// host:port, or a bare host name, which means ports 80 and 443 only.
func TrustKeys(entries []string) map[string]bool {
	out := map[string]bool{}
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if strings.Contains(e, "://") {
			if u, err := url.Parse(e); err == nil && u.Host != "" {
				out[trustKey(u)] = true
			}
			continue
		}
		if h, p, err := net.SplitHostPort(e); err == nil {
			out[net.JoinHostPort(strings.ToLower(h), p)] = true
			continue
		}
		h := strings.ToLower(strings.Trim(e, "[]"))
		out[net.JoinHostPort(h, "80")] = true
		out[net.JoinHostPort(h, "443")] = true
	}
	return out
}

type trustSetKey struct{}

// router sends each request, every redirect hop on its own, to a
// connection pool: the guarded public pool, or the pool of the one
// trusted host:port it targets when the request trusts it. A pool for a
// trusted host serves no other host, so no request can ride a connection
// that was allowed for another outlet's private feed host.
type router struct {
	newTransport func(guarded bool) *http.Transport
	public       *http.Transport
	mu           sync.Mutex
	trusted      map[string]*http.Transport
}

func (rt *router) RoundTrip(req *http.Request) (*http.Response, error) {
	set, _ := req.Context().Value(trustSetKey{}).(map[string]bool)
	key := trustKey(req.URL)
	if !set[key] {
		return rt.public.RoundTrip(req)
	}
	rt.mu.Lock()
	tr := rt.trusted[key]
	if tr == nil {
		tr = rt.newTransport(false)
		rt.trusted[key] = tr
	}
	rt.mu.Unlock()
	return tr.RoundTrip(req)
}

// CloseIdleConnections closes every pool's idle connections.
func (rt *router) CloseIdleConnections() {
	rt.public.CloseIdleConnections()
	rt.mu.Lock()
	defer rt.mu.Unlock()
	for _, tr := range rt.trusted {
		tr.CloseIdleConnections()
	}
}

func newRouter(opt Options) *router {
	mk := func(guarded bool) *http.Transport {
		dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
		if guarded && !opt.AllowPrivate {
			dialer.ControlContext = refuseSpecial
		}
		return &http.Transport{
			Proxy:                 nil, // a proxy would hide the real address from the guard
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: opt.Timeout,
			IdleConnTimeout:       60 * time.Second,
			MaxIdleConnsPerHost:   opt.PerHostConns,
			MaxConnsPerHost:       opt.PerHostConns * 2,
			DisableCompression:    true, // we decompress, so that we can cap the decompressed size
			ForceAttemptHTTP2:     true,
		}
	}
	return &router{newTransport: mk, public: mk(true), trusted: map[string]*http.Transport{}}
}
