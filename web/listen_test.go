package web

import (
	"net"
	"strings"
	"testing"
)

// An address the workbench cannot take says what to do, not only the
// OS's "bind: address already in use".
func TestListenSaysWhatToDo(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	tests := []struct {
		name, addr, want string
	}{
		{"in use", taken.Addr().String(), "another program listens there (ss -ltnp names it); give another port"},
		{"not this machine's", "192.0.2.1:0", "no interface of this machine has that address"}, // TEST-NET-1
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := Listen(tt.addr)
			if err == nil {
				ln.Close()
				t.Fatalf("listened on %s", tt.addr)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.addr) {
				t.Errorf("%v\nwant %q and the address", err, tt.want)
			}
		})
	}
}
