//go:build !linux

package archiveapi

import "os"

// fdPeerUID has no SO_PEERCRED outside Linux; the socket's 0600 mode and
// private directory are then the only guard, and the peer is taken to be
// this user.
func fdPeerUID(fd int) (int, error) { return os.Getuid(), nil }
