package staff

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"tipline"
	"tipline/directory/hsds"
)

// importMaxBody bounds an uploaded directory file.
const importMaxBody = 16 << 20

// resourceImportForm shows the upload form, and with ?batch=N the preview
// of that upload: what it would add and change, before anything is
// proposed.
func (db *Dashboard) resourceImportForm(c *reqCtx) error {
	data := map[string]any{}
	if n, err := strconv.ParseInt(c.r.URL.Query().Get("batch"), 10, 64); err == nil && n > 0 {
		b, plan, err := db.store.ImportPlan(c.ctx(), n)
		if err != nil {
			return err
		}
		data["Batch"], data["Plan"] = b, plan
	}
	c.render(http.StatusOK, "resource_import", "Import resources", data)
	return nil
}

// resourceImportUpload reads an uploaded file (Tipline JSON, HSDS JSON, or
// an HSDS CSV package as .zip), keeps its records as a previewed batch and
// shows the preview. Nothing is proposed until the preview is accepted.
func (db *Dashboard) resourceImportUpload(c *reqCtx) error {
	file, hdr, err := c.r.FormFile("file")
	if err != nil {
		return tipline.Errorf(tipline.EInvalid, "choose a file: Tipline JSON, HSDS JSON or an HSDS CSV package (.zip)")
	}
	defer file.Close()
	name := tipline.CleanText(filepath.Base(hdr.Filename))
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".json" && ext != ".zip" {
		return tipline.Errorf(tipline.EInvalid, "a .json or .zip file, please")
	}
	tmp, err := os.CreateTemp("", "tipline-import-*"+ext)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, io.LimitReader(file, importMaxBody))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	rs, _, err := hsds.ImportFile(tmp.Name())
	if err != nil {
		return tipline.Errorf(tipline.EInvalid, "%s: %v", name, strings.ReplaceAll(err.Error(), tmp.Name(), name))
	}
	b, _, err := db.store.PreviewImport(c.ctx(), c.actor(), name, rs)
	if err != nil {
		return err
	}
	return c.redirect("/staff/resources/import?batch=" + strconv.FormatInt(b.ID, 10))
}

// resourceImportStage turns a previewed import into proposals, each
// waiting for a staff member other than the caller.
func (db *Dashboard) resourceImportStage(c *reqCtx) error {
	id, err := c.pathID("batch")
	if err != nil {
		return err
	}
	if _, err := db.store.StageImport(c.ctx(), c.actor(), id); err != nil {
		return err
	}
	return c.redirect("/staff/resources/changes?batch=" + strconv.FormatInt(id, 10) + "&done=staged")
}
