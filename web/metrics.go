package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/feedvault/feedvault/archiveapi"
)

// Metrics are the metrics of /metrics, in Prometheus' text format. The
// archive's own figures are read at each scrape; the pipeline's (polls,
// fetches, articles archived) exist only where a pipeline reports into
// them, under 'daemon --http': Metrics implements pipeline.Metrics.
//
// The counters and the histogram live in VictoriaMetrics' metrics
// package, one Set per family, so that each family is written under its
// own HELP and TYPE lines without touching that package's global
// settings. It replaced Prometheus' client_golang, whose package
// initialisation (protobuf, procfs, its own registry) every CLI call paid
// for at start-up; the families, their types and labels are the same.
type Metrics struct {
	polls, errors, archived, latency, bytes *family // nil without a pipeline
	inFlight                                func() int
	buckets                                 []float64 // of latency
}

// family is one metric family: its samples and what HELP and TYPE say.
type family struct {
	name, help, typ string
	set             *metrics.Set
}

func newFamily(name, typ, help string) *family {
	return &family{name: name, help: help, typ: typ, set: metrics.NewSet()}
}

// NewMetrics makes the metrics. With pipeline set it has the pipeline's
// metrics too; inFlight, if set, gives the page fetches running.
func NewMetrics(pipeline bool, inFlight func() int) *Metrics {
	// feedvault_fetch_duration_seconds' upper bounds: 0.05 s doubling to 25.6 s.
	m := &Metrics{inFlight: inFlight, buckets: metrics.ExponentialBuckets(0.05, 2, 10)}
	if !pipeline {
		return m
	}
	m.polls = newFamily("feedvault_polls_total", "counter",
		"Feed polls, by outlet and result (ok, or the failure class).")
	m.errors = newFamily("feedvault_fetch_errors_total", "counter",
		"Failed fetches, by kind (feed or page) and failure class.")
	m.archived = newFamily("feedvault_articles_archived_total", "counter",
		"New articles archived, by outlet.")
	m.latency = newFamily("feedvault_fetch_duration_seconds", "histogram",
		"Time per HTTP fetch, by kind (feed or page), failures included.")
	m.bytes = newFamily("feedvault_fetched_bytes_total", "counter",
		"Body bytes received (decompressed), by kind.")
	return m
}

// Polled counts a feed poll (pipeline.Metrics).
func (m *Metrics) Polled(outlet, class string) {
	if class == "" {
		class = "ok"
	}
	m.polls.counter("outlet", outlet, "result", class).Inc()
}

// Fetched records an HTTP fetch (pipeline.Metrics).
func (m *Metrics) Fetched(kind string, d time.Duration, n int, class string) {
	m.latency.set.GetOrCreatePrometheusHistogramExt(m.latency.name+labels("kind", kind), m.buckets).Update(d.Seconds())
	m.bytes.counter("kind", kind).Add(n)
	if class != "" {
		m.errors.counter("class", class, "kind", kind).Inc()
	}
}

// Archived counts a new article (pipeline.Metrics).
func (m *Metrics) Archived(outlet string) { m.archived.counter("outlet", outlet).Inc() }

// counter is the family's counter for these label pairs (name, value,
// …), given in label-name order as Prometheus writes them.
func (f *family) counter(pairs ...string) *metrics.Counter {
	return f.set.GetOrCreateCounter(f.name + labels(pairs...))
}

// labels formats label pairs as {name="value",…}, escaping backslash,
// double quote and line feed as the text format requires: an outlet's
// name is the researcher's and may hold any of them (unescaped, the
// metrics package would panic on the name).
func labels(pairs ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(pairs[i])
		b.WriteString(`="`)
		b.WriteString(labelEscaper.Replace(pairs[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// sample is one line of a family written here (the archive's gauges).
type sample struct {
	labels string
	value  int64
}

// handler serves the metrics: the archive's (read now) and the
// pipeline's, each family under its HELP and TYPE, in name order; then
// the Go runtime's and the process's (go_*, process_*).
func (m *Metrics) handler(r archiveapi.Reader) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), 3*time.Second)
		defer cancel()
		type written struct {
			name  string
			write func(io.Writer)
		}
		var out []written
		add := func(name, typ, help string, samples ...sample) {
			out = append(out, written{name, func(w io.Writer) {
				writeHeader(w, name, typ, help)
				for _, s := range samples {
					fmt.Fprintf(w, "%s%s %d\n", name, s.labels, s.value)
				}
			}})
		}
		for _, f := range []*family{m.polls, m.errors, m.archived, m.latency, m.bytes} {
			if f == nil {
				continue
			}
			var b bytes.Buffer
			f.set.WritePrometheus(&b)
			if b.Len() == 0 {
				continue // no sample yet: the family is left out, as Prometheus' client did
			}
			out = append(out, written{f.name, func(w io.Writer) {
				writeHeader(w, f.name, f.typ, f.help)
				w.Write(b.Bytes())
			}})
		}
		if m.inFlight != nil {
			add("feedvault_page_fetches_in_flight", "gauge", "Page fetches running now.", sample{value: int64(m.inFlight())})
		}
		const upHelp = "1 when the archive answered this scrape."
		if st, err := r.Status(ctx); err != nil {
			add("feedvault_archive_up", "gauge", upHelp, sample{value: 0})
		} else {
			add("feedvault_archive_up", "gauge", upHelp, sample{value: 1})
			add("feedvault_archive_articles", "gauge", "Articles in the archive.", sample{value: int64(st.Stats.Articles)})
			add("feedvault_archive_feeds", "gauge", "Feeds the archive has state for.", sample{value: int64(st.Stats.Feeds)})
			add("feedvault_archive_revisions", "gauge", "Earlier versions of edited articles kept.", sample{value: int64(st.Stats.Revisions)})
			add("feedvault_queue_length", "gauge", "Work waiting: pages to retry (not_fetched), articles to index (unindexed).",
				sample{labels("queue", "not_fetched"), int64(st.Stats.NotFetched)},
				sample{labels("queue", "unindexed"), int64(st.Stats.Unindexed)})
			if fi, err := os.Stat(st.DB); err == nil {
				add("feedvault_archive_size_bytes", "gauge", "Size of the archive file.", sample{value: fi.Size()})
			}
		}
		slices.SortFunc(out, func(a, b written) int { return strings.Compare(a.name, b.name) })
		var b bytes.Buffer
		for _, x := range out {
			x.write(&b)
		}
		metrics.WriteGoMetrics(&b)
		metrics.WriteProcMetrics(&b)
		metrics.WriteFDMetrics(&b)
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Write(b.Bytes())
	})
}

func writeHeader(w io.Writer, name, typ, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}
