package fetcher

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// TestSpecialBlocks checks one address inside every special-purpose
// block (its first and its last address), and that public addresses,
// including NAT64 and mapped forms of public IPv4, pass.
func TestSpecialBlocks(t *testing.T) {
	tests := []struct {
		addr    string
		refused bool
		why     string // part of the reason
	}{
		{"0.0.0.1", true, "this network"},
		{"10.1.2.3", true, "private"},
		{"100.64.0.1", true, "carrier-grade NAT"},
		{"100.127.255.254", true, "carrier-grade NAT"},
		{"127.0.0.1", true, "loopback"},
		{"127.255.0.9", true, "loopback"},
		{"169.254.169.254", true, "link-local"},
		{"172.16.0.1", true, "private"},
		{"172.31.255.255", true, "private"},
		{"192.0.0.8", true, "IETF"},
		{"192.0.0.170", true, "IETF"},
		{"192.0.2.1", true, "TEST-NET-1"},
		{"192.31.196.1", true, "AS112"},
		{"192.52.193.1", true, "AMT"},
		{"192.88.99.1", true, "6to4 relay"},
		{"192.168.1.1", true, "private"},
		{"192.175.48.1", true, "AS112"},
		{"198.18.0.1", true, "benchmarking"},
		{"198.19.255.254", true, "benchmarking"},
		{"198.51.100.7", true, "TEST-NET-2"},
		{"203.0.113.9", true, "TEST-NET-3"},
		{"224.0.0.1", true, "multicast"},
		{"239.255.255.250", true, "multicast"},
		{"240.0.0.1", true, "reserved"},
		{"255.255.255.255", true, "broadcast"},
		{"::", true, "unspecified"},
		{"::1", true, "loopback"},
		{"::7f00:1", true, "IPv4-compatible"},
		{"::ffff:127.0.0.1", true, "loopback"},
		{"::ffff:10.0.0.1", true, "private"},
		{"64:ff9b::7f00:1", true, "NAT64"},
		{"64:ff9b::a9fe:a9fe", true, "link-local"},
		{"64:ff9b:1::1", true, "local-use"},
		{"100::1", true, "discard"},
		{"100:0:0:1::1", true, "dummy"},
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", true, "Teredo"},
		{"2001:2::1", true, "benchmarking"},
		{"2001:20::1", true, "ORCHID"},
		{"2001:db8::1", true, "documentation"},
		{"2002:7f00:1::1", true, "6to4"},
		{"2002:c0a8:101::1", true, "6to4"},
		{"2620:4f:8000::1", true, "AS112"},
		{"3fff::1", true, "documentation"},
		{"5f00::1", true, "SRv6"},
		{"fc00::1", true, "unique-local"},
		{"fd12:3456::1", true, "unique-local"},
		{"fe80::1", true, "link-local"},
		{"fec0::1", true, "site-local"},
		{"ff02::1", true, "multicast"},
		{"8.8.8.8", false, ""},
		{"93.184.215.14", false, ""},
		{"100.63.255.255", false, ""},
		{"100.128.0.0", false, ""},
		{"198.20.0.1", false, ""},
		{"::ffff:8.8.8.8", false, ""},
		{"64:ff9b::808:808", false, ""},
		{"2606:4700::6810:84e5", false, ""},
		{"2a00:1450:4001:82b::200e", false, ""},
	}
	covered := map[netip.Prefix]bool{}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			ip := netip.MustParseAddr(tt.addr)
			bad, why := Special(ip)
			if bad != tt.refused || !strings.Contains(why, tt.why) {
				t.Errorf("Special(%s) = %v %q, want %v with %q", tt.addr, bad, why, tt.refused, tt.why)
			}
			err := refuseSpecial(context.Background(), "tcp", netip.AddrPortFrom(ip, 80).String(), nil)
			if (err != nil) != tt.refused {
				t.Errorf("dial guard on %s: %v, want refused=%v", tt.addr, err, tt.refused)
			}
		})
		ip := netip.MustParseAddr(tt.addr).Unmap()
		for _, b := range specialBlocks {
			if tt.refused && b.Prefix.Contains(ip) {
				covered[b.Prefix] = true
			}
		}
	}
	for _, b := range specialBlocks {
		if !covered[b.Prefix] {
			t.Errorf("block %s (%s) has no test address", b.Prefix, b.Name)
		}
		// The block's first address is refused too.
		if bad, _ := Special(b.Prefix.Addr()); !bad && !b.Embeds {
			t.Errorf("first address of %s passes the guard", b.Prefix)
		}
	}
}

