package staff

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"time"
)

// exportDoc is what a printable export shows.
type exportDoc struct {
	Title     string
	Generated string
	By        string
	Page      tipPage
	Loc       *time.Location
}

// exportTipHTML is one tip as a printable page for law enforcement,
// without photos marked as abuse material. Audited.
func (db *Dashboard) exportTipHTML(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	p, err := db.loadTipPage(c.ctx(), id)
	if err != nil {
		return err
	}
	if err := c.record("export.tip_html", "tip", idString(id),
		map[string]any{"photos": len(p.Media)}); err != nil {
		return err
	}
	return c.renderBare("tip_export", db.exportDoc(c, p))
}

func (db *Dashboard) exportDoc(c *reqCtx, p tipPage) exportDoc {
	return exportDoc{Title: "Tip " + p.Tip.Code, Generated: fmtTime(c.now, db.d.Location), By: c.staff.Email,
		Page: p, Loc: db.d.Location}
}

// exportTipZip is the package for one tip: the printable page, the fields
// as JSON, every photo not marked as abuse material, and a SHA-256 list of
// every file in it (with each photo's original hash). The package's own
// hash goes into the audit row.
func (db *Dashboard) exportTipZip(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	p, err := db.loadTipPage(c.ctx(), id)
	if err != nil {
		return err
	}
	buf, err := db.buildTipZip(c, p)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(buf)
	if err := c.record("export.tip_package", "tip", idString(id),
		map[string]any{"photos": len(p.Media), "sha256": hex.EncodeToString(sum[:])}); err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", "application/zip")
	c.w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tip-%s.zip"`, safeName(p.Tip.Code)))
	_, err = c.w.Write(buf)
	return err
}

func (db *Dashboard) buildTipZip(c *reqCtx, p tipPage) ([]byte, error) {
	var page bytes.Buffer
	if err := db.pages.byName["tip_export"].ExecuteTemplate(&page, "page", db.exportDoc(c, p)); err != nil {
		return nil, err
	}
	fields, err := json.MarshalIndent(apiTipDetail(p.Tip), "", "  ")
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	sums := "# SHA-256 of each file in this package\n"
	add := func(name string, b []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: c.now})
		if err != nil {
			return err
		}
		s := sha256.Sum256(b)
		sums += hex.EncodeToString(s[:]) + "  " + name + "\n"
		_, err = w.Write(b)
		return err
	}
	if err := add("tip.html", page.Bytes()); err != nil {
		return nil, err
	}
	if err := add("tip.json", fields); err != nil {
		return nil, err
	}
	for _, m := range p.Media {
		data, ct, err := db.store.MediaData(c.ctx(), p.Tip.ID, m.ID)
		if err != nil {
			return nil, err
		}
		if err := add(fmt.Sprintf("photos/%d%s", m.ID, extFor(ct)), data); err != nil {
			return nil, err
		}
		sums += fmt.Sprintf("# photo %d: original as received had SHA-256 %s (metadata stripped in this copy)\n", m.ID, m.SHA256)
	}
	if err := add("SHA256SUMS.txt", []byte(sums)); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func extFor(ct string) string {
	switch ct {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	}
	return ".bin"
}

// safeName keeps a file name to letters, digits and dashes.
func safeName(s string) string {
	out := []rune{}
	for _, r := range path.Base(s) {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			out = append(out, r)
		}
	}
	return string(out)
}
