package paging

import "testing"

// TestTextHoldsReasonAndLinkOnly: a page says why and where to look,
// nothing else; a summary counts what it folds together.
func TestTextHoldsReasonAndLinkOnly(t *testing.T) {
	pg := &Pager{DashboardURL: "https://tips.example.org/"}
	cases := map[string]string{
		pg.text("urgent_tip", "tips/42"): "Tipline alert. Urgent sighting tip: the child may be in danger now. Open: https://tips.example.org/staff/tips/42",
		pg.text("selfharm", "chats/abc"): "Tipline alert. High-risk conversation (selfharm) needs a staff member. Open: https://tips.example.org/staff/chats/abc",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("page %q, want %q", got, want)
		}
	}
	body, reply := pg.summary(3)
	if body != "page:summary:3" || reply == nil {
		t.Errorf("summary %q %v", body, reply)
	}
	if pg.interval() != DefaultInterval || channelOf("telegram") != "telegram" || channelOf("sms:1") != "sms" {
		t.Error("defaults or channels of destinations")
	}
}
