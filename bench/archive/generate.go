package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"
)

type article struct {
	URL       string   `json:"url"`
	Outlet    string   `json:"outlet"`
	Title     string   `json:"title"`
	Published string   `json:"published"`
	Text      string   `json:"text"`
	Authors   []string `json:"authors"`
	Language  string   `json:"language"`
}

// Planted phrases, each in a known share of the articles.
var planted = []struct {
	phrase string
	every  int
}{
	{"north korean troops", 50}, {"kursk offensive", 120}, {"grain corridor deal", 400}, {"северокорейские военные", 300},
}

func syllableWords(n int, syl []string, r *rand.Rand) []string {
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		k := 1 + r.IntN(3)
		var b strings.Builder
		for i := 0; i < k; i++ {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] && len([]rune(w)) > 2 {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func generate(n int, path string) ([]article, error) {
	r := rand.New(rand.NewPCG(42, 7))
	en := syllableWords(8000, strings.Fields("ka to ri sen mar lo pe an ti vo ber gan del fin ho ru sto pol tra min ex ar co ne la"), r)
	en = append([]string{"the", "of", "and", "to", "in", "a", "said", "on", "for", "that", "korea", "russia", "ukraine", "troops", "border", "talks", "minister", "sanctions", "summit", "missile"}, en...)
	ru := syllableWords(2000, strings.Fields("ка то ри сен мар ло пе ан ти во бер ган дел фин хо ру сто пол тра мин"), r)
	ru = append([]string{"и", "в", "на", "что", "россия", "украина", "войска", "переговоры", "министр", "санкции", "пхеньян", "москва"}, ru...)
	zen := rand.NewZipf(r, 1.1, 2, uint64(len(en)-1))
	zru := rand.NewZipf(r, 1.1, 2, uint64(len(ru)-1))
	outlets := make([]string, 20)
	for i := range outlets {
		outlets[i] = fmt.Sprintf("outlet%02d", i)
	}
	start := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	arts := make([]article, n)
	for i := 0; i < n; i++ {
		russian := i%10 == 3
		words := func(k int) string {
			b := make([]string, k)
			for j := range b {
				if russian {
					b[j] = ru[zru.Uint64()]
				} else {
					b[j] = en[zen.Uint64()]
				}
			}
			return strings.Join(b, " ")
		}
		var body strings.Builder
		for p := 0; p < 4+r.IntN(8); p++ {
			body.WriteString(words(40 + r.IntN(60)))
			body.WriteString(".\n\n")
		}
		text := body.String()
		for _, pl := range planted {
			// English phrases land on English articles (i%10 != 3), Russian on Russian ones.
			if ru := strings.ContainsRune(pl.phrase, 'в'); ru == russian && (ru && i%pl.every == 3 || !ru && i%pl.every == 1) {
				text += pl.phrase + " were mentioned.\n"
			}
		}
		lang := "en"
		if russian {
			lang = "ru"
		}
		a := article{
			URL: fmt.Sprintf("https://%s.example/news/%d", outlets[i%20], i), Outlet: outlets[i%20],
			Title: words(6 + r.IntN(6)), Published: start.Add(time.Duration(r.IntN(120*24*60)) * time.Minute).Format(time.RFC3339),
			Text: text, Authors: []string{"Author " + en[20+r.IntN(200)]}, Language: lang,
		}
		arts[i] = a
		if err := enc.Encode(a); err != nil {
			return nil, err
		}
	}
	return arts, w.Flush()
}
