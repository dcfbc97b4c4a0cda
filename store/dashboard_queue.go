package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// TipStatuses are the review states of a tip, in workflow order.
var TipStatuses = []string{"new", "triaged", "verified", "referred", "closed", "duplicate"}

// ValidTipStatus reports whether s is one of TipStatuses.
func ValidTipStatus(s string) bool {
	for _, v := range TipStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// DashTip is one tip as the staff queue and exports show it.
type DashTip struct {
	ID            int64
	Code          string
	Channel       string
	Status        string
	Urgent        bool
	Incomplete    bool
	Simulated     bool
	CaseID        *int64
	CaseNumber    string
	CaseText      string
	Description   string
	PlaceText     string
	SeenText      string
	SeenAt        *time.Time
	Lat, Lon      *float64
	AssignedTo    *int64
	AssignedEmail string
	ReporterAlias string
	DuplicateOf   *int64
	LegalHold     bool
	CreatedAt     time.Time
	SubmittedAt   *time.Time
	TriagedAt     *time.Time
}

// QueueFilter narrows the tip queue. Zero values match everything.
type QueueFilter struct {
	Status     string
	CaseID     int64
	Channel    string
	AssignedTo int64     // only tips assigned to this staff id
	From, To   time.Time // created_at range [From, To)
	Incomplete string    // "only", "exclude" or ""
	Simulated  string    // "only", "exclude" or ""
	Query      string    // words in description, place or case text; or a tip code
	IDs        []int64   // only these tips
	Offset     int
	Limit      int // default 50, at most 5000
}

const dashTipColumns = `t.id, t.code, t.channel, t.status, t.urgent, t.incomplete, t.simulated, t.case_id,
	COALESCE(c.case_number, ''), t.case_text, t.description, t.place_text, t.seen_text, t.seen_at, t.lat, t.lon,
	t.assigned_to, COALESCE(s.email, ''), t.reporter_alias, t.duplicate_of, t.legal_hold, t.created_at,
	t.submitted_at, t.triaged_at`

const dashTipFrom = ` FROM tips t LEFT JOIN cases c ON c.id = t.case_id LEFT JOIN staff s ON s.id = t.assigned_to`

func scanDashTip(row pgx.Row) (DashTip, error) {
	var t DashTip
	err := row.Scan(&t.ID, &t.Code, &t.Channel, &t.Status, &t.Urgent, &t.Incomplete, &t.Simulated, &t.CaseID,
		&t.CaseNumber, &t.CaseText, &t.Description, &t.PlaceText, &t.SeenText, &t.SeenAt, &t.Lat, &t.Lon,
		&t.AssignedTo, &t.AssignedEmail, &t.ReporterAlias, &t.DuplicateOf, &t.LegalHold, &t.CreatedAt,
		&t.SubmittedAt, &t.TriagedAt)
	return t, err
}

// where builds the WHERE clause of f with numbered parameters.
func (f QueueFilter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if f.Status != "" {
		add("t.status = $?", f.Status)
	}
	if f.CaseID != 0 {
		add("t.case_id = $?", f.CaseID)
	}
	if f.Channel != "" {
		add("t.channel = $?", f.Channel)
	}
	if f.AssignedTo != 0 {
		add("t.assigned_to = $?", f.AssignedTo)
	}
	if !f.From.IsZero() {
		add("t.created_at >= $?", f.From)
	}
	if !f.To.IsZero() {
		add("t.created_at < $?", f.To)
	}
	conds = append(conds, triState("t.incomplete", f.Incomplete)...)
	conds = append(conds, triState("t.simulated", f.Simulated)...)
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, q, strings.ToUpper(q))
		conds = append(conds, fmt.Sprintf(`(to_tsvector('simple', t.description || ' ' || t.place_text || ' ' || t.case_text)
			@@ plainto_tsquery('simple', $%d) OR t.code = $%d)`, len(args)-1, len(args)))
	}
	if len(f.IDs) > 0 {
		add("t.id = ANY($?)", f.IDs)
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func triState(col, v string) []string {
	switch v {
	case "only":
		return []string{col}
	case "exclude":
		return []string{"NOT " + col}
	}
	return nil
}

// Queue returns one page of tips matching f (see DashQueue).
func (s *Dashboard) Queue(ctx context.Context, f QueueFilter) ([]DashTip, bool, error) {
	return DashQueue(ctx, s.pool, f)
}

// DashQueue returns one page of tips matching f, urgent first, then
// newest, and whether more follow.
func DashQueue(ctx context.Context, db DBTX, f QueueFilter) ([]DashTip, bool, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 5000)
	where, args := f.where()
	args = append(args, f.Limit+1, max(f.Offset, 0))
	n := len(args)
	q := `SELECT ` + dashTipColumns + dashTipFrom + where +
		` ORDER BY t.urgent DESC, t.created_at DESC, t.id DESC LIMIT $` + strconv.Itoa(n-1) + ` OFFSET $` + strconv.Itoa(n)
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, false, fmt.Errorf("tip queue: %w", err)
	}
	tips, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashTip, error) { return scanDashTip(r) })
	if err != nil {
		return nil, false, fmt.Errorf("tip queue: %w", err)
	}
	more := len(tips) > f.Limit
	if more {
		tips = tips[:f.Limit]
	}
	return tips, more, nil
}

