package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/directory"
)

// resourceRow is one resources row as JSON, the form ReplaceResources
// hands to PostgreSQL (jsonb_to_recordset) in a single statement.
type resourceRow struct {
	ID           string              `json:"id"`
	Position     int                 `json:"position"`
	Name         string              `json:"name"`
	Organization string              `json:"organization"`
	Description  map[string]string   `json:"description"`
	Categories   []string            `json:"categories"`
	Phone        string              `json:"phone"`
	PhoneE164    string              `json:"phone_e164"`
	SMSNumber    string              `json:"sms_number"`
	SMSKeyword   string              `json:"sms_keyword"`
	TTY          string              `json:"tty"`
	WhatsApp     string              `json:"whatsapp"`
	ChatURL      string              `json:"chat_url"`
	URL          string              `json:"url"`
	Hours        string              `json:"hours"`
	Schedule     []directory.Opening `json:"schedule"`
	AgesMin      int                 `json:"ages_min"`
	AgesMax      int                 `json:"ages_max"`
	Eligibility  string              `json:"eligibility"`
	Languages    []string            `json:"languages"`
	Regions      []string            `json:"regions"`
	Area         string              `json:"area"`
	Local        bool                `json:"local"`
	Address      string              `json:"address"`
	Lat          *float64            `json:"lat"`
	Lon          *float64            `json:"lon"`
	Verified     bool                `json:"verified"`
	Hidden       bool                `json:"hidden"`
	HiddenFields []string            `json:"hidden_fields"`
	Source       string              `json:"source"`
	MoreSources  []string            `json:"more_sources"`
	Notes        string              `json:"notes"`
	CheckedOn    string              `json:"checked_on"`
	VerifiedBy   string              `json:"verified_by"`
	VerifiedAt   *time.Time          `json:"verified_at"`
	Origin       string              `json:"origin"`
}

