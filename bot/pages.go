package bot

import "strings"

// pageText is what staff receive: the reason and a dashboard link, never
// message text or an identifier.
func (b *Bot) pageText(reason, path string) string {
	what := map[string]string{
		"urgent_tip": "Urgent sighting tip: the child may be in danger now.",
	}[reason]
	if what == "" {
		what = "High-risk conversation (" + reason + ") needs a staff member."
	}
	return "Tipline alert. " + what + " Open: " + strings.TrimRight(b.DashboardURL, "/") + "/staff/" + path
}
