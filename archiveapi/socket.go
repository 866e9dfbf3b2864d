package archiveapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// maxSocketPath is what fits in sockaddr_un (108 on Linux, 104 on BSD)
// with room to spare.
const maxSocketPath = 100

// Resolve is the archive's real path: absolute, symbolic links followed
// (the file's own, or its directory's when the file does not exist yet).
// Every name of the same archive gets the same socket.
func Resolve(dbPath string) string {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return dbPath
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(d, filepath.Base(abs))
	}
	return abs
}

// SocketPath is where the process holding dbPath serves the CLI: beside
// the resolved archive as DB.sock, or, when that path is too long for a
// Unix socket, in the user's private socket directory (PrivateDir) under
// a name derived from the resolved path.
func SocketPath(dbPath string) string {
	real := Resolve(dbPath)
	p := real + ".sock"
	if len(p) < maxSocketPath {
		return p
	}
	sum := sha256.Sum256([]byte(real))
	return filepath.Join(privateDirPath(), "db-"+hex.EncodeToString(sum[:8])+".sock")
}

// privateDirPath is $XDG_RUNTIME_DIR/feedvault when XDG_RUNTIME_DIR is
// set, else feedvault-UID in the temporary directory.
func privateDirPath() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "feedvault")
	}
	return filepath.Join(os.TempDir(), "feedvault-"+strconv.Itoa(os.Getuid()))
}

// PrivateDir returns the user's private socket directory, creating it
// 0700 when missing, and refuses it unless it is a real directory (not
// a link) owned by this user and closed to everyone else: another user
// who made it first cannot plant a socket there.
func PrivateDir() (string, error) {
	d := privateDirPath()
	if err := os.Mkdir(d, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("archiveapi: socket directory: %w", err)
	}
	if err := checkPrivate(d); err != nil {
		return "", err
	}
	return d, nil
}

func checkPrivate(d string) error {
	fi, err := os.Lstat(d)
	if err != nil {
		return fmt.Errorf("archiveapi: socket directory: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case !fi.IsDir():
		return fmt.Errorf("archiveapi: socket directory %s is not a directory (a link?); refusing it", d)
	case !ok:
		return fmt.Errorf("%w: cannot read the owner of socket directory %s", ErrImpostor, d)
	case int(st.Uid) != os.Getuid():
		return fmt.Errorf("%w: socket directory %s belongs to uid %d, not to you (uid %d); remove it or set XDG_RUNTIME_DIR",
			ErrImpostor, d, st.Uid, os.Getuid())
	case fi.Mode().Perm()&0o077 != 0:
		return fmt.Errorf("%w: socket directory %s has mode %o; it must be 0700", ErrImpostor, d, fi.Mode().Perm())
	}
	return nil
}

// inSocketDir reports whether path is in the private directory, whose
// ownership must then be checked.
func inSocketDir(path string) bool {
	return filepath.Dir(path) == privateDirPath()
}

// aliasPath names the socket by the archive's device and inode, so that
// a hard link to the archive finds the daemon too.
func aliasPath(dbPath string) (string, bool) {
	fi, err := os.Stat(dbPath)
	if err != nil {
		return "", false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return "", false
	}
	return filepath.Join(privateDirPath(), fmt.Sprintf("ino-%x-%x", uint64(st.Dev), uint64(st.Ino))), true
}

// listenPrivate creates the Unix socket at path with mode 0600 and no
// window in which another user could connect: it is made in a fresh 0700
// directory beside path, chmod-ed there, then renamed into place. (A
// umask would do the same, but the umask is process-wide state.)
func listenPrivate(path string) (*net.UnixListener, error) {
	tmpDir, err := os.MkdirTemp(filepath.Dir(path), ".feedvault-sock-")
	if err != nil {
		return nil, fmt.Errorf("archiveapi: listen: %w", err)
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, "s")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("archiveapi: listen: %w", err)
	}
	ln.SetUnlinkOnClose(false) // the socket moves; the server removes it
	if err := os.Chmod(tmp, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("archiveapi: listen: %w", err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		ln.Close()
		return nil, fmt.Errorf("archiveapi: remove stale socket: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		ln.Close()
		return nil, fmt.Errorf("archiveapi: listen: %w", err)
	}
	return ln, nil
}

// peerUID is the uid of the process at the other end of a Unix socket.
func peerUID(c net.Conn) (int, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return -1, errors.New("not a Unix socket")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return -1, err
	}
	uid := -1
	var serr error
	if err := raw.Control(func(fd uintptr) { uid, serr = fdPeerUID(int(fd)) }); err != nil {
		return -1, err
	}
	return uid, serr
}

// sameUser fails unless the peer runs as this process's user.
func sameUser(c net.Conn) error {
	uid, err := peerUID(c)
	if err != nil {
		return fmt.Errorf("%w: cannot read the peer's credentials: %v", ErrImpostor, err)
	}
	if uid != os.Getuid() {
		return fmt.Errorf("%w: the peer runs as uid %d, not as you (uid %d)", ErrImpostor, uid, os.Getuid())
	}
	return nil
}

// peerListener drops every connection from another user.
type peerListener struct {
	*net.UnixListener
	refused func(error)
}

func (l peerListener) Accept() (net.Conn, error) {
	for {
		c, err := l.UnixListener.Accept()
		if err != nil {
			return nil, err
		}
		if err := sameUser(c); err != nil {
			l.refused(err)
			c.Close()
			continue
		}
		return c, nil
	}
}

// dialSocket connects to the socket at path and checks that its server
// runs as this user.
func dialSocket(ctx context.Context, path string) (net.Conn, error) {
	if inSocketDir(path) {
		if err := checkPrivate(filepath.Dir(path)); err != nil {
			return nil, err
		}
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, err
	}
	if err := sameUser(c); err != nil {
		c.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
