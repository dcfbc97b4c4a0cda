package staff

import (
	"net/http"

	"tipline/store"
)

// cases lists every case, open ones first.
func (db *Dashboard) cases(c *reqCtx) error {
	cs, err := db.store.Cases(c.ctx())
	if err != nil {
		return err
	}
	c.render(http.StatusOK, "cases", "Cases", map[string]any{"Cases": cs})
	return nil
}

// caseNew shows the empty case form.
func (db *Dashboard) caseNew(c *reqCtx) error {
	c.render(http.StatusOK, "case_form", "New case", map[string]any{"Case": store.Case{}, "Action": "/staff/cases", "LastSeen": ""})
	return nil
}
