// Package store is feedvault's archive: one bbolt file holding articles,
// their raw pages, and the state of every feed.
//
// bbolt lets one process hold the file read-write. Open always sets a
// timeout, so a second writer gets ErrBusy instead of waiting forever.
// Every value handed out is copied out of its transaction.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the version of the bucket layout written to meta.
const SchemaVersion = 5

// Buckets. Keys are documented in README.md ("Archive layout").
var (
	bMeta     = []byte("meta")      // "schema" → uint64 version
	bArticles = []byte("articles")  // id (8 bytes BE) → Article JSON
	bRaw      = []byte("raw")       // id → zstd(raw page)
	bByTime   = []byte("by_time")   // time (8 BE) + id → nil
	bByURL    = []byte("by_url")    // canonical URL → id
	bByGUID   = []byte("by_guid")   // outlet 0x00 guid → id
	bFeeds    = []byte("feeds")     // feed URL → FeedState JSON
	bPending  = []byte("pending")   // id → Pending JSON: pages to fetch again
	bDocs     = []byte("docs")      // id → docInfo: published, first seen, flags, outlet
	bBySeen   = []byte("by_seen")   // first-seen time (8 BE) + id → nil
	bIndex    = []byte("index")     // field byte, word, 0x00, first id (8 BE) → postings
	bDirty    = []byte("dirty")     // id → nil: articles whose words are not in the index yet
	bRevs     = []byte("revisions") // id (8 BE) + revision (4 BE) → zstd(Revision JSON)
	bRefetch  = []byte("refetch")   // time (8 BE) + id → stage byte: the next re-fetch
	bSeen     = []byte("seen")      // id (8 BE) + feed hash (8) → Observation JSON
	allBucket = [][]byte{bMeta, bArticles, bRaw, bByTime, bByURL, bByGUID, bFeeds, bPending,
		bDocs, bBySeen, bIndex, bDirty, bRevs, bRefetch, bSeen, bListing, bDays}
)

// ErrBusy means another process holds the archive file.
var ErrBusy = errors.New("store: archive is busy: another feedvault process holds it")

// ErrNotFound means no article matched.
var ErrNotFound = errors.New("store: not found")

// Article is one archived article.
type Article struct {
	ID     uint64   `json:"id"`
	URL    string   `json:"url"` // canonical URL
	Outlet string   `json:"outlet"`
	Feed   string   `json:"feed"` // feed it was first seen in
	GUIDs  []string `json:"guids,omitempty"`
	// Aliases are other URLs of the same story (feed link, redirect
	// target, AMP or mobile form); each finds the article.
	Aliases     []string  `json:"aliases,omitempty"`
	Title       string    `json:"title"`
	Authors     []string  `json:"authors,omitempty"`
	Published   time.Time `json:"published"`
	Modified    time.Time `json:"modified,omitzero"`
	FirstSeen   time.Time `json:"first_seen"`
	Fetched     time.Time `json:"fetched,omitzero"`
	Language    string    `json:"language,omitempty"`
	Description string    `json:"description,omitempty"`
	Section     string    `json:"section,omitempty"`
	Tags        []string  `json:"tags,omitempty"`
	Image       string    `json:"image,omitempty"`
	Summary     string    `json:"summary,omitempty"` // what the feed said
	// FromFeed is everything the feed said about the article (all
	// authors, categories, enclosures, both dates), kept as it was.
	FromFeed *FeedItem `json:"from_feed,omitempty"`
	Text     string    `json:"text"`
	Flags    []string  `json:"flags,omitempty"`

	// Provenance.
	Status           int    `json:"status,omitempty"`
	FinalURL         string `json:"final_url,omitempty"`
	ContentType      string `json:"content_type,omitempty"`
	ExtractorVersion string `json:"extractor_version,omitempty"`
	// FetchError is set when the page could not be fetched; the article
	// then holds what the feed said, and a later poll retries the page.
	FetchError string `json:"fetch_error,omitempty"`
	RawSize    int    `json:"raw_size,omitempty"`
	// Headers are the response headers that matter for provenance:
	// ETag, Last-Modified, Date, Content-Language, X-Robots-Tag.
	Headers map[string]string `json:"headers,omitempty"`
	// Revisions counts the earlier versions kept (see Revisions);
	// Edited is set once the outlet changed the text, title or byline.
	Revisions int  `json:"revisions,omitempty"`
	Edited    bool `json:"edited,omitempty"`
	// TakenDown is when the page answered 404 or 410 after it was live.
	// The article is kept.
	TakenDown time.Time `json:"taken_down,omitzero"`
	// RefetchStage is the next step of the re-fetch schedule, due at RefetchAt.
	RefetchStage int       `json:"refetch_stage,omitempty"`
	RefetchAt    time.Time `json:"refetch_at,omitzero"`

	prep  *prepared  // work done ahead of PutMany
	hist  *history   // what an imported article brings along (SetHistory)
	story StoryFiler // files it in the story groups in Put's transaction (FileStory)
}

