package feedparse

import (
	"regexp"
	"strings"
)

var (
	emailRE       = regexp.MustCompile(`[^\s<>()"',;]+@[^\s<>()"',;]+`)
	angleEmailRE  = regexp.MustCompile(`\s*<[^<>]*@[^<>]*>\s*`)
	parenRE       = regexp.MustCompile(`\s*\(([^()]*)\)\s*`)
	byPrefixRE    = regexp.MustCompile(`(?i)^(?:by|por|par|von|di|door|av|от|автор:?)\s+`)
	authorSepRE   = regexp.MustCompile(`\s*(?:;|/|\||·|、|\band\b|\bund\b|\bet\b|\by\b|\be\b|&|,)\s*`)
	koreanTitleRE = regexp.MustCompile(`\s*(?:선임기자|수석기자|객원기자|인턴기자|사진기자|전문기자|기자|특파원|논설위원|편집위원|선임연구원|연구원|앵커|리포터|칼럼니스트|통신원|교수)\s*$`)
)

// SplitAuthors turns one author string into names: "Name <email>" and
// "email (Name)" give Name; "A 기자, B 기자" gives A and B; "Smith and
// Jones" gives Smith and Jones; a dateline "용인=김수언 기자" gives 김수언.
// A string that is only an email address is kept as it is. "Smith,
// John" (two single words) is one name, not two.
func SplitAuthors(s string) []string {
	s = clean(s)
	if s == "" {
		return nil
	}
	// email (Name) and Name (email): the name is the part without '@'.
	if m := parenRE.FindStringSubmatch(s); m != nil {
		outside := strings.TrimSpace(parenRE.ReplaceAllString(s, " "))
		inside := strings.TrimSpace(m[1])
		switch {
		case emailRE.MatchString(outside) && !strings.Contains(inside, "@") && inside != "":
			s = inside
		case strings.Contains(inside, "@") && outside != "":
			s = outside
		}
	}
	// Name <email>
	if angleEmailRE.MatchString(s) {
		if rest := strings.TrimSpace(angleEmailRE.ReplaceAllString(s, ", ")); strings.Trim(rest, ", ") != "" {
			s = strings.Trim(rest, ", ")
		} else {
			s = strings.Trim(strings.TrimSpace(s), "<>")
		}
	}
	s = byPrefixRE.ReplaceAllString(s, "")
	parts := authorSepRE.Split(s, -1)
	// "Smith, John": two single words around one comma are one name.
	if strings.Count(s, ",") == 1 && len(parts) == 2 && !strings.ContainsAny(s, "&;/") &&
		!strings.Contains(strings.ToLower(s), " and ") && len(strings.Fields(parts[0])) == 1 &&
		len(strings.Fields(parts[1])) == 1 && !koreanTitleRE.MatchString(parts[0]) && !hasHangul(s) {
		parts = []string{s}
	}
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		// A dateline: "용인=김수언 기자", "서울=연합뉴스 홍길동 기자".
		if i := strings.LastIndex(p, "="); i >= 0 {
			p = strings.TrimSpace(p[i+len("="):])
		}
		p = koreanTitleRE.ReplaceAllString(p, "")
		p = strings.Trim(strings.TrimSpace(p), ".,;:-–—")
		if p != "" && !contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func hasHangul(s string) bool {
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 {
			return true
		}
	}
	return false
}
