package extractor

import "golang.org/x/net/html"

// classInfo is what the rules read of an element's class and id: its
// words, and the boilerplate word they carry. Rules never change class
// or id, so an extraction reads them once per element however many
// passes ask (scoring twice, families, structure rules).
type classInfo struct {
	words []string
	word  string // boilerplateClass's word
	bad   bool   // boilerplateClass's verdict
}

// class returns n's class information, splitting its class and id on
// the first call. The caller must not change the words.
func (x *extraction) class(n *html.Node) *classInfo {
	if ci, ok := x.classes[n]; ok {
		return ci
	}
	if x.classes == nil {
		x.classes = map[*html.Node]*classInfo{}
	}
	ci := &classInfo{words: classWords(n)}
	ci.word, ci.bad = boilerplateClass(ci.words)
	x.classes[n] = ci
	return ci
}
