// Package redact hides the credentials a URL may carry (the userinfo of
// https://user:password@host/) wherever feedvault prints or logs one: a
// feed URL with a password must never reach a log line or an output in
// clear. It depends on the standard library only.
package redact

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"sync"
)

// Mask replaces the userinfo.
const Mask = "xxxxx"

// URL returns u with its userinfo, if any, replaced by Mask. A string
// that does not parse as a URL is redacted as text.
func URL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return String(u)
	}
	p.User = url.User(Mask)
	return p.String()
}

// userinfo matches "scheme://userinfo@" inside any text: an error
// message, a log value. It is compiled on first use, not at init: most
// strings hold no "@" and never need it.
var userinfo = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\s"'<>]+@`)
})

// String replaces the userinfo of every URL in s.
func String(s string) string {
	if !containsAt(s) {
		return s
	}
	return userinfo().ReplaceAllString(s, "${1}"+Mask+"@")
}

func containsAt(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '@' {
			return true
		}
	}
	return false
}

// Handler wraps h so that every message and attribute it writes has its
// URLs' userinfo redacted: strings, errors, Stringers and groups.
func Handler(h slog.Handler) slog.Handler { return handler{h} }

type handler struct{ h slog.Handler }

func (r handler) Enabled(ctx context.Context, l slog.Level) bool { return r.h.Enabled(ctx, l) }

func (r handler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(attr(a))
		return true
	})
	return r.h.Handle(ctx, out)
}

func (r handler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = attr(a)
	}
	return handler{r.h.WithAttrs(red)}
}

func (r handler) WithGroup(name string) slog.Handler { return handler{r.h.WithGroup(name)} }

func attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, String(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, x := range g {
			red[i] = attr(x)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, String(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, String(x.String()))
		case []string:
			red := make([]string, len(x))
			for i, s := range x {
				red[i] = String(s)
			}
			return slog.Any(a.Key, red)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
