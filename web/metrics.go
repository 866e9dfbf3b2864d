package web

import (
	"context"
	"net/http"
	"os"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the Prometheus metrics of /metrics. The archive's own
// figures are read at each scrape; the pipeline's (polls, fetches,
// articles archived) exist only where a pipeline reports into them,
// under 'daemon --http': Metrics implements pipeline.Metrics.
type Metrics struct {
	reg      *prometheus.Registry
	polls    *prometheus.CounterVec
	errors   *prometheus.CounterVec
	archived *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	bytes    *prometheus.CounterVec
	inFlight func() int
}

// NewMetrics makes the registry. With pipeline set it has the pipeline's
// metrics too; inFlight, if set, gives the page fetches running.
func NewMetrics(pipeline bool, inFlight func() int) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), inFlight: inFlight}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if !pipeline {
		return m
	}
	m.polls = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "feedvault_polls_total",
		Help: "Feed polls, by outlet and result (ok, or the failure class)."}, []string{"outlet", "result"})
	m.errors = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "feedvault_fetch_errors_total",
		Help: "Failed fetches, by kind (feed or page) and failure class."}, []string{"kind", "class"})
	m.archived = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "feedvault_articles_archived_total",
		Help: "New articles archived, by outlet."}, []string{"outlet"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "feedvault_fetch_duration_seconds",
		Help: "Time per HTTP fetch, by kind (feed or page), failures included.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 10)}, []string{"kind"})
	m.bytes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "feedvault_fetched_bytes_total",
		Help: "Body bytes received (decompressed), by kind."}, []string{"kind"})
	m.reg.MustRegister(m.polls, m.errors, m.archived, m.latency, m.bytes)
	if inFlight != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "feedvault_page_fetches_in_flight",
			Help: "Page fetches running now."}, func() float64 { return float64(inFlight()) }))
	}
	return m
}

// Polled counts a feed poll (pipeline.Metrics).
func (m *Metrics) Polled(outlet, class string) {
	if class == "" {
		class = "ok"
	}
	m.polls.WithLabelValues(outlet, class).Inc()
}

// Fetched records an HTTP fetch (pipeline.Metrics).
func (m *Metrics) Fetched(kind string, d time.Duration, n int, class string) {
	m.latency.WithLabelValues(kind).Observe(d.Seconds())
	m.bytes.WithLabelValues(kind).Add(float64(n))
	if class != "" {
		m.errors.WithLabelValues(kind, class).Inc()
	}
}

// Archived counts a new article (pipeline.Metrics).
func (m *Metrics) Archived(outlet string) { m.archived.WithLabelValues(outlet).Inc() }

func (m *Metrics) handler(r archiveapi.Reader) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(&archiveCollector{r: r})
	return promhttp.HandlerFor(prometheus.Gatherers{m.reg, reg}, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// archiveCollector reads the archive's figures at scrape time.
type archiveCollector struct{ r archiveapi.Reader }

var (
	descArticles  = prometheus.NewDesc("feedvault_archive_articles", "Articles in the archive.", nil, nil)
	descFeeds     = prometheus.NewDesc("feedvault_archive_feeds", "Feeds the archive has state for.", nil, nil)
	descRevisions = prometheus.NewDesc("feedvault_archive_revisions", "Earlier versions of edited articles kept.", nil, nil)
	descSize      = prometheus.NewDesc("feedvault_archive_size_bytes", "Size of the archive file.", nil, nil)
	descQueue     = prometheus.NewDesc("feedvault_queue_length", "Work waiting: pages to retry (not_fetched), articles to index (unindexed).", []string{"queue"}, nil)
	descUp        = prometheus.NewDesc("feedvault_archive_up", "1 when the archive answered this scrape.", nil, nil)
)

func (c *archiveCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descArticles, descFeeds, descRevisions, descSize, descQueue, descUp} {
		ch <- d
	}
}

func (c *archiveCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	st, err := c.r.Status(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(descArticles, prometheus.GaugeValue, float64(st.Stats.Articles))
	ch <- prometheus.MustNewConstMetric(descFeeds, prometheus.GaugeValue, float64(st.Stats.Feeds))
	ch <- prometheus.MustNewConstMetric(descRevisions, prometheus.GaugeValue, float64(st.Stats.Revisions))
	ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(st.Stats.NotFetched), "not_fetched")
	ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(st.Stats.Unindexed), "unindexed")
	if fi, err := os.Stat(st.DB); err == nil {
		ch <- prometheus.MustNewConstMetric(descSize, prometheus.GaugeValue, float64(fi.Size()))
	}
}
