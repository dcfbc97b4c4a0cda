package staff

// tipMedia serves a photo's stripped copy with its stored content type.
// Photos marked as abuse material are not served to anyone.
func (db *Dashboard) tipMedia(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	mid, err := c.pathID("mid")
	if err != nil {
		return err
	}
	data, ct, err := db.store.MediaData(c.ctx(), id, mid)
	if err != nil {
		return err
	}
	if err := c.record("tip.media_view", "tip", idString(id),
		map[string]any{"media_id": mid}); err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", imageType(ct))
	c.w.Header().Set("Content-Disposition", "inline")
	c.w.Header().Set("Cache-Control", "private, no-store")
	_, err = c.w.Write(data)
	return err
}

// imageType keeps a stored content type only when it is an image type we
// produce; anything else is served as bytes, never as something a browser
// would run.
func imageType(ct string) string {
	switch ct {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
		return ct
	}
	return "application/octet-stream"
}

// tipCSAM marks a photo as child sexual abuse material: hidden from
// everyone at once, preserved, left out of exports, and a reminder to
// report it to NCMEC's CyberTipline shown on the tip.
func (db *Dashboard) tipCSAM(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	mid, err := c.pathID("mid")
	if err != nil {
		return err
	}
	if err := db.store.MarkCSAM(c.ctx(), c.actor(), id, mid); err != nil {
		return err
	}
	return c.redirect(tipURL(id, "csam"))
}
