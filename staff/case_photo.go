package staff

import (
	"io"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/media"
	"tipline/store"
)

// casePhotoUpload stores a case photo, re-encoded without metadata.
func (db *Dashboard) casePhotoUpload(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	file, hdr, err := c.r.FormFile("photo")
	if err != nil {
		return tipline.Errorf(tipline.EInvalid, "choose a photo (JPEG, PNG, GIF or WebP, under 1 MB)")
	}
	defer file.Close()
	raw, err := io.ReadAll(io.LimitReader(file, 8<<20))
	if err != nil {
		return tipline.Errorf(tipline.EInvalid, "the photo could not be read")
	}
	img, err := media.Process(raw, hdr.Header.Get("Content-Type"), media.Limits{})
	if err != nil {
		return tipline.Errorf(tipline.EInvalid, "not a usable photo: %v", err)
	}
	err = c.change("case.photo", "case", idString(id), map[string]any{"sha256": img.OriginalSHA256}, func(tx pgx.Tx) error {
		return store.DashSetCasePhoto(c.ctx(), tx, id, img.Stripped, img.ContentType, c.now)
	})
	if err != nil {
		return err
	}
	return c.redirect(caseURL(id, "photo"))
}

// casePhoto serves a case's photo.
func (db *Dashboard) casePhoto(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	data, ct, err := store.DashCasePhoto(c.ctx(), db.d.Pool, id)
	if err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", imageType(ct))
	c.w.Header().Set("Cache-Control", "private, no-store")
	_, err = c.w.Write(data)
	return err
}
