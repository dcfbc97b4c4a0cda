package staff

import (
	"io"

	"tipline"
	"tipline/media"
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
	if err := db.store.SetCasePhoto(c.ctx(), c.actor(), id, img.Stripped, img.ContentType, img.OriginalSHA256); err != nil {
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
	data, ct, err := db.store.CasePhoto(c.ctx(), id)
	if err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", imageType(ct))
	c.w.Header().Set("Cache-Control", "private, no-store")
	_, err = c.w.Write(data)
	return err
}
