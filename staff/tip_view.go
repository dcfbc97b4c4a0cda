package staff

import (
	"context"

	"tipline"
	"tipline/store"
)

// tipPage is everything the tip page shows.
type tipPage struct {
	Tip        store.DashTipDetail
	Messages   []transcriptLine
	Media      []store.DashMedia
	CSAMCount  int
	Notes      []store.DashNote
	FollowUps  []store.DashFollowUp
	Duplicates []store.DashTip
	Original   *store.DashTip
	// Sighting correlation: ranked suggestions, and the merges on record
	// (either side, standing or undone).
	Suggestions []suggestion
	Merges      []store.TipMerge
	Staff       []store.Staff
	Cases       []store.DashCase
	Statuses    []string
	Canned      []cannedReply
	NCMECURL    string
	MapURL      string
	// The reply form: a draft sent back, whether the tipster is on SMS,
	// and the header every reply starts with (for the segment count).
	Draft       draft
	SMS         bool
	ReplyPrefix string
	CannedText  map[string]string // each canned reply in the tipster's language, by id
}

// loadTipPage gathers the tip page's data.
func (db *Dashboard) loadTipPage(ctx context.Context, id int64) (tipPage, error) {
	p := tipPage{Statuses: store.TipStatuses, Canned: cannedReplies}
	var err error
	if p.Tip, err = db.store.Tip(ctx, id); err != nil {
		return p, err
	}
	if p.Tip.ConversationID != nil {
		msgs, err := db.store.Messages(ctx, *p.Tip.ConversationID)
		if err != nil {
			return p, err
		}
		if p.Messages, err = db.transcript(ctx, msgs, p.Tip.ConversationLang); err != nil {
			return p, err
		}
	}
	all, err := db.store.TipMedia(ctx, id, true)
	if err != nil {
		return p, err
	}
	for _, m := range all {
		if m.CSAM {
			p.CSAMCount++
		} else {
			p.Media = append(p.Media, m)
		}
	}
	if p.Notes, err = db.store.TipNotes(ctx, id); err != nil {
		return p, err
	}
	if p.FollowUps, err = db.store.FollowUps(ctx, id); err != nil {
		return p, err
	}
	if p.Duplicates, err = db.store.Duplicates(ctx, id); err != nil {
		return p, err
	}
	if p.Tip.DuplicateOf != nil {
		if orig, err := db.store.Tip(ctx, *p.Tip.DuplicateOf); err == nil {
			p.Original = &orig.DashTip
		}
	}
	if err := db.loadCorrelation(ctx, &p); err != nil {
		return p, err
	}
	if p.Staff, err = db.store.Staff(ctx); err != nil {
		return p, err
	}
	if p.Cases, err = db.store.Cases(ctx); err != nil {
		return p, err
	}
	p.NCMECURL = db.ncmecURL(ctx)
	p.MapURL = mapURL(p.Tip.Lat, p.Tip.Lon)
	return p, nil
}

// tipView shows one tip; the view is audited.
func (db *Dashboard) tipView(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	return db.showTip(c, id, draft{})
}

// showTip renders a tip page (audited as a view); a reply the form sent
// back is shown again in its box with the reason (draft.status).
func (db *Dashboard) showTip(c *reqCtx, id int64, d draft) error {
	p, err := db.loadTipPage(c.ctx(), id)
	if err != nil {
		return err
	}
	if err := c.record("tip.view", "tip", idString(id), nil); err != nil {
		return err
	}
	p.Draft, p.SMS, p.ReplyPrefix = d, p.Tip.Channel == string(tipline.ChannelSMS), replyPrefix(p.Tip)
	p.CannedText = map[string]string{}
	for _, r := range cannedReplies {
		p.CannedText[r.ID], _ = cannedText(r.ID, p.Tip.ConversationLang)
	}
	status := d.status()
	c.render(status, "tip", "Tip "+p.Tip.Code, p)
	return nil
}

// ncmecURL is where abuse material is reported, from the directory record
// (so it stays verified in one place).
func (db *Dashboard) ncmecURL(ctx context.Context) string {
	r, err := db.store.Resource(ctx, "us-ncmec-cybertipline")
	if err != nil || r.URL == "" {
		return "https://report.cybertip.org"
	}
	return r.URL
}
