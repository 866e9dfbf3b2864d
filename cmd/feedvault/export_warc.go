package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"time"

	"github.com/feedvault/feedvault/archiveapi"
	"github.com/feedvault/feedvault/store"
	"github.com/nlnwa/gowarc/v3"
)

// export --format warc: a response record per article with a stored
// page, after the file's warcinfo record.

// putWARC writes one record, as its own gzip member when gz is set (as
// WARC tools expect).
func putWARC(w io.Writer, rec gowarc.WarcRecord, gz bool) error {
	var dst io.Writer = w
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(w)
		dst = zw
	}
	if _, _, err := gowarc.NewMarshaler().Marshal(dst, rec, 0); err != nil {
		return fmt.Errorf("warc: %w", err)
	}
	if zw != nil {
		return zw.Close()
	}
	return nil
}

// writeWARCInfo writes the file's warcinfo record.
func writeWARCInfo(w io.Writer, gz bool) error {
	info := gowarc.NewRecordBuilder(gowarc.Warcinfo, gowarc.WithVersion(gowarc.V1_1))
	info.AddWarcHeaderTime(gowarc.WarcDate, time.Now().UTC())
	info.AddWarcHeader(gowarc.ContentType, gowarc.ApplicationWarcFields)
	info.WriteString("software: feedvault " + version + "\r\nformat: WARC File Format 1.1\r\ndescription: feedvault export of archived news articles\r\n")
	rec, _, err := info.Build()
	if err != nil {
		return fmt.Errorf("warc: %w", err)
	}
	return putWARC(w, rec, gz)
}

// writeWARC writes a response record per article with a stored page: the
// status line and the headers kept, and the body as fetched
// (decompressed). It returns the ids without a page.
func writeWARC(ctx context.Context, w io.Writer, r archiveapi.Reader, arts []*store.Article, gz bool) ([]uint64, error) {
	var missing []uint64
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		body, err := r.Raw(ctx, a.ID)
		if errors.Is(err, store.ErrNotFound) {
			missing = append(missing, a.ID)
			continue
		}
		if err != nil {
			return nil, err
		}
		status := a.Status
		if status == 0 {
			status = 200
		}
		var hb bytes.Buffer
		fmt.Fprintf(&hb, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
		keys := make([]string, 0, len(a.Headers))
		for k := range a.Headers {
			if k != "Content-Type" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		ct := a.ContentType
		if ct == "" {
			ct = "text/html"
		}
		fmt.Fprintf(&hb, "Content-Type: %s\r\n", ct)
		for _, k := range keys {
			fmt.Fprintf(&hb, "%s: %s\r\n", k, a.Headers[k])
		}
		fmt.Fprintf(&hb, "Content-Length: %d\r\n\r\n", len(body))
		b := gowarc.NewRecordBuilder(gowarc.Response, gowarc.WithVersion(gowarc.V1_1))
		target := a.FinalURL
		if target == "" {
			target = a.URL
		}
		b.AddWarcHeader(gowarc.WarcTargetURI, target)
		when := a.Fetched
		if when.IsZero() {
			when = a.FirstSeen
		}
		b.AddWarcHeaderTime(gowarc.WarcDate, when)
		b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
		b.Write(hb.Bytes())
		b.Write(body)
		rec, _, err := b.Build()
		if err != nil {
			return nil, fmt.Errorf("warc: article %d: %w", a.ID, err)
		}
		if err := putWARC(w, rec, gz); err != nil {
			return nil, err
		}
		b.Close()
	}
	return missing, nil
}
