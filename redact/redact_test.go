package redact

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

func TestURLAndString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://alice:s3cret@feeds.example/rss", "https://xxxxx@feeds.example/rss"},
		{"https://token@feeds.example/rss?x=1", "https://xxxxx@feeds.example/rss?x=1"},
		{"http://feeds.example:8080/rss", "http://feeds.example:8080/rss"},
		{"mailto:someone@example.org", "mailto:someone@example.org"},
		{`fetcher: network: Get "https://a:p%40ss@h.example/f": dial tcp`, `fetcher: network: Get "https://xxxxx@h.example/f": dial tcp`},
		{"two: http://a:b@x.example/ and https://c:d@y.example/", "two: http://xxxxx@x.example/ and https://xxxxx@y.example/"},
		{"no url at all, an @ sign", "no url at all, an @ sign"},
		{"https://feeds.example/a@b", "https://feeds.example/a@b"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Errorf("String = %q, want %q", got, tt.want)
			}
			if !strings.Contains(tt.in, " ") {
				if got := URL(tt.in); got != tt.want {
					t.Errorf("URL = %q, want %q", got, tt.want)
				}
			}
		})
	}
}

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

// Every way a URL can reach a log line comes out redacted.
func TestHandler(t *testing.T) {
	const secret = "hunter2"
	u := "https://alice:" + secret + "@feeds.example/rss"
	pu, _ := url.Parse(u)
	var buf bytes.Buffer
	log := slog.New(Handler(slog.NewTextHandler(&buf, nil))).With("feed", u)
	log.Info("poll "+u,
		"url", u,
		"err", fmt.Errorf("fetch: %w", errors.New("Get \""+u+"\": refused")),
		"stringer", stringer{u},
		"parsed", pu,
		"list", []string{u},
		slog.Group("g", "feed", u))
	log.WithGroup("sub").Warn("x", "feed", u)
	out := buf.String()
	if strings.Contains(out, secret) {
		t.Errorf("the password is in the log:\n%s", out)
	}
	if n := strings.Count(out, "xxxxx@feeds.example"); n < 9 {
		t.Errorf("%d redacted URLs, want 9 or more:\n%s", n, out)
	}
}
