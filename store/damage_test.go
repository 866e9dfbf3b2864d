package store

import (
	"errors"
	"strings"
	"testing"
)

// A damaged page met while reading says what to do; check, which is
// what it says to run, prints the damage without that advice.
func TestDamageDetailDropsTheAdvice(t *testing.T) {
	var err error
	func() {
		defer guard("x.db", &err)()
		panic("page 7: bad")
	}()
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "feedvault recover") {
		t.Fatalf("guard's error: %v", err)
	}
	if d := DamageDetail(err); strings.Contains(d, "feedvault check") || !strings.Contains(d, "x.db") || !strings.Contains(d, "page 7: bad") {
		t.Errorf("detail: %q", d)
	}
	if d := DamageDetail(ErrBusy); d != ErrBusy.Error() {
		t.Errorf("another error's detail: %q", d)
	}
}
