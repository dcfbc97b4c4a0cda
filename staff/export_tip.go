package staff

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"

	"tipline"
	"tipline/media"
	"tipline/store"
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
// as JSON, every photo not marked as abuse material, the kept originals
// when staff confirmed they want them, and SHA256SUMS.txt: the SHA-256 of
// every file in it and the chain of custody (who exported, when, each
// original's hash on receipt checked again). A tip with originals first
// shows a page warning that they carry the tipster's location metadata
// (?originals=include or ?originals=omit answers it). The package's own
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
	origs, err := db.store.TipOriginals(c.ctx(), id)
	if err != nil {
		return err
	}
	choice := c.r.URL.Query().Get("originals")
	if len(origs) > 0 && choice != "include" && choice != "omit" {
		return db.exportConfirm(c, p, origs)
	}
	if choice != "include" {
		origs = nil
	}
	buf, err := db.buildTipZip(c, p, origs)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(buf)
	if err := c.record("export.tip_package", "tip", idString(id), map[string]any{"photos": len(p.Media),
		"originals": len(origs), "sha256": hex.EncodeToString(sum[:])}); err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", "application/zip")
	c.w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tip-%s.zip"`, safeName(p.Tip.Code)))
	_, err = c.w.Write(buf)
	return err
}

// exportConfirm is the step before a package with originals: what they
// are, what they carry, and the choice to include them or not. Audited.
func (db *Dashboard) exportConfirm(c *reqCtx, p tipPage, origs []store.MediaOriginal) error {
	if err := c.record("export.tip_confirm", "tip", idString(p.Tip.ID),
		map[string]any{"originals": len(origs)}); err != nil {
		return err
	}
	c.render(http.StatusOK, "tip_export_confirm", "Export tip "+p.Tip.Code,
		map[string]any{"Tip": p.Tip, "Originals": origs})
	return nil
}

// zipPackage writes files into a zip and keeps the SHA-256 list.
type zipPackage struct {
	zw   *zip.Writer
	at   time.Time
	sums strings.Builder
}

func (z *zipPackage) add(name string, b []byte) error {
	w, err := z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.at})
	if err != nil {
		return err
	}
	fmt.Fprintf(&z.sums, "%s  %s\n", media.SHA256(b), name)
	_, err = w.Write(b)
	return err
}

func (db *Dashboard) buildTipZip(c *reqCtx, p tipPage, origs []store.MediaOriginal) ([]byte, error) {
	var page bytes.Buffer
	if err := db.pages.byName["tip_export"].ExecuteTemplate(&page, "page", db.exportDoc(c, p)); err != nil {
		return nil, err
	}
	fields, err := json.MarshalIndent(apiTipDetail(p.Tip), "", "  ")
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	z := &zipPackage{zw: zip.NewWriter(&out), at: c.now}
	z.sums.WriteString(custodyHeader(c, p, len(origs)))
	if err := z.add("tip.html", page.Bytes()); err != nil {
		return nil, err
	}
	if err := z.add("tip.json", fields); err != nil {
		return nil, err
	}
	var notes strings.Builder
	for _, m := range p.Media {
		data, ct, err := db.store.MediaData(c.ctx(), p.Tip.ID, m.ID)
		if err != nil {
			return nil, err
		}
		if err := z.add(fmt.Sprintf("photos/%d%s", m.ID, extFor(ct)), data); err != nil {
			return nil, err
		}
		fmt.Fprintf(&notes, "# photo %d: original as received had SHA-256 %s (metadata stripped in this copy)\n", m.ID, m.SHA256)
	}
	for _, o := range origs {
		if err := db.addOriginal(c, z, &notes, p.Tip.ID, o); err != nil {
			return nil, err
		}
	}
	z.sums.WriteString(notes.String())
	if err := z.add("SHA256SUMS.txt", []byte(z.sums.String())); err != nil {
		return nil, err
	}
	if err := z.zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// custodyHeader opens SHA256SUMS.txt: what the package is, who exported
// it, from where and when.
func custodyHeader(c *reqCtx, p tipPage, originals int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Chain of custody: Tipline package for tip %s\n", p.Tip.Code)
	fmt.Fprintf(&b, "# Exported by %s (staff id %d) from %s at %s\n", c.staff.Email, c.staff.ID, c.addr,
		c.now.UTC().Format(time.RFC3339))
	b.WriteString("# The SHA-256 of this whole package is in the audit log row of this export (export.tip_package).\n")
	if originals > 0 {
		fmt.Fprintf(&b, "# %d original(s) as received, metadata included (the sender's location, device): evidence, handle accordingly.\n", originals)
	}
	b.WriteString("# SHA-256 of each file in this package\n")
	return b.String()
}

// addOriginal opens one kept original, checks it against the SHA-256
// recorded on receipt and adds it as originals/<photo id>.<ext>. A
// mismatch stops the export: nothing goes out that is not what came in.
func (db *Dashboard) addOriginal(c *reqCtx, z *zipPackage, notes *strings.Builder, tipID int64, o store.MediaOriginal) error {
	sealed, err := db.store.OriginalSealed(c.ctx(), tipID, o.ID)
	if err != nil {
		return err
	}
	plain, err := db.d.Keys.Open(sealed, store.OriginalAAD)
	if err != nil {
		return fmt.Errorf("original of photo %d: %w", o.ID, err)
	}
	if got := media.SHA256(plain); got != o.SHA256 {
		return tipline.Errorf(tipline.EConflict,
			"the original of photo %d does not match the SHA-256 recorded on receipt: the package was not made", o.ID)
	}
	if err := z.add(fmt.Sprintf("originals/%d%s", o.ID, extFor(http.DetectContentType(plain))), plain); err != nil {
		return err
	}
	fmt.Fprintf(notes, "# original %d: %d bytes received %s, SHA-256 recorded on receipt %s, kept sealed since, checked equal at export\n",
		o.ID, o.Size, o.ReceivedAt.UTC().Format(time.RFC3339), o.SHA256)
	return nil
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
