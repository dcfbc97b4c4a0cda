package staff

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"testing"
	"time"

	"tipline/seal"
	"tipline/store"
)

// fixture names the objects every test environment starts with.
type fixture struct {
	caseID       int64
	casePublicID string
	tipID        int64 // urgent, from a Telegram tipster with contact details and a photo
	tip2ID       int64 // older, plain
	simTipID     int64
	mediaID      int64
	tipsterChat  int64 // the tipster's Telegram chat id
	chatPID      string
	chatID       int64
	youthChat    int64
	pageID       int64
	resourceID   string
	adminToken   string
	reviewToken  string
	adminTokenID int64
}

// Fixture texts.
const (
	tipContact     = "maria@example.net 555-0100"
	tipDescription = "Girl in a red coat at the Greyhound station, with an older man"
)

func tinyPNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// contactFor inserts a Telegram contact and its conversation.
func contactFor(t testing.TB, e *env, chat int64, kind, lang string, highRisk bool) (contactID, convID int64, pid string) {
	t.Helper()
	ctx := context.Background()
	id := itoa(chat)
	h := e.keys.Hash("telegram", id)
	sealed, err := e.keys.Seal([]byte(id), "contact:telegram")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.pool.QueryRow(ctx, `INSERT INTO contacts (channel, id_hash, id_sealed, alias) VALUES ('telegram', $1, $2, $3) RETURNING id`,
		h, sealed, seal.Alias(h)).Scan(&contactID); err != nil {
		t.Fatal(err)
	}
	pid = store.NewPublicID()
	var flagged *time.Time
	if highRisk {
		now := time.Now()
		flagged = &now
	}
	if err := e.pool.QueryRow(ctx, `INSERT INTO conversations (public_id, channel, contact_id, kind, lang, high_risk, risk_category, flagged_at, last_inbound_at)
		VALUES ($1, 'telegram', $2, $3, $4, $5, CASE WHEN $5 THEN 'danger' ELSE '' END, $6, now()) RETURNING id`,
		pid, contactID, kind, lang, highRisk, flagged).Scan(&convID); err != nil {
		t.Fatal(err)
	}
	return contactID, convID, pid
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func seedFixture(t testing.TB, e *env) fixture {
	t.Helper()
	ctx := context.Background()
	fx := fixture{tipsterChat: 4242, youthChat: 777, resourceID: "us-ncmec-cybertipline"}
	if err := store.SeedResourcesIfEmpty(ctx, e.pool); err != nil {
		t.Fatal(err)
	}
	cs, err := store.CreateCase(ctx, e.pool, store.Case{Number: "C-100", DisplayName: "Ana Example", Public: true,
		Description: "14, brown hair", LastSeenPlace: "Newark, NJ"})
	if err != nil {
		t.Fatal(err)
	}
	fx.caseID, fx.casePublicID = cs.ID, cs.PublicID
	seedTips(t, e, &fx)
	_, fx.chatID, fx.chatPID = contactFor(t, e, fx.youthChat, "youth", "en", true)
	e.exec(`INSERT INTO messages (conversation_id, direction, channel, provider_id, kind, body, status)
		VALUES ($1, 'in', 'telegram', 'y1', 'user', 'he hurts me, I need help', 'received')`, fx.chatID)
	if err := e.pool.QueryRow(ctx, `INSERT INTO pages (reason, conversation_id) VALUES ('danger', $1) RETURNING id`,
		fx.chatID).Scan(&fx.pageID); err != nil {
		t.Fatal(err)
	}
	fx.adminToken, fx.adminTokenID = apiToken(t, e, e.admin.ID)
	fx.reviewToken, _ = apiToken(t, e, e.reviewer.ID)
	return fx
}

// seedTips adds the urgent tip (with contact details, a photo and a
// conversation), a plain older one and a simulated one.
func seedTips(t testing.TB, e *env, fx *fixture) {
	ctx := context.Background()
	contactID, convID, _ := contactFor(t, e, fx.tipsterChat, "tipster", "es", false)
	sealedContact, err := e.keys.Seal([]byte(tipContact), contactAAD)
	if err != nil {
		t.Fatal(err)
	}
	alias := "R-TIPSTER"
	e.exec(`INSERT INTO messages (conversation_id, direction, channel, provider_id, kind, body, status)
		VALUES ($1, 'in', 'telegram', 'u1', 'user', 'SEEN C-100', 'received')`, convID)
	err = e.pool.QueryRow(ctx, `INSERT INTO tips (code, conversation_id, contact_id, reporter_alias, case_id, channel, urgent,
		incomplete, description, place_text, seen_text, lat, lon, contact_sealed, submitted_at, created_at)
		VALUES ('TIPURG1', $1, $2, $3, $4, 'telegram', true, false, $5, 'Greyhound station, Newark', 'today 3pm',
		40.7357, -74.1724, $6, now(), now() - interval '2 hours') RETURNING id`,
		convID, contactID, alias, fx.caseID, tipDescription, sealedContact).Scan(&fx.tipID)
	if err != nil {
		t.Fatal(err)
	}
	err = e.pool.QueryRow(ctx, `INSERT INTO tips (code, reporter_alias, channel, incomplete, description, created_at)
		VALUES ('TIPOLD1', 'R-OTHER', 'sms', false, 'Boy on a bike near the mall', now() - interval '1 hour') RETURNING id`).Scan(&fx.tip2ID)
	if err != nil {
		t.Fatal(err)
	}
	err = e.pool.QueryRow(ctx, `INSERT INTO tips (code, reporter_alias, channel, simulated, description)
		VALUES ('TIPSIM1', 'R-SIM', 'sim', true, 'training tip') RETURNING id`).Scan(&fx.simTipID)
	if err != nil {
		t.Fatal(err)
	}
	img := tinyPNG(t)
	sum := sha256.Sum256(img)
	if err := e.pool.QueryRow(ctx, `INSERT INTO tip_media (tip_id, sha256, content_type, data, width, height)
		VALUES ($1, $2, 'image/png', $3, 2, 2) RETURNING id`, fx.tipID, hex.EncodeToString(sum[:]), img).Scan(&fx.mediaID); err != nil {
		t.Fatal(err)
	}
}

func apiToken(t testing.TB, e *env, staffID int64) (string, int64) {
	tok, hash := newToken("tlk_")
	id, err := store.CreateAPIToken(context.Background(), e.pool, staffID, hash, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tok, id
}
