package staff

import (
	"embed"
	"mime"
	"path"

	"tipline"
)

//go:embed assets
var assetFS embed.FS

// asset serves an embedded stylesheet or script. Assets carry no secrets,
// so they are public (the login page needs them).
func (db *Dashboard) asset(c *reqCtx) error {
	name := path.Base(c.r.PathValue("file"))
	b, err := assetFS.ReadFile("assets/" + name)
	if err != nil {
		return tipline.Errorf(tipline.ENotFound, "not found")
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.w.Header().Set("Content-Type", ct)
	c.w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = c.w.Write(b)
	return err
}
