package staff

import (
	"time"

	"tipline/store"
)

// apiTipJSON is a tip in the JSON API.
type apiTipJSON struct {
	ID            int64      `json:"id"`
	Code          string     `json:"code"`
	Status        string     `json:"status"`
	Urgent        bool       `json:"urgent"`
	Incomplete    bool       `json:"incomplete"`
	Simulated     bool       `json:"simulated"`
	Channel       string     `json:"channel"`
	CaseID        *int64     `json:"case_id"`
	CaseNumber    string     `json:"case_number,omitempty"`
	CaseText      string     `json:"case_text,omitempty"`
	SeenAt        *time.Time `json:"seen_at"`
	SeenText      string     `json:"seen_text,omitempty"`
	PlaceText     string     `json:"place_text,omitempty"`
	Lat           *float64   `json:"lat"`
	Lon           *float64   `json:"lon"`
	Description   string     `json:"description"`
	ReporterAlias string     `json:"reporter_alias"`
	AssignedTo    *int64     `json:"assigned_to"`
	DuplicateOf   *int64     `json:"duplicate_of"`
	LegalHold     bool       `json:"legal_hold"`
	CreatedAt     time.Time  `json:"created_at"`
	SubmittedAt   *time.Time `json:"submitted_at"`
	TriagedAt     *time.Time `json:"triaged_at"`
}

// apiTipDetailJSON adds what only the single-tip answer carries.
type apiTipDetailJSON struct {
	apiTipJSON
	MayContact bool   `json:"may_contact"`
	HasContact bool   `json:"has_contact_details"`
	CanAnswer  bool   `json:"can_be_answered"`
	Blocker    string `json:"cannot_answer_because,omitempty"`
	AliasTips  int    `json:"reporter_tip_count"`
}

func apiTip(t store.DashTip) apiTipJSON {
	return apiTipJSON{ID: t.ID, Code: t.Code, Status: t.Status, Urgent: t.Urgent, Incomplete: t.Incomplete,
		Simulated: t.Simulated, Channel: t.Channel, CaseID: t.CaseID, CaseNumber: t.CaseNumber, CaseText: t.CaseText,
		SeenAt: t.SeenAt, SeenText: t.SeenText, PlaceText: t.PlaceText, Lat: t.Lat, Lon: t.Lon,
		Description: t.Description, ReporterAlias: t.ReporterAlias, AssignedTo: t.AssignedTo,
		DuplicateOf: t.DuplicateOf, LegalHold: t.LegalHold, CreatedAt: t.CreatedAt, SubmittedAt: t.SubmittedAt,
		TriagedAt: t.TriagedAt}
}

func apiTipDetail(t store.DashTipDetail) apiTipDetailJSON {
	return apiTipDetailJSON{apiTipJSON: apiTip(t.DashTip), MayContact: t.MayContact, HasContact: t.HasContact,
		CanAnswer: t.CanAnswer, Blocker: t.AnswerBlocker, AliasTips: t.AliasTips}
}

// apiCaseJSON is a case in the JSON API.
type apiCaseJSON struct {
	ID            int64      `json:"id"`
	Number        string     `json:"number"`
	PublicID      string     `json:"public_id"`
	DisplayName   string     `json:"display_name"`
	Age           *int       `json:"age"`
	Sex           string     `json:"sex,omitempty"`
	Description   string     `json:"description"`
	LastSeenPlace string     `json:"last_seen_place"`
	LastSeenAt    *time.Time `json:"last_seen_at"`
	Status        string     `json:"status"`
	Public        bool       `json:"public"`
	Tips          int        `json:"tips"`
	CreatedAt     time.Time  `json:"created_at"`
}

func apiCase(c store.DashCase) apiCaseJSON {
	return apiCaseJSON{ID: c.ID, Number: c.Number, PublicID: c.PublicID, DisplayName: c.DisplayName, Age: c.Age,
		Sex: c.Sex, Description: c.Description, LastSeenPlace: c.LastSeenPlace, LastSeenAt: c.LastSeenAt,
		Status: c.Status, Public: c.Public, Tips: c.Tips, CreatedAt: c.CreatedAt}
}
