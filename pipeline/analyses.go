package pipeline

import (
	"log/slog"
	"time"

	"github.com/feedvault/feedvault/coverage"
	"github.com/feedvault/feedvault/store"
	"github.com/feedvault/feedvault/stories"
)

// silenceHistory is how much poll history the silence warning reads.
const silenceHistory = 14 * 24 * time.Hour

// recordPoll writes the poll's compact record for coverage accounting
// and warns once, on the poll that makes it so, when the feed has gone
// silent: it answers, but nothing new came for much longer than usual.
// (A window overflow is warned about where it is seen, in PollFeed.)
func (p *Pipeline) recordPoll(st *store.FeedState, ev store.Event, rep Report, log *slog.Logger) {
	poll := store.Poll{Feed: st.URL, Time: ev.Time, Status: ev.Status, Failed: rep.FeedsFailed > 0,
		NotModified: rep.NotModified > 0, Items: rep.Items, New: rep.New, Overlap: rep.Known, Truncated: st.Truncated}
	if poll.Failed || poll.New > 0 {
		p.putPoll(poll, log)
		return
	}
	history, err := p.st.Polls(st.URL, ev.Time.Add(-silenceHistory), ev.Time)
	if err != nil {
		log.Error("read poll history", "err", err)
	}
	p.putPoll(poll, log)
	was, _, _ := coverage.SilentAt(history, ev.Time)
	now, since, usual := coverage.SilentAt(append(history, poll), ev.Time)
	if now && !was {
		log.Warn("feed went silent: it answers but brought nothing new for much longer than usual",
			"since", since.Format(time.RFC3339), "usual_gap", usual.String())
	}
}

func (p *Pipeline) putPoll(poll store.Poll, log *slog.Logger) {
	if err := p.st.PutPoll(poll); err != nil {
		log.Error("record poll", "err", err)
	}
}

// withStory asks Put to file a in its story group in the transaction
// that archives it (when a is new or its page was fetched): no
// transaction of its own, and no article stored unfiled.
func withStory(a *store.Article) *store.Article {
	a.FileStory(stories.Filer)
	return a
}
