package archiveapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/feedvault/feedvault/store"
)

// findSocket is the socket serving dbPath: the one its resolved path
// names, else the one its inode names (a hard link to a served archive).
func findSocket(dbPath string) (string, error) {
	path := SocketPath(dbPath)
	_, err := os.Stat(path)
	if err == nil {
		return path, nil
	}
	if alias, ok := aliasPath(dbPath); ok {
		if t, lerr := os.Readlink(alias); lerr == nil {
			if cerr := checkPrivate(filepath.Dir(alias)); cerr != nil {
				return "", cerr
			}
			if _, serr := os.Stat(t); serr == nil {
				return t, nil
			}
		}
	}
	return "", err
}

// Dial connects to the process serving dbPath. It fails with ErrImpostor
// when the socket is served by another user.
func Dial(ctx context.Context, dbPath string) (Reader, error) {
	path, err := findSocket(dbPath)
	if err != nil {
		return nil, err
	}
	c := &remote{path: path, hc: &http.Client{
		Transport: &http.Transport{
			DialContext:     func(ctx context.Context, _, _ string) (net.Conn, error) { return dialSocket(ctx, path) },
			MaxIdleConns:    4,
			IdleConnTimeout: 20 * time.Second,
		},
	}}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var st Status
	if err := c.call(pctx, "ping", struct{}{}, &st); err != nil {
		// A daemon older than ping answers status.
		if _, err := c.Status(pctx); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

type remote struct {
	path string
	hc   *http.Client
}

func (c *remote) Via() string  { return "socket " + c.path }
func (c *remote) Close() error { c.hc.CloseIdleConnections(); return nil }

// post sends one request; a reply other than 200 becomes its error.
func (c *remote) post(ctx context.Context, op string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://feedvault/v1/"+op, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() == nil && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
			errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)) {
			// The daemon stopped (or was killed) while it had the
			// request: it never answered, whatever it had done.
			return nil, goneError{fmt.Errorf("archiveapi: %s: the process serving %s closed the connection before it answered (it stopped, or was killed): %w; what it committed is kept: run the command again ('feedvault check' tells the archive's state)", op, c.path, err)}
		}
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) {
			// It was there when this client dialled: the daemon stopped.
			return nil, goneError{fmt.Errorf("archiveapi: %s: no process serves the archive on %s any more (the daemon stopped?): %w; start it again, or run the command again (with no daemon it reads the file)", op, c.path, err)}
		}
		return nil, fmt.Errorf("archiveapi: %s: %w", op, err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var er errorReply
	if json.Unmarshal(msg, &er) != nil || er.Code == "" {
		return nil, fmt.Errorf("archiveapi: %s: the daemon says %s: %s", op, resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil, &remoteError{code: er.Code, msg: er.Error}
}

func jsonBody(v any) (io.Reader, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(b), nil
}

// call sends req as JSON and decodes the JSON reply into out.
func (c *remote) call(ctx context.Context, op string, req, out any) error {
	body, err := jsonBody(req)
	if err != nil {
		return err
	}
	resp, err := c.post(ctx, op, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("archiveapi: %s: decode reply: %w", op, err)
	}
	return nil
}

func (c *remote) op(ctx context.Context, name string, params []byte, body io.Reader, out any) error {
	head, err := json.Marshal(OpRequest{Name: name, Params: params})
	if err != nil {
		return err
	}
	rd := io.Reader(bytes.NewReader(append(head, '\n')))
	if body != nil {
		rd = io.MultiReader(rd, body)
	}
	resp, err := c.post(ctx, "op", rd)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("archiveapi: op %s: decode reply: %w", name, err)
	}
	return nil
}

// Query reads the streamed listing; a stream without its end line is an
// error, never a short result.
func (c *remote) Query(ctx context.Context, q QueryRequest) ([]*store.Article, error) {
	body, err := jsonBody(q.inRange()) // JSON carries the years 0 to 9999 only
	if err != nil {
		return nil, err
	}
	resp, err := c.post(ctx, "query", body)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	var out []*store.Article
	for {
		var l streamLine
		if err := dec.Decode(&l); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			err = fmt.Errorf("archiveapi: query: reply cut short after %d articles: %w", len(out), err)
			if ctx.Err() == nil && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)) {
				err = goneError{err} // the daemon stopped as it answered
			}
			return nil, err
		}
		switch {
		case l.End && l.Error != "":
			return nil, &remoteError{code: l.Code, msg: l.Error}
		case l.End:
			return out, nil
		case l.Article != nil:
			out = append(out, l.Article)
		}
	}
}

func (c *remote) Count(ctx context.Context, q QueryRequest, by string) ([]store.CountRow, error) {
	var out []store.CountRow
	return out, c.call(ctx, "count", CountRequest{Query: q.inRange(), By: by}, &out)
}

func (c *remote) Article(ctx context.Context, ref string) (*store.Article, error) {
	var out store.Article
	if err := c.call(ctx, "article", RefRequest{Ref: ref}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *remote) Revisions(ctx context.Context, id uint64) ([]store.Revision, error) {
	var out []store.Revision
	return out, c.call(ctx, "revisions", IDRequest{ID: id}, &out)
}

func (c *remote) Observations(ctx context.Context, id uint64) ([]store.Observation, error) {
	var out []store.Observation
	return out, c.call(ctx, "observations", IDRequest{ID: id}, &out)
}

func (c *remote) Raw(ctx context.Context, id uint64) ([]byte, error) {
	body, err := jsonBody(IDRequest{ID: id})
	if err != nil {
		return nil, err
	}
	resp, err := c.post(ctx, "raw", body)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("archiveapi: raw: %w", err)
	}
	return b, nil
}

func (c *remote) Feeds(ctx context.Context) ([]*store.FeedState, error) {
	var out []*store.FeedState
	return out, c.call(ctx, "feeds", struct{}{}, &out)
}

func (c *remote) Status(ctx context.Context) (Status, error) {
	var out Status
	return out, c.call(ctx, "status", struct{}{}, &out)
}

func (c *remote) Check(ctx context.Context) ([]string, error) {
	var out []string
	return out, c.call(ctx, "check", struct{}{}, &out)
}

func (c *remote) Backup(ctx context.Context, w io.Writer) (int64, error) {
	resp, err := c.post(ctx, "backup", strings.NewReader("{}"))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("archiveapi: backup: %w", err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, fmt.Errorf("archiveapi: backup: got %d of %d bytes", n, resp.ContentLength)
	}
	return n, nil
}