// history is the past an imported article brings: its earlier versions
// and its sightings.
type history struct {
	revs []Revision
	obs  []Observation
}

// SetHistory attaches to an article for PutMany its earlier versions and
// its sightings, as an export carries them.
func (a *Article) SetHistory(revs []Revision, obs []Observation) {
	a.hist = &history{revs: revs, obs: obs}
}

// SortTime is the time an article is ordered by: published, else first
// seen. An article with no published time keeps Published zero; it is
// never given one.
func (a *Article) SortTime() time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.FirstSeen
}

// Pending is an article whose page could not be fetched yet.
type Pending struct {
	ID       uint64    `json:"id"`
	URL      string    `json:"url"`
	Outlet   string    `json:"outlet"`
	Attempts int       `json:"attempts"`
	Next     time.Time `json:"next"`
}

// Page retries back off from RetryBase, doubling to RetryMax; after
// MaxAttempts the article stays archived from the feed alone.
const (
	RetryBase   = 30 * time.Minute
	RetryMax    = 24 * time.Hour
	MaxAttempts = 12
)

// Options control Open.
type Options struct {
	ReadOnly bool
	// Timeout is how long to wait for the file lock before ErrBusy.
	// Zero means one second.
	Timeout time.Duration
	// NoSync skips fsync on commit: for tests of logic, never for an
	// archive anyone keeps.
	NoSync bool
	// RefetchAfter are the offsets from first seen at which a page is
	// fetched again; nil means DefaultRefetchAfter.
	RefetchAfter []time.Duration
	// Logger is told when a writer upgrades the archive's schema, which
	// can take a while (nil: nothing is logged).
	Logger *slog.Logger
}

// Store is an open archive.
type Store struct {
	// mu guards db: every transaction holds it for reading; Compact
	// holds it for writing while it swaps the file.
	mu   sync.RWMutex
	db   *bolt.DB
	path string // as given
	real string // path with symlinks resolved: the file compaction replaces
	opt  Options
	z    *codec
	// refetchAfter are the offsets from first seen of the re-fetches.
	refetchAfter []time.Duration
	recent       recentBands // bands of the articles in story_recent
	page         pageTuning
	// pread is bbolt's file of a read-only store, whose values lookups
	// read with pread rather than through the memory map (pread.go);
	// nil for a writer.
	pread    *os.File
	pageSize int
}

// migrations[v] turns a schema-v archive into schema v+1. Schema 1 is the
// first; when the layout changes, SchemaVersion goes up and the step that
// rewrites the old layout is added here. A writer runs the steps in its
// opening transaction: all of them or none.
var migrations = map[uint64]func(tx *bolt.Tx, z *codec) error{
	// 1 → 2: the days array (days.go) is built from docs; article values
	// may now hold their text apart (encode.go), and old ones still read.
	1: func(tx *bolt.Tx, _ *codec) error { return buildDays(tx) },
	// 2 → 3: the index holds each outlet's articles (index.go), built
	// from docs.
	2: func(tx *bolt.Tx, _ *codec) error { return buildOutlets(tx) },
	// 3 → 4: what a word is changed (query/words.go): the articles whose
	// words it changes are indexed again (refold.go).
	3: refoldWords,
	// 4 → 5: article values may hold their text as S2 (textframe.go);
	// old ones still read, and nothing is rewritten. The step keeps a
	// feedvault that cannot read S2 from opening the archive.
	4: func(*bolt.Tx, *codec) error { return nil },
}

