package pipeline

// Progress hears how a pass goes, for a progress display on a terminal.
// The command passes one down; the pipeline knows only this interface,
// never a progress library. Methods are called from many goroutines.
type Progress interface {
	// Total is the units of work the pass expects: feeds for a run,
	// articles for a re-extraction.
	Total(n int)
	// Done is n more units done (a feed polled, skipped or failed; an
	// article re-extracted).
	Done(n int)
	// Count is one more of something worth counting on the way:
	// "pages" fetched, "archived" articles, "changed" texts.
	Count(what string)
}

type noProgress struct{}

func (noProgress) Total(int)    {}
func (noProgress) Done(int)     {}
func (noProgress) Count(string) {}