func toRow(i int, r directory.Resource) resourceRow {
	row := resourceRow{
		ID: r.ID, Position: i, Name: r.Name, Organization: r.Organization, Description: r.Description,
		Categories: nonNil(r.Categories), Phone: r.Phone, PhoneE164: r.PhoneE164, SMSNumber: r.SMSNumber,
		SMSKeyword: r.SMSKeyword, TTY: r.TTY, WhatsApp: r.WhatsApp, ChatURL: r.ChatURL, URL: r.URL,
		Hours: r.Hours, Schedule: r.Schedule, AgesMin: r.AgesMin, AgesMax: r.AgesMax, Eligibility: r.Eligibility,
		Languages: nonNil(r.Languages), Regions: nonNil(r.Regions), Area: r.Area,
		Local: r.Local, Address: r.Address, Verified: r.Verified, Hidden: r.Hidden,
		HiddenFields: nonNil(r.HiddenFields), Source: r.Source, MoreSources: nonNil(r.MoreSources),
		Notes: r.Notes, CheckedOn: r.CheckedOn, VerifiedBy: r.VerifiedBy,
	}
	if row.Description == nil {
		row.Description = map[string]string{}
	}
	if row.Schedule == nil {
		row.Schedule = []directory.Opening{}
	}
	if r.Point != nil {
		row.Lat, row.Lon = &r.Point.Lat, &r.Point.Lon
	}
	if !r.VerifiedAt.IsZero() {
		t := r.VerifiedAt
		row.VerifiedAt = &t
	}
	return row
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// srcColumns types the JSON of resourceRow for jsonb_to_recordset.
const srcColumns = `id text, position int, name text, organization text, description jsonb, categories jsonb,
	phone text, phone_e164 text, sms_number text, sms_keyword text, tty text, whatsapp text,
	chat_url text, url text, hours text, schedule jsonb, ages_min int, ages_max int, eligibility text,
	languages jsonb, regions jsonb, area text, local boolean, address text, lat float8, lon float8,
	verified boolean, hidden boolean, hidden_fields jsonb, source text, more_sources jsonb, notes text,
	checked_on text, verified_by text, verified_at timestamptz, origin text`

// upsertColumns are the columns every upsert writes, in srcColumns order.
const upsertColumns = `id, position, name, organization, description, categories, phone, phone_e164,
	sms_number, sms_keyword, tty, whatsapp, chat_url, url, hours, schedule, ages_min, ages_max, eligibility,
	languages, regions, area, local, address, lat, lon, verified, hidden, hidden_fields, source, more_sources,
	notes, checked_on, verified_by, verified_at, origin`

// upsertSQL inserts or replaces the records of src (a CTE over $1).
// Pending contact changes of replaced records are dropped.
const upsertSQL = `
	INSERT INTO resources (` + upsertColumns + `)
	SELECT id, position, name, organization, description, categories, phone, phone_e164,
		sms_number, sms_keyword, tty, whatsapp, chat_url, url, hours, schedule, ages_min, ages_max,
		eligibility, languages, regions, area, local, address, lat, lon, verified, hidden, hidden_fields,
		source, more_sources, notes, NULLIF(checked_on, '')::date, verified_by, verified_at, origin
	FROM src
	ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, name = EXCLUDED.name,
		organization = EXCLUDED.organization, description = EXCLUDED.description,
		categories = EXCLUDED.categories, phone = EXCLUDED.phone, phone_e164 = EXCLUDED.phone_e164,
		sms_number = EXCLUDED.sms_number, sms_keyword = EXCLUDED.sms_keyword, tty = EXCLUDED.tty,
		whatsapp = EXCLUDED.whatsapp, chat_url = EXCLUDED.chat_url, url = EXCLUDED.url,
		hours = EXCLUDED.hours, schedule = EXCLUDED.schedule, ages_min = EXCLUDED.ages_min,
		ages_max = EXCLUDED.ages_max, eligibility = EXCLUDED.eligibility, languages = EXCLUDED.languages,
		regions = EXCLUDED.regions, area = EXCLUDED.area, local = EXCLUDED.local, address = EXCLUDED.address,
		lat = EXCLUDED.lat, lon = EXCLUDED.lon, verified = EXCLUDED.verified, hidden = EXCLUDED.hidden,
		hidden_fields = EXCLUDED.hidden_fields, source = EXCLUDED.source,
		more_sources = EXCLUDED.more_sources, notes = EXCLUDED.notes, checked_on = EXCLUDED.checked_on,
		verified_by = EXCLUDED.verified_by, verified_at = EXCLUDED.verified_at, origin = EXCLUDED.origin,
		verified_by_staff = NULL, pending_contacts = NULL, pending_by_staff = NULL, pending_at = NULL,
		updated_at = now()
	RETURNING id`

// replaceSQL upserts every given record and deletes the others, in one
// statement, so the directory changes at once even outside a transaction.
const replaceSQL = `WITH src AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(` + srcColumns + `)),
up AS (` + upsertSQL + `)
DELETE FROM resources WHERE id NOT IN (SELECT id FROM src)`

// ReplaceResources makes rs the whole directory, in rs's order. Every
// record is validated first; an invalid one changes nothing. The upsert
// and the removal of records not in rs are one statement, so the change is
// atomic on its own; pass a transaction to make it part of a larger one.
func ReplaceResources(ctx context.Context, db DBTX, rs []directory.Resource) error {
	if len(rs) == 0 {
		return tipline.Errorf(tipline.EInvalid, "resources: refusing to replace the directory with nothing")
	}
	if err := directory.ValidateAll(rs); err != nil {
		return tipline.Errorf(tipline.EInvalid, "resources: %v", err)
	}
	rows := make([]resourceRow, len(rs))
	for i, r := range rs {
		rows[i] = toRow(i, r)
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("store: replace resources: %w", err)
	}
	if _, err := db.Exec(ctx, replaceSQL, string(b)); err != nil {
		return fmt.Errorf("store: replace resources: %w", err)
	}
	return nil
}

const resourceColumns = `id, name, organization, description, categories, phone, phone_e164, sms_number,
	sms_keyword, tty, whatsapp, chat_url, url, hours, schedule, ages_min, ages_max, eligibility, languages, regions, area, local, address, lat, lon,
	verified, hidden, hidden_fields, source, more_sources, notes, COALESCE(to_char(checked_on, 'YYYY-MM-DD'), ''),
	verified_by, verified_at`

func scanResource(row pgx.Row) (directory.Resource, error) {
	var r directory.Resource
	var lat, lon *float64
	var verifiedAt *time.Time
	err := row.Scan(&r.ID, &r.Name, &r.Organization, &r.Description, &r.Categories, &r.Phone, &r.PhoneE164,
		&r.SMSNumber, &r.SMSKeyword, &r.TTY, &r.WhatsApp, &r.ChatURL, &r.URL, &r.Hours, &r.Schedule, &r.AgesMin, &r.AgesMax, &r.Eligibility, &r.Languages,
		&r.Regions, &r.Area, &r.Local, &r.Address, &lat, &lon, &r.Verified, &r.Hidden, &r.HiddenFields,
		&r.Source, &r.MoreSources, &r.Notes, &r.CheckedOn, &r.VerifiedBy, &verifiedAt)
	if err != nil {
		return r, err
	}
	if lat != nil && lon != nil {
		r.Point = &tipline.Location{Lat: *lat, Lon: *lon}
	}
	if verifiedAt != nil {
		r.VerifiedAt = verifiedAt.UTC()
	}
	r.Description = nilIfEmptyMap(r.Description)
	if len(r.Schedule) == 0 {
		r.Schedule = nil
	}
	r.Categories, r.Languages, r.Regions = nilIfEmpty(r.Categories), nilIfEmpty(r.Languages), nilIfEmpty(r.Regions)
	r.HiddenFields, r.MoreSources = nilIfEmpty(r.HiddenFields), nilIfEmpty(r.MoreSources)
	return r, nil
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nilIfEmptyMap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// ListResources returns every record, verified or not and hidden fields
// included, in directory order: for staff and exports, never for users.
func ListResources(ctx context.Context, db DBTX) ([]directory.Resource, error) {
	rows, err := db.Query(ctx, `SELECT `+resourceColumns+` FROM resources ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("store: list resources: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (directory.Resource, error) {
		return scanResource(row)
	})
	if err != nil {
		return nil, fmt.Errorf("store: list resources: %w", err)
	}
	return out, nil
}

// GetResource returns one record as staff see it.
func GetResource(ctx context.Context, db DBTX, id string) (directory.Resource, error) {
	r, err := scanResource(db.QueryRow(ctx, `SELECT `+resourceColumns+` FROM resources WHERE id = $1`, id))
	if err != nil {
		return r, fmt.Errorf("store: get resource: %w", notFound(err, "resource"))
	}
	return r, nil
}

// LoadDirectory builds the in-memory directory users are answered from.
func LoadDirectory(ctx context.Context, db DBTX) (*directory.Directory, error) {
	rs, err := ListResources(ctx, db)
	if err != nil {
		return nil, err
	}
	return directory.New(rs), nil
}

// SeedResourcesIfEmpty loads the bundled directory when the table is
// empty. Two instances starting together are safe: the upsert of the same
// records twice leaves one copy.
func SeedResourcesIfEmpty(ctx context.Context, db DBTX) error {
	var exists bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM resources)`).Scan(&exists); err != nil {
		return fmt.Errorf("store: seed resources: %w", err)
	}
	if exists {
		return nil
	}
	rs, err := directory.Bundled()
	if err != nil {
		return fmt.Errorf("store: seed resources: %w", err)
	}
	return ReplaceResources(ctx, db, rs)
}

// ContactChange is a proposed change of a resource's contact details. It is
// stored beside the record and shown to nobody until a staff member other
// than the proposer verifies it (docs/design.md rule 13).
type ContactChange struct {
	ResourceID   string            `json:"-"`
	Values       map[string]string `json:"values"`        // directory.ContactFields → new value ("" clears)
	MarkVerified bool              `json:"mark_verified"` // also mark the whole record verified
	ProposedBy   int64             `json:"-"`             // staff id
	ProposedAt   time.Time         `json:"-"`
}

// ProposeContactChange records c as the pending change of its resource,
// replacing any earlier proposal. The change must leave a valid record.
func ProposeContactChange(ctx context.Context, db DBTX, c ContactChange) error {
	r, err := GetResource(ctx, db, c.ResourceID)
	if err != nil {
		return err
	}
	if _, err := applyChange(r, c); err != nil {
		return err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("store: propose contact change: %w", err)
	}
	_, err = db.Exec(ctx, `UPDATE resources SET pending_contacts = $2, pending_by_staff = $3, pending_at = now(),
		updated_at = now() WHERE id = $1`, c.ResourceID, string(b), c.ProposedBy)
	if err != nil {
		return fmt.Errorf("store: propose contact change: %w", err)
	}
	return nil
}

// applyChange returns r with c applied: values set, the changed fields no
// longer hidden, verified when c says so; validated.
func applyChange(r directory.Resource, c ContactChange) (directory.Resource, error) {
	if len(c.Values) == 0 && !c.MarkVerified {
		return r, tipline.Errorf(tipline.EInvalid, "the change is empty")
	}
	var fields []string
	for f, v := range c.Values {
		if err := r.SetContact(f, v); err != nil {
			return r, tipline.Errorf(tipline.EInvalid, "%v", err)
		}
		fields = append(fields, f)
	}
	r.HiddenFields = directory.Unhide(r.HiddenFields, fields...)
	r.Verified = r.Verified || c.MarkVerified
	if err := directory.Validate(r); err != nil {
		return r, tipline.Errorf(tipline.EInvalid, "%v", err)
	}
	return r, nil
}

// PendingContactChanges lists the changes waiting for verification, oldest
// first.
func PendingContactChanges(ctx context.Context, db DBTX) ([]ContactChange, error) {
	rows, err := db.Query(ctx, `SELECT id, pending_contacts, COALESCE(pending_by_staff, 0), pending_at
		FROM resources WHERE pending_contacts IS NOT NULL ORDER BY pending_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: pending contact changes: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ContactChange, error) {
		var c ContactChange
		var raw []byte
		if err := row.Scan(&c.ResourceID, &raw, &c.ProposedBy, &c.ProposedAt); err != nil {
			return c, err
		}
		return c, json.Unmarshal(raw, &c)
	})
	if err != nil {
		return nil, fmt.Errorf("store: pending contact changes: %w", err)
	}
	return out, nil
}

// VerifyContactChange applies the pending change of resource id, verified
// by staff member staffID (email for the record): it must not be the
// proposer. The update only lands if the proposal is still the one read.
func VerifyContactChange(ctx context.Context, db DBTX, id string, staffID int64, email string) (directory.Resource, error) {
	var c ContactChange
	var raw []byte
	err := db.QueryRow(ctx, `SELECT pending_contacts, COALESCE(pending_by_staff, 0), pending_at FROM resources
		WHERE id = $1 AND pending_contacts IS NOT NULL FOR UPDATE`, id).Scan(&raw, &c.ProposedBy, &c.ProposedAt)
	if err != nil {
		return directory.Resource{}, fmt.Errorf("store: verify contact change: %w", notFound(err, "pending change"))
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return directory.Resource{}, fmt.Errorf("store: verify contact change: %w", err)
	}
	if c.ProposedBy == staffID || staffID == 0 {
		return directory.Resource{}, tipline.Errorf(tipline.EForbidden, "a second staff member must verify this change")
	}
	r, err := GetResource(ctx, db, id)
	if err != nil {
		return r, err
	}
	if r, err = applyChange(r, c); err != nil {
		return r, err
	}
	tag, err := db.Exec(ctx, `UPDATE resources SET phone = $2, phone_e164 = $3, sms_number = $4, sms_keyword = $5,
		tty = $6, whatsapp = $7, chat_url = $8, url = $9, hidden_fields = $10, verified = $11, verified_by = $12,
		verified_by_staff = $13, verified_at = now(), pending_contacts = NULL, pending_by_staff = NULL,
		pending_at = NULL, updated_at = now() WHERE id = $1 AND pending_at = $14`,
		id, r.Phone, r.PhoneE164, r.SMSNumber, r.SMSKeyword, r.TTY, r.WhatsApp, r.ChatURL, r.URL,
		nonNil(r.HiddenFields), r.Verified, email, staffID, c.ProposedAt)
	if err != nil {
		return r, fmt.Errorf("store: verify contact change: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return r, tipline.Errorf(tipline.EConflict, "the change was replaced while being verified")
	}
	return GetResource(ctx, db, id)
}

// RejectContactChange drops the pending change of resource id.
func RejectContactChange(ctx context.Context, db DBTX, id string) error {
	if _, err := db.Exec(ctx, `UPDATE resources SET pending_contacts = NULL, pending_by_staff = NULL,
		pending_at = NULL, updated_at = now() WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: reject contact change: %w", err)
	}
	return nil
}
