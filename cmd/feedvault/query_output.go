package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/feedvault/feedvault/jsonl"
	"github.com/feedvault/feedvault/store"
)

// How query prints articles: one column as text, and a page in each
// format.

// field renders one column of an article as text.
func field(a *store.Article, name string) string {
	switch name {
	case "id":
		return strconv.FormatUint(a.ID, 10)
	case "url":
		return a.URL
	case "outlet":
		return a.Outlet
	case "title":
		return a.Title
	case "authors":
		return strings.Join(a.Authors, "; ")
	case "published":
		return fmtTimeEmpty(a.Published)
	case "modified":
		return fmtTimeEmpty(a.Modified)
	case "first_seen":
		return fmtTimeEmpty(a.FirstSeen)
	case "fetched":
		return fmtTimeEmpty(a.Fetched)
	case "language":
		return a.Language
	case "section":
		return a.Section
	case "tags":
		return strings.Join(a.Tags, "; ")
	case "flags":
		return strings.Join(a.Flags, "; ")
	case "edited":
		return strconv.FormatBool(a.Edited)
	case "revisions":
		return strconv.Itoa(a.Revisions)
	case "taken_down":
		return fmtTimeEmpty(a.TakenDown)
	case "fetch_error":
		return a.FetchError
	case "text":
		return a.Text
	case "feed":
		return a.Feed
	case "guids":
		return strings.Join(a.GUIDs, "; ")
	case "aliases":
		return strings.Join(a.Aliases, "; ")
	case "description":
		return a.Description
	case "image":
		return a.Image
	case "summary":
		return a.Summary
	case "status":
		if a.Status == 0 {
			return ""
		}
		return strconv.Itoa(a.Status)
	case "final_url":
		return a.FinalURL
	case "content_type":
		return a.ContentType
	case "extractor_version":
		return a.ExtractorVersion
	case "raw_size":
		if a.RawSize == 0 {
			return ""
		}
		return strconv.Itoa(a.RawSize)
	case "headers":
		keys := make([]string, 0, len(a.Headers))
		for k := range a.Headers {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			keys[i] = k + ": " + a.Headers[k]
		}
		return strings.Join(keys, "; ")
	case "refetch_stage":
		return strconv.Itoa(a.RefetchStage)
	case "refetch_at":
		return fmtTimeEmpty(a.RefetchAt)
	case "words":
		if a.FetchError != "" && a.Text == "" {
			return "not fetched"
		}
		n := 0
		for range strings.FieldsSeq(a.Text) {
			n++
		}
		return strconv.Itoa(n)
	}
	return ""
}

// writeArticles writes a page of articles in format. A pipe or file gets
// them through a buffer (one write per row would cost a system call
// each); a terminal gets the page in one write, so that its escaping
// never sees a character cut in two.
func writeArticles(w io.Writer, format string, cols []string, arts []*store.Article) error {
	if _, tty := w.(termWriter); tty {
		var page bytes.Buffer
		if err := formatArticles(&page, format, cols, arts); err != nil {
			return err
		}
		_, err := w.Write(page.Bytes())
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	err := formatArticles(bw, format, cols, arts)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

func formatArticles(w io.Writer, format string, cols []string, arts []*store.Article) error {
	switch format {
	case "jsonl":
		if cols != nil {
			return writeColumns(w, cols, arts)
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, a := range arts {
			if err := enc.Encode(jsonl.FromArticle(a)); err != nil {
				return err
			}
		}
	case "csv", "csv-rows": // csv-rows: a later page, without the header
		cw := csv.NewWriter(w)
		if format == "csv" {
			cw.Write(cols)
		}
		for _, a := range arts {
			rec := make([]string, len(cols))
			for i, c := range cols {
				rec[i] = field(a, c)
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "text":
		for i, a := range arts {
			if i > 0 {
				fmt.Fprint(w, "\f\n")
			}
			writeArticleText(w, a)
		}
	default:
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, strings.ToUpper(strings.Join(cols, "\t")))
		for _, a := range arts {
			cells := make([]string, len(cols))
			for i, c := range cols {
				v := field(a, c)
				switch c {
				case "published", "first_seen", "fetched", "modified", "taken_down":
					if len(v) >= 16 {
						v = strings.Replace(v[:16], "T", " ", 1)
					}
					if c == "published" && v == "" && !a.FirstSeen.IsZero() {
						v = "undated, seen " + strings.Replace(fmtTimeEmpty(a.FirstSeen)[:16], "T", " ", 1)
					}
				case "title":
					v = clip(v, 80)
				case "text", "url":
					v = clip(v, 100)
				}
				cells[i] = safe(v, true)
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		return tw.Flush()
	}
	return nil
}

// writeColumns writes each article as a JSON object of the columns cols
// names, keys in sorted order, each value as the whole row holds it
// (null where the row leaves it out). It encodes only those values, not
// the whole row.
func writeColumns(w io.Writer, cols []string, arts []*store.Article) error {
	keys := slices.Clone(cols)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var val bytes.Buffer
	enc := json.NewEncoder(&val)
	enc.SetEscapeHTML(false)
	var line []byte
	for _, a := range arts {
		row := jsonl.FromArticle(a)
		line = append(line[:0], '{')
		for i, k := range keys {
			if i > 0 {
				line = append(line, ',')
			}
			line = strconv.AppendQuote(line, k) // a column name: plain ASCII
			line = append(line, ':')
			var v any = row.Value(k)
			if k == "words" {
				v = field(a, k)
			}
			val.Reset()
			if err := enc.Encode(v); err != nil {
				return err
			}
			line = append(line, bytes.TrimSuffix(val.Bytes(), []byte("\n"))...)
		}
		line = append(line, '}', '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}