// schemaOf is the schema version in tx's meta (0 if none).
func schemaOf(tx *bolt.Tx) uint64 {
	v := tx.Bucket(bMeta).Get([]byte("schema"))
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func migrate(tx *bolt.Tx, path string, z *codec, log *slog.Logger) error {
	m := tx.Bucket(bMeta)
	v := binary.BigEndian.Uint64(m.Get([]byte("schema")))
	if v < SchemaVersion && log != nil {
		start := time.Now()
		log.Info("upgrading the archive to a new schema; a step may read every article once", "path", path, "from", v, "to", SchemaVersion)
		defer func() { log.Info("archive upgraded", "path", path, "took", time.Since(start).Round(time.Millisecond)) }()
	}
	for ; v < SchemaVersion; v++ {
		step := migrations[v]
		if step == nil {
			return fmt.Errorf("store: %s has schema %d and no migration to %d exists", path, v, v+1)
		}
		if err := step(tx, z); err != nil {
			return fmt.Errorf("store: migrate %s from schema %d: %w", path, v, err)
		}
	}
	return m.Put([]byte("schema"), u64(SchemaVersion))
}

func checkSchema(tx *bolt.Tx, path string) error {
	m := tx.Bucket(bMeta)
	if m == nil {
		return fmt.Errorf("store: %s is a bbolt file but not a feedvault archive", path)
	}
	v := m.Get([]byte("schema"))
	if len(v) != 8 {
		return fmt.Errorf("store: %s has no schema version", path)
	}
	if got := binary.BigEndian.Uint64(v); got > SchemaVersion {
		return fmt.Errorf("store: %s has schema %d, newer than this feedvault (%d); upgrade feedvault", path, got, SchemaVersion)
	}
	return nil
}

// Close closes the archive.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.db.Close()
	s.z.close()
	return err
}

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// OrderedRange is the span of times the archive orders articles by:
// time keys are nanoseconds since 1970 in 64 bits, 1677-09-21 to
// 2262-04-11. A date outside it would be filed under a wrapped-around
// time; writers keep such dates out (see pipeline and jsonl).
func OrderedRange() (first, last time.Time) {
	return time.Unix(0, math.MinInt64).UTC(), time.Unix(0, math.MaxInt64).UTC()
}

// InOrderedRange reports whether t is zero or within OrderedRange.
func InOrderedRange(t time.Time) bool {
	first, last := OrderedRange()
	return t.IsZero() || !t.Before(first) && !t.After(last)
}

// timeKey orders times as unsigned big-endian bytes, earliest first,
// with times before 1970 still sorting before later ones.
func timeKey(t time.Time, id uint64) []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, uint64(t.UnixNano())^(1<<63))
	binary.BigEndian.PutUint64(b[8:], id)
	return b
}

// notePending schedules another fetch of a page that failed, or clears
// the schedule of one that succeeded.
func notePending(b *bolt.Bucket, k []byte, a *Article) error {
	if a.FetchError == "" {
		return b.Delete(k)
	}
	p := Pending{ID: a.ID, URL: a.URL, Outlet: a.Outlet}
	if v := b.Get(k); v != nil {
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("store: pending %d: %w", a.ID, err)
		}
	}
	p.Attempts++
	if p.Attempts > MaxAttempts {
		return b.Delete(k) // archived from the feed; no more tries
	}
	back := RetryBase
	for i := 1; i < p.Attempts && back < RetryMax; i++ {
		back *= 2
	}
	p.Next = time.Now().UTC().Add(min(back, RetryMax))
	v, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return b.Put(k, v)
}

// DuePending lists up to limit articles whose page fetch is due again.
func (s *Store) DuePending(now time.Time, limit int) ([]Pending, error) {
	var out []Pending
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bPending).ForEach(func(k, v []byte) error {
			if limit > 0 && len(out) >= limit {
				return nil
			}
			var p Pending
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("store: pending: %w", err)
			}
			if !p.Next.After(now) {
				out = append(out, p)
			}
			return nil
		})
	})
	return out, err
}

// aliasesWithout dedupes aliases and drops empty ones and the URL itself.
func aliasesWithout(aliases []string, url string) []string {
	var out []string
	for _, x := range union(nil, aliases) {
		if x != "" && x != url {
			out = append(out, x)
		}
	}
	return out
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, x := range b {
		dup := false
		for _, y := range out {
			if x == y {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

// Get returns the article with this id.
func (s *Store) Get(id uint64) (*Article, error) {
	var a *Article
	err := s.view(func(tx *bolt.Tx) (err error) {
		a, err = s.z.decodeArticle(u64(id), tx.Bucket(bArticles).Get(u64(id)))
		return err
	})
	return a, err
}

// GetByURL returns the article archived under this canonical URL.
func (s *Store) GetByURL(url string) (*Article, error) {
	var a *Article
	err := s.view(func(tx *bolt.Tx) (err error) {
		v := tx.Bucket(bByURL).Get(urlKey(url))
		if v == nil {
			return ErrNotFound
		}
		a, err = s.z.decodeArticle(v, tx.Bucket(bArticles).Get(v))
		return err
	})
	return a, err
}

// Raw returns the raw page stored with an article, decompressed.
func (s *Store) Raw(id uint64) ([]byte, error) {
	var raw []byte
	err := s.view(func(tx *bolt.Tx) (err error) {
		v := tx.Bucket(bRaw).Get(u64(id))
		if v == nil {
			return ErrNotFound
		}
		raw, err = s.z.decompress(v) // decodes into a new slice: nothing of v escapes
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: raw page %d: %w", id, err)
	}
	return raw, nil
}