// QueueState is what the live refresh compares: counts per status, the
// newest tip and how many urgent tips wait unreviewed.
type QueueState struct {
	Counts      map[string]int `json:"counts"`
	Total       int            `json:"total"`
	NewestID    int64          `json:"newest_id"`
	UrgentNew   int            `json:"urgent_new"`
	UrgentMaxID int64          `json:"urgent_max_id"`
	OpenPages   int            `json:"open_pages"`  // staff pages nobody acknowledged
	PageMaxID   int64          `json:"page_max_id"` // the newest of them
}

// StatusCounts counts tips per status (simulated tips included when
// withSim). It reads every tip: callers cache it briefly.
func (s *Dashboard) StatusCounts(ctx context.Context, withSim bool) (map[string]int, int, error) {
	counts := map[string]int{}
	for _, st := range TipStatuses {
		counts[st] = 0
	}
	rows, err := s.pool.Query(ctx, `SELECT status, count(*) FROM tips WHERE $1 OR NOT simulated GROUP BY status`, withSim)
	if err != nil {
		return nil, 0, fmt.Errorf("queue counts: %w", err)
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, 0, err
		}
		counts[st] = n
		total += n
	}
	return counts, total, rows.Err()
}

// QueueHead finds the newest tip and the urgent tips waiting in
// status new (from indexes; cheap enough for every refresh).
func (s *Dashboard) QueueHead(ctx context.Context, withSim bool) (newestID int64, urgentNew int, urgentMaxID int64, err error) {
	err = s.pool.QueryRow(ctx, `SELECT COALESCE((SELECT max(id) FROM tips), 0),
		(SELECT count(*) FROM tips WHERE status = 'new' AND urgent AND ($1 OR NOT simulated)),
		COALESCE((SELECT max(id) FROM tips WHERE status = 'new' AND urgent AND ($1 OR NOT simulated)), 0)`, withSim).
		Scan(&newestID, &urgentNew, &urgentMaxID)
	return newestID, urgentNew, urgentMaxID, err
}

// OpenPages counts the staff pages nobody acknowledged and returns
// the newest one's id (from a partial index).
func (s *Dashboard) OpenPages(ctx context.Context) (n int, maxID int64, err error) {
	err = s.pool.QueryRow(ctx, `SELECT count(*), COALESCE(max(id), 0) FROM pages WHERE acked_at IS NULL`).Scan(&n, &maxID)
	return n, maxID, err
}

// DayStat is one day of the queue chart.
type DayStat struct {
	Day          time.Time
	Tips         int
	MedianTriage *time.Duration // median time from arrival to first triage, of the day's triaged tips
}

// TipsPerDay returns tips per day (in loc) from from until now, with
// the median time to triage; days without tips are included as zero.
func (s *Dashboard) TipsPerDay(ctx context.Context, from, now time.Time, loc *time.Location) ([]DayStat, error) {
	rows, err := s.pool.Query(ctx, `SELECT (created_at AT TIME ZONE $3)::date AS d, count(*),
		percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM triaged_at - created_at))
			FILTER (WHERE triaged_at IS NOT NULL)
		FROM tips WHERE created_at >= $1 AND created_at < $2 AND NOT simulated GROUP BY d ORDER BY d`, from, now, loc.String())
	if err != nil {
		return nil, fmt.Errorf("tips per day: %w", err)
	}
	defer rows.Close()
	byDay := map[string]DayStat{}
	for rows.Next() {
		var d time.Time
		var n int
		var med *float64
		if err := rows.Scan(&d, &n, &med); err != nil {
			return nil, err
		}
		st := DayStat{Day: d, Tips: n}
		if med != nil {
			m := time.Duration(*med * float64(time.Second))
			st.MedianTriage = &m
		}
		byDay[d.Format(time.DateOnly)] = st
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []DayStat
	for d := from.In(loc); !d.After(now.In(loc)); d = d.AddDate(0, 0, 1) {
		key := d.Format(time.DateOnly)
		st, ok := byDay[key]
		if !ok {
			day, _ := time.Parse(time.DateOnly, key)
			st = DayStat{Day: day}
		}
		out = append(out, st)
	}
	return out, nil
}
