package jsonl

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/feedvault/feedvault/store"
)

// full is an article with every stored field set.
func full() *store.Article {
	at := func(d int) time.Time { return time.Date(2024, 10, d, 9, 30, 0, 0, time.UTC) }
	return &store.Article{
		ID: 7, URL: "https://x.org/a", Outlet: "x", Feed: "https://x.org/rss", GUIDs: []string{"g"},
		Aliases: []string{"https://x.org/amp/a"}, Title: "T", Authors: []string{"A B"}, Published: at(1),
		Modified: at(2), FirstSeen: at(3), Fetched: at(4), Language: "en", Description: "D", Section: "S",
		Tags: []string{"t"}, Image: "https://x.org/i.jpg", Summary: "Sum", Text: "Text", Flags: []string{"f"},
		Status: 200, FinalURL: "https://x.org/a?x", ContentType: "text/html", ExtractorVersion: "1.0",
		FetchError: "e", RawSize: 10, Headers: map[string]string{"ETag": `"1"`}, Revisions: 2, Edited: true,
		TakenDown: at(5), RefetchStage: 3, RefetchAt: at(6),
		FromFeed: &store.FeedItem{Authors: []string{"A B", "C D"}, Categories: []string{"c"},
			Enclosures: []store.Enclosure{{URL: "https://x.org/a.mp3", Type: "audio/mpeg", Length: 9}}, Published: at(1), Updated: at(2)},
	}
}

// Every stored field of an article is in its row, under the name
// Fields lists, and comes back from the row unchanged.
func TestRowCarriesEveryStoredField(t *testing.T) {
	a := full()
	// Every JSON field of store.Article is named in Fields.
	typ := reflect.TypeOf(*a)
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		found := false
		for _, n := range Fields {
			found = found || n == name
		}
		if !found {
			t.Errorf("stored field %s (%s) is not in Fields", f.Name, name)
		}
		if reflect.ValueOf(*a).Field(i).IsZero() {
			t.Errorf("the test article leaves %s unset", f.Name)
		}
	}
	row := FromArticle(a)
	js, err := json.Marshal(row)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(js, &m)
	for _, n := range Fields {
		if _, ok := m[n]; !ok {
			t.Errorf("the row lacks %s", n)
		}
	}
	back, _, err := ParseLine(js, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	back.ID = a.ID
	if !reflect.DeepEqual(back, a) {
		t.Errorf("the row does not give the article back:\n got %+v\nwant %+v", back, a)
	}
}

// Value gives, for every field, what the whole row's JSON holds under
// its name: the same JSON, or null where the row leaves the field out.
func TestValueIsTheRowsField(t *testing.T) {
	for name, a := range map[string]*store.Article{"full": full(), "empty": {}} {
		t.Run(name, func(t *testing.T) {
			row := FromArticle(a)
			js, err := json.Marshal(row)
			if err != nil {
				t.Fatal(err)
			}
			var whole map[string]json.RawMessage
			if err := json.Unmarshal(js, &whole); err != nil {
				t.Fatal(err)
			}
			for _, n := range Fields {
				want := string(whole[n])
				if want == "" {
					want = "null" // left out of the row
				}
				got, err := json.Marshal(row.Value(n))
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != want {
					t.Errorf("%s: Value gives %s, the row holds %s", n, got, want)
				}
			}
			if v := row.Value("no_such_field"); v != nil {
				t.Errorf("an unknown name gives %v, want nil", v)
			}
		})
	}
}
