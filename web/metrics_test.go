package web

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// downReader is an archive that does not answer.
type downReader struct{ archiveapi.Reader }

func (downReader) Status(context.Context) (archiveapi.Status, error) {
	return archiveapi.Status{}, errors.New("archive: not answering")
}

// scrape parses /metrics with Prometheus' own text parser, which fails
// on a malformed line, a family split in two or a TYPE after its samples.
func scrape(t *testing.T, s *Server) map[string]*dto.MetricFamily {
	t.Helper()
	rec := get(t, s, "/metrics")
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("content type %q", ct)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatalf("Prometheus cannot parse /metrics: %v\n%s", err, rec.Body)
	}
	return fams
}

// TestMetricsExposition holds /metrics to what Prometheus' client wrote
// before: the same families with the same types, help and labels, label
// values escaped, the Go and process families beside them.
func TestMetricsExposition(t *testing.T) {
	f := buildFixture(t)
	hostile := "we\"ird\\out\nlet «Вести»"
	m := NewMetrics(true, func() int { return 3 })
	m.Polled(hostile, "")
	m.Polled(hostile, "")
	m.Polled("yonhap", "http_5xx")
	m.Fetched("page", 1500*time.Millisecond, 2048, "")
	m.Fetched("page", 30*time.Second, 10, "timeout")
	m.Fetched("feed", 100*time.Millisecond, 0, "timeout")
	m.Archived(hostile)
	fams := scrape(t, newTestServer(t, Options{Reader: f.open(t), Metrics: m}))

	for _, tc := range []struct {
		name   string
		typ    dto.MetricType
		help   string
		labels []string
	}{
		{"feedvault_polls_total", dto.MetricType_COUNTER, "Feed polls, by outlet and result (ok, or the failure class).", []string{"outlet", "result"}},
		{"feedvault_fetch_errors_total", dto.MetricType_COUNTER, "Failed fetches, by kind (feed or page) and failure class.", []string{"class", "kind"}},
		{"feedvault_articles_archived_total", dto.MetricType_COUNTER, "New articles archived, by outlet.", []string{"outlet"}},
		{"feedvault_fetch_duration_seconds", dto.MetricType_HISTOGRAM, "Time per HTTP fetch, by kind (feed or page), failures included.", []string{"kind"}},
		{"feedvault_fetched_bytes_total", dto.MetricType_COUNTER, "Body bytes received (decompressed), by kind.", []string{"kind"}},
		{"feedvault_page_fetches_in_flight", dto.MetricType_GAUGE, "Page fetches running now.", nil},
		{"feedvault_archive_articles", dto.MetricType_GAUGE, "Articles in the archive.", nil},
		{"feedvault_archive_feeds", dto.MetricType_GAUGE, "Feeds the archive has state for.", nil},
		{"feedvault_archive_revisions", dto.MetricType_GAUGE, "Earlier versions of edited articles kept.", nil},
		{"feedvault_archive_size_bytes", dto.MetricType_GAUGE, "Size of the archive file.", nil},
		{"feedvault_archive_up", dto.MetricType_GAUGE, "1 when the archive answered this scrape.", nil},
		{"feedvault_queue_length", dto.MetricType_GAUGE, "Work waiting: pages to retry (not_fetched), articles to index (unindexed).", []string{"queue"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mf := fams[tc.name]
			if mf == nil {
				t.Fatal("missing")
			}
			if mf.GetType() != tc.typ || mf.GetHelp() != tc.help {
				t.Errorf("type %v help %q, want %v %q", mf.GetType(), mf.GetHelp(), tc.typ, tc.help)
			}
			for _, x := range mf.GetMetric() {
				var got []string
				for _, l := range x.GetLabel() {
					got = append(got, l.GetName())
				}
				if strings.Join(got, ",") != strings.Join(tc.labels, ",") {
					t.Errorf("labels %v, want %v", got, tc.labels)
				}
			}
		})
	}

	// Values, the hostile outlet's name coming back as it went in.
	value := func(fam string, want map[string]string) *dto.Metric {
		t.Helper()
		for _, x := range fams[fam].GetMetric() {
			ok := true
			for _, l := range x.GetLabel() {
				if v, in := want[l.GetName()]; in && v != l.GetValue() {
					ok = false
				}
			}
			if ok {
				return x
			}
		}
		t.Fatalf("%s has no sample %v", fam, want)
		return nil
	}
	if v := value("feedvault_polls_total", map[string]string{"outlet": hostile, "result": "ok"}).GetCounter().GetValue(); v != 2 {
		t.Errorf("polls of the hostile outlet: %v", v)
	}
	if v := value("feedvault_articles_archived_total", map[string]string{"outlet": hostile}).GetCounter().GetValue(); v != 1 {
		t.Errorf("archived of the hostile outlet: %v", v)
	}
	if v := value("feedvault_fetch_errors_total", map[string]string{"kind": "page", "class": "timeout"}).GetCounter().GetValue(); v != 1 {
		t.Errorf("page timeouts: %v", v)
	}
	if v := value("feedvault_fetched_bytes_total", map[string]string{"kind": "page"}).GetCounter().GetValue(); v != 2058 {
		t.Errorf("page bytes: %v", v)
	}
	if v := fams["feedvault_page_fetches_in_flight"].GetMetric()[0].GetGauge().GetValue(); v != 3 {
		t.Errorf("in flight: %v", v)
	}
	if v := fams["feedvault_archive_articles"].GetMetric()[0].GetGauge().GetValue(); v != 61 {
		t.Errorf("archive articles: %v", v)
	}
	h := value("feedvault_fetch_duration_seconds", map[string]string{"kind": "page"}).GetHistogram()
	var bounds []float64
	var counts []uint64
	for _, b := range h.GetBucket() {
		bounds = append(bounds, b.GetUpperBound())
		counts = append(counts, b.GetCumulativeCount())
	}
	wantBounds := []float64{0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6}
	if len(bounds) < len(wantBounds) {
		t.Fatalf("page histogram buckets %v", bounds)
	}
	for i, b := range wantBounds {
		if bounds[i] != b {
			t.Errorf("bucket %d bound %v, want %v", i, bounds[i], b)
		}
	}
	// 1.5 s falls in le=1.6 and above; 30 s only in +Inf.
	if counts[4] != 0 || counts[5] != 1 || counts[9] != 1 || h.GetSampleCount() != 2 || h.GetSampleSum() != 31.5 {
		t.Errorf("page histogram counts %v, count %d, sum %v", counts, h.GetSampleCount(), h.GetSampleSum())
	}

	// The runtime's and the process's families are there too.
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds"} {
		if fams[name] == nil {
			t.Errorf("no %s", name)
		}
	}
}

// TestMetricsWithoutPipeline: 'serve' has the archive's families only,
// and an archive that does not answer is up 0, the scrape still served.
func TestMetricsWithoutPipeline(t *testing.T) {
	f := buildFixture(t)
	for _, tc := range []struct {
		name   string
		reader archiveapi.Reader
		up     float64
	}{
		{"answering", f.open(t), 1},
		{"down", downReader{f.open(t)}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fams := scrape(t, newTestServer(t, Options{Reader: tc.reader, Metrics: NewMetrics(false, nil)}))
			if v := fams["feedvault_archive_up"].GetMetric()[0].GetGauge().GetValue(); v != tc.up {
				t.Errorf("archive_up %v, want %v", v, tc.up)
			}
			if (fams["feedvault_archive_articles"] != nil) != (tc.up == 1) {
				t.Errorf("archive_articles present: %v", fams["feedvault_archive_articles"] != nil)
			}
			for name := range fams {
				if strings.HasPrefix(name, "feedvault_") && !strings.HasPrefix(name, "feedvault_archive_") && name != "feedvault_queue_length" {
					t.Errorf("pipeline family %s without a pipeline", name)
				}
			}
		})
	}
}
