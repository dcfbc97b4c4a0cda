package staff

import (
	"context"
	"net/http"

	"tipline/store"
)

// tipPage is everything the tip page shows.
type tipPage struct {
	Tip        store.DashTipDetail
	Messages   []store.DashMessage
	Media      []store.DashMedia
	CSAMCount  int
	Notes      []store.DashNote
	FollowUps  []store.DashFollowUp
	Duplicates []store.DashTip
	Original   *store.DashTip
	Staff      []store.Staff
	Cases      []store.DashCase
	Statuses   []string
	Canned     []cannedReply
	NCMECURL   string
	MapURL     string
}

// loadTipPage gathers the tip page's data.
func (db *Dashboard) loadTipPage(ctx context.Context, id int64) (tipPage, error) {
	p := tipPage{Statuses: store.TipStatuses, Canned: cannedReplies}
	var err error
	if p.Tip, err = db.store.Tip(ctx, id); err != nil {
		return p, err
	}
	if p.Tip.ConversationID != nil {
		if p.Messages, err = db.store.Messages(ctx, *p.Tip.ConversationID); err != nil {
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
	p, err := db.loadTipPage(c.ctx(), id)
	if err != nil {
		return err
	}
	if err := c.record("tip.view", "tip", idString(id), nil); err != nil {
		return err
	}
	c.render(http.StatusOK, "tip", "Tip "+p.Tip.Code, p)
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
