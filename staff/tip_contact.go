package staff

import (
	"net/http"

	"tipline"
)

// contactAAD binds sealed reporter contact details to their column.
const contactAAD = "tip-contact"

// tipContact shows a tip's reporter contact details to an admin; each view
// is audited. Nobody else can reach this page.
func (db *Dashboard) tipContact(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	text, err := db.openContact(c, id)
	if err != nil {
		return err
	}
	c.render(http.StatusOK, "contact", "Reporter contact details", map[string]any{"TipID": id, "Contact": text})
	return nil
}

// openContact decrypts a tip's contact details and audits the view.
func (db *Dashboard) openContact(c *reqCtx, id int64) (string, error) {
	if !c.isAdmin() {
		return "", errForbidden
	}
	sealed, err := db.store.TipContact(c.ctx(), id)
	if err != nil {
		return "", err
	}
	if sealed == nil {
		return "", tipline.Errorf(tipline.ENotFound, "the tipster left no contact details")
	}
	plain, err := db.d.Keys.Open(sealed, contactAAD)
	if err != nil {
		return "", err
	}
	if err := c.record("tip.contact_view", "tip", idString(id), nil); err != nil {
		return "", err
	}
	return string(plain), nil
}
