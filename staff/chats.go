package staff

import (
	"net/http"
)

// chats lists every conversation the danger screen flagged, newest first,
// and the staff pages waiting for acknowledgement.
func (db *Dashboard) chats(c *reqCtx) error {
	chats, err := db.store.Chats(c.ctx(), 200)
	if err != nil {
		return err
	}
	pages, err := db.store.Pages(c.ctx(), 100)
	if err != nil {
		return err
	}
	c.render(http.StatusOK, "chats", "High-risk chats", map[string]any{"Chats": chats, "Pages": pages, "MyID": c.staff.ID})
	return nil
}
