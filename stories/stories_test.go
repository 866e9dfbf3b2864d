package stories

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/feedvault/feedvault/store"
)

func TestAgencies(t *testing.T) {
	long := strings.Repeat("The council met again and talked about the budget for a long time. ", 10)
	tests := []struct {
		name string
		a    store.Article
		want []string
	}{
		{"dateline", store.Article{Text: "WASHINGTON (AP) — The Senate voted on Tuesday."}, []string{"AP"}},
		{"reuters dash", store.Article{Text: "MOSCOW (Reuters) - Russia said on Monday."}, []string{"Reuters"}},
		{"byline", store.Article{Authors: []string{"Staff and Agence France-Presse"}, Text: "Text."}, []string{"AFP"}},
		{"closing credit", store.Article{Text: long + "Reporting by Reuters; © AFP 2026"}, []string{"Reuters", "AFP"}},
		{"russian", store.Article{Text: "МОСКВА, 5 ноября. /ТАСС/. Президент заявил."}, []string{"TASS"}},
		{"ria", store.Article{Text: "Как сообщает РИА Новости, переговоры начались."}, []string{"RIA Novosti"}},
		{"interfax and yonhap", store.Article{Text: "SEOUL, Nov. 5 (Yonhap) -- citing Interfax"}, []string{"Interfax", "Yonhap"}},
		{"dpa lower case", store.Article{Text: "Berlin (dpa) - Die Regierung hat beschlossen."}, []string{"dpa"}},
		{"mention deep in the text is not a credit", store.Article{Text: long + " Reuters reported this last year. " + long}, nil},
		{"ap inside a word", store.Article{Text: "APPLE and snAPshot and CAP (NAP)"}, nil},
		{"lower-case ap is a word", store.Article{Text: "an ap style guide"}, nil},
		{"feed summary when no text", store.Article{Summary: "KYIV (Ukrinform) - Attack reported."}, []string{"Ukrinform"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Agencies(&tc.a); !slices.Equal(got, tc.want) {
				t.Errorf("Agencies = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSign(t *testing.T) {
	text := strings.Repeat("North Korea fired two missiles into the sea on Thursday, officials said. ", 4)
	a, ok := Sign(text)
	if !ok || len(a) != Hashes {
		t.Fatalf("Sign: ok %v, len %d", ok, len(a))
	}
	b, _ := Sign(strings.ToUpper(text) + "\n\n")
	if Similarity(a, b) != 1 {
		t.Errorf("case and spacing changed the signature: %.2f", Similarity(a, b))
	}
	if _, ok := Sign("too short to tell a copy from a coincidence"); ok {
		t.Error("a short text was signed")
	}
	other, _ := Sign(strings.Repeat("The weather in Busan stayed mild and dry over the long holiday weekend. ", 4))
	if s := Similarity(a, other); s > 0.1 {
		t.Errorf("unrelated texts resemble %.2f", s)
	}
}

func TestText(t *testing.T) {
	a := &store.Article{Text: "Subscribe to our newsletter.\nThe story itself, which is kept.\n© 2026 AP. All rights reserved."}
	if got := Text(a); got != "The story itself, which is kept." {
		t.Errorf("Text = %q", got)
	}
	if got := Text(&store.Article{Summary: "only the feed"}); got != "only the feed" {
		t.Errorf("Text of an unfetched article = %q", got)
	}
}

// Filing an article again (its page arrived after the feed's summary)
// moves it out of its old group and its old bands.
func TestRefile(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "a.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	wire := strings.Repeat("The port authority suspended night shipments after the storm damaged two cranes, officials said. ", 3)
	other := strings.Repeat("Voters in the capital queued for hours as the polls stayed open late into the evening. ", 3)
	put := func(url, text string) *store.Article {
		a := &store.Article{URL: url, Outlet: "o", Text: text}
		id, _, err := st.Put(a, nil)
		if err != nil {
			t.Fatal(err)
		}
		a.ID = id
		if _, err := Add(st, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	first := put("https://o.example/1", wire)
	second := put("https://o.example/2", wire)
	if m, _ := st.StoryMembers(first.ID); len(m) != 2 {
		t.Fatalf("members %v, want both", m)
	}
	second.Text = other
	si, err := Add(st, second)
	if err != nil {
		t.Fatal(err)
	}
	if si.Group != second.ID {
		t.Errorf("refiled with new text: group %d, want its own %d", si.Group, second.ID)
	}
	if m, _ := st.StoryMembers(first.ID); len(m) != 1 {
		t.Errorf("old group still lists the refiled article: %v", m)
	}
	third := put("https://o.example/3", wire)
	if si, _, _ := st.Story(third.ID); si.Group != first.ID {
		t.Errorf("a new copy joined %d, want %d (the refiled article's old bands must be gone)", si.Group, first.ID)
	}
	groups, _ := st.StoryGroups(2)
	if len(groups) != 1 || len(groups[first.ID]) != 2 {
		t.Errorf("groups %v", groups)
	}
}

func FuzzSign(f *testing.F) {
	f.Add("SEOUL (Yonhap) -- North Korea fired two short-range ballistic missiles into the East Sea on Thursday, the Joint Chiefs said, officials added today.")
	f.Add("МОСКВА, 5 ноября. /ТАСС/. Президент России заявил журналистам, что переговоры продолжатся на следующей неделе в столице страны.")
	f.Add("\xff\xfe broken \x00 utf8")
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := Sign(s)
		if !ok {
			return
		}
		b, _ := Sign(s)
		if len(a) != Hashes || Similarity(a, b) != 1 {
			t.Fatalf("signature not deterministic or wrong length: %d", len(a))
		}
		Agencies(&store.Article{Text: s, Authors: []string{s}})
	})
}