func TestTrustKeys(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{[]string{"https://Feeds.Example/rss"}, []string{"feeds.example:443"}},
		{[]string{"http://feeds.example:8080/rss"}, []string{"feeds.example:8080"}},
		{[]string{"http://[::1]:9000/x"}, []string{"[::1]:9000"}},
		{[]string{"127.0.0.1:5000"}, []string{"127.0.0.1:5000"}},
		{[]string{"intranet"}, []string{"intranet:80", "intranet:443"}},
		{[]string{"", " "}, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.in, ","), func(t *testing.T) {
			got := TrustKeys(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("TrustKeys(%q) = %v, want %v", tt.in, got, tt.want)
			}
			for _, k := range tt.want {
				if !got[k] {
					t.Errorf("TrustKeys(%q) = %v, lacks %s", tt.in, got, k)
				}
			}
		})
	}
}

// TestAttacks is the fetcher's part of the security suite: each attack,
// and the refusal it must get.
func TestAttacks(t *testing.T) {
	private := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/redirect/"):
			http.Redirect(w, r, "http://"+strings.TrimPrefix(r.URL.Path, "/redirect/")+"/", http.StatusFound)
		default:
			fmt.Fprint(w, "secret of outlet A")
		}
	}))
	defer private.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "outlet B's feed")
	}))
	defer other.Close()
	a, b := hostOf(t, private), hostOf(t, other)
	c := New(Options{UserAgent: "feedvault-test"})
	ctx := context.Background()

	// Outlet A's own fetch opens a keep-alive connection to its private
	// feed host, which the attacks below must not ride.
	if r, err := c.Get(ctx, Request{URL: private.URL + "/feed", Trusted: []string{a}}); err != nil || string(r.Body) != "secret of outlet A" {
		t.Fatalf("outlet A's own feed: %v", err)
	}
	tests := []struct {
		name    string
		url     string
		trusted []string
		why     string // part of the refusal
	}{
		{"link in outlet B to outlet A's private host (connection reuse)", private.URL + "/article", []string{b}, "loopback"},
		{"untrusted loopback", private.URL + "/x", nil, "loopback"},
		{"trusted host name on another port", other.URL + "/x", []string{a}, "loopback"},
		{"bare trusted host name does not cover a random port", private.URL + "/x", []string{"127.0.0.1"}, "loopback"},
		{"redirect from a trusted host to carrier-grade NAT", private.URL + "/redirect/100.64.0.1", []string{a}, "carrier-grade NAT"},
		{"redirect to benchmarking range", private.URL + "/redirect/198.18.0.1", []string{a}, "benchmarking"},
		{"redirect to NAT64 of loopback", private.URL + "/redirect/[64:ff9b::7f00:1]", []string{a}, "NAT64"},
		{"redirect to IPv4-mapped loopback", private.URL + "/redirect/[::ffff:127.0.0.1]:1", []string{a}, "loopback"},
		{"redirect to cloud metadata", private.URL + "/redirect/169.254.169.254", []string{a}, "link-local"},
		{"redirect to 6to4 of a private address", private.URL + "/redirect/[2002:c0a8:101::1]", []string{a}, "6to4"},
		{"redirect to the trusted host on another port", private.URL + "/redirect/" + b, []string{a}, "loopback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Get(ctx, Request{URL: tt.url, Trusted: tt.trusted})
			var fe *Error
			if !errors.As(err, &fe) || fe.Class != ClassRefused || !strings.Contains(err.Error(), tt.why) {
				body := ""
				if resp != nil {
					body = string(resp.Body)
				}
				t.Fatalf("got %v (body %q), want class refused mentioning %q", err, body, tt.why)
			}
		})
	}
	// And the trusted fetch still works after all that.
	if _, err := c.Get(ctx, Request{URL: other.URL, Trusted: []string{b}}); err != nil {
		t.Errorf("outlet B's own feed: %v", err)
	}
}
