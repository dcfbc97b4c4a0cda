// Package config reads Tipline's settings from the environment (docs/design.md
// section 1), applies defaults, validates every value and reports all
// problems at once. Secrets never appear in its String form.
package config

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tipline/staffing"
)

// Mode says which command is loading the configuration; defaults and
// requirements differ between them.
type Mode int

// The modes.
const (
	ModeServe Mode = iota // production: strict
	ModeDev               // local: lenient, private database and key
	ModeTool              // one-shot commands (migrate, staff, purge…): needs a database only
)

// Config is the whole environment table.
type Config struct {
	DatabaseURL string
	ListenAddr  string
	PublicURL   string
	SecretKey   string
	PrevKeys    []string

	TelegramToken  string
	TelegramSecret string
	TelegramMode   string
	TelegramAPIURL string

	TwilioAccountSID string
	TwilioAuthToken  string
	TwilioFrom       string
	TwilioAPIURL     string
	TwilioMPS        int
	// SMSPublicNumber is the number people text, shown on case posters
	// (SMS_PUBLIC_NUMBER): needed when TwilioFrom is a Messaging Service.
	SMSPublicNumber string

	StaffAlertTelegramChatID string
	StaffAlertSMS            []string
	// The re-page of a high-risk chat left unclaimed goes here when set.
	StaffAlertSecondaryTelegramChatID string
	StaffAlertSecondarySMS            []string

	// StaffHours are the hours people answer per language (STAFF_HOURS);
	// StaffHoursSpec is the setting as given.
	StaffHours     staffing.Hours
	StaffHoursSpec string
	// ClaimIdle returns an idle claim to the queue; HighRiskRepage pages
	// again for a high-risk chat left unclaimed.
	ClaimIdle      time.Duration
	HighRiskRepage time.Duration
	// StaffRequire2FA makes every staff login enrol TOTP before it may use
	// the dashboard or its API tokens (STAFF_REQUIRE_2FA).
	StaffRequire2FA bool

	RetentionYouthDays         int
	RetentionClosedCaseDays    int
	RetentionIncompleteTipDays int
	RetentionReplyDays         int
	SimEnabled                 bool
	Timezone                   *time.Location
	TimezoneName               string
	FlowTimeout                time.Duration
	TrustedProxies             []netip.Prefix
	MetricsToken               string
	// MetricsAddr is the separate listener for /metrics (METRICS_ADDR);
	// "" serves /metrics on ListenAddr. A host-less ":9090" means loopback.
	MetricsAddr string
	// SpoolDir is where this instance keeps messages it accepted while
	// PostgreSQL was unreachable, until it replays them (SPOOL_DIR,
	// docs/design.md rule 16); "" keeps nothing (serve logs it at start).
	SpoolDir string
	// HSDS is the HSDS 3.0 API the directory is pulled from (hsds.go).
	HSDS HSDS
	// WebChat is the web chat's settings (webchat.go).
	WebChat WebChat
	// Gallery is the public gallery's settings (gallery.go).
	Gallery Gallery
	// MapTileURL is the tile server case maps draw on (MAP_TILE_URL,
	// maptiles.go); "" draws them on a grid alone.
	MapTileURL string
	// WhatsApp is the WhatsApp channel's settings (whatsapp.go).
	WhatsApp  WhatsApp
	LogFormat string
	LogLevel  string
}

// TelegramEnabled reports whether a bot token is configured.
func (c *Config) TelegramEnabled() bool { return c.TelegramToken != "" }

// TwilioEnabled reports whether the Twilio account is configured.
func (c *Config) TwilioEnabled() bool { return c.TwilioAccountSID != "" }

// PublicSMSNumber is the number people text to reach Tipline, for posters:
// SMS_PUBLIC_NUMBER, else TWILIO_FROM when it is a phone number (a
// Messaging Service SID is no number anyone can text), else "".
func (c *Config) PublicSMSNumber() string {
	if c.SMSPublicNumber != "" {
		return c.SMSPublicNumber
	}
	if e164Re.MatchString(c.TwilioFrom) {
		return c.TwilioFrom
	}
	return ""
}

// Load reads the configuration through getenv (os.Getenv in production) for
// the given mode. The error lists every missing or invalid setting.
func Load(getenv func(string) string, mode Mode) (*Config, error) {
	r := &reader{getenv: getenv}
	c := &Config{}
	c.DatabaseURL = r.str("DATABASE_URL", "")
	c.ListenAddr = r.str("LISTEN_ADDR", map[bool]string{true: "127.0.0.1:8080", false: ":8080"}[mode == ModeDev])
	c.PublicURL = strings.TrimRight(r.str("PUBLIC_URL", ""), "/")
	c.SecretKey = r.str("TIPLINE_SECRET_KEY", "")
	c.PrevKeys = r.list("TIPLINE_PREVIOUS_KEYS")
	loadProviders(r, c, mode)
	c.StaffAlertTelegramChatID = r.str("STAFF_ALERT_TELEGRAM_CHAT_ID", "")
	c.StaffAlertSMS = r.list("STAFF_ALERT_SMS")
	c.StaffAlertSecondaryTelegramChatID = r.str("STAFF_ALERT_SECONDARY_TELEGRAM_CHAT_ID", "")
	c.StaffAlertSecondarySMS = r.list("STAFF_ALERT_SECONDARY_SMS")
	c.RetentionYouthDays = r.positive("RETENTION_YOUTH_DAYS", 30)
	c.RetentionClosedCaseDays = r.positive("RETENTION_CLOSED_CASE_DAYS", 365)
	c.RetentionIncompleteTipDays = r.positive("RETENTION_INCOMPLETE_TIP_DAYS", 90)
	c.RetentionReplyDays = r.positive("RETENTION_REPLY_DAYS", 90)
	c.SimEnabled = r.boolean("SIM_ENABLED", mode == ModeDev)
	c.TimezoneName = r.str("TIPLINE_TIMEZONE", "America/New_York")
	c.Timezone = r.location("TIPLINE_TIMEZONE", c.TimezoneName)
	c.FlowTimeout = r.duration("FLOW_TIMEOUT", 30*time.Minute)
	c.StaffHoursSpec = r.str("STAFF_HOURS", "")
	c.StaffHours = r.hours("STAFF_HOURS", c.StaffHoursSpec, c.Timezone)
	c.ClaimIdle = r.duration("CLAIM_IDLE", 15*time.Minute)
	c.HighRiskRepage = r.duration("HIGH_RISK_REPAGE", 5*time.Minute)
	c.StaffRequire2FA = r.boolean("STAFF_REQUIRE_2FA", false)
	c.TrustedProxies = r.prefixes("TRUSTED_PROXIES")
	c.MetricsToken = r.str("METRICS_TOKEN", "")
	c.MetricsAddr = r.listenAddr("METRICS_ADDR")
	c.SpoolDir = r.str("SPOOL_DIR", map[bool]string{true: ".tipline/spool"}[mode == ModeDev])
	c.HSDS = loadHSDS(r)
	c.WebChat = loadWebChat(r, mode)
	c.WhatsApp = loadWhatsApp(r, c.TwilioAccountSID != "")
	c.Gallery = loadGallery(r, mode)
	c.MapTileURL = loadMapTileURL(r)
	c.LogFormat = r.oneOf("LOG_FORMAT", "text", "text", "json")
	c.LogLevel = r.oneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error")
	validate(r, c, mode)
	if len(r.problems) > 0 {
		return c, &Error{Problems: r.problems}
	}
	return c, nil
}

func loadProviders(r *reader, c *Config, mode Mode) {
	c.TelegramToken = r.str("TELEGRAM_BOT_TOKEN", "")
	c.TelegramSecret = r.str("TELEGRAM_WEBHOOK_SECRET", "")
	c.TelegramMode = r.oneOf("TELEGRAM_MODE", map[bool]string{true: "polling", false: "webhook"}[mode == ModeDev], "webhook", "polling")
	c.TelegramAPIURL = strings.TrimRight(r.url("TELEGRAM_API_URL", "https://api.telegram.org"), "/")
	c.TwilioAccountSID = r.str("TWILIO_ACCOUNT_SID", "")
	c.TwilioAuthToken = r.str("TWILIO_AUTH_TOKEN", "")
	c.TwilioFrom = r.str("TWILIO_FROM", "")
	c.TwilioAPIURL = strings.TrimRight(r.url("TWILIO_API_URL", "https://api.twilio.com"), "/")
	c.TwilioMPS = r.positive("TWILIO_MPS", 1)
	c.SMSPublicNumber = r.str("SMS_PUBLIC_NUMBER", "")
}

// Error lists every problem found in the environment.
type Error struct{ Problems []string }

// Error implements error, one problem per line.
func (e *Error) Error() string {
	return "invalid configuration:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// IsConfigError reports whether err is a configuration *Error.
func IsConfigError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// String renders the configuration for operators with secrets masked.
func (c *Config) String() string {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "***"
	}
	var b strings.Builder
	row := func(k, v string) { fmt.Fprintf(&b, "%s=%s\n", k, v) }
	row("DATABASE_URL", maskURL(c.DatabaseURL))
	row("LISTEN_ADDR", c.ListenAddr)
	row("PUBLIC_URL", c.PublicURL)
	row("TIPLINE_SECRET_KEY", mask(c.SecretKey))
	row("TIPLINE_PREVIOUS_KEYS", mask(strings.Join(c.PrevKeys, ",")))
	row("TELEGRAM_BOT_TOKEN", mask(c.TelegramToken))
	row("TELEGRAM_WEBHOOK_SECRET", mask(c.TelegramSecret))
	row("TELEGRAM_MODE", c.TelegramMode)
	row("TELEGRAM_API_URL", c.TelegramAPIURL)
	row("TWILIO_ACCOUNT_SID", c.TwilioAccountSID)
	row("TWILIO_AUTH_TOKEN", mask(c.TwilioAuthToken))
	row("TWILIO_FROM", mask(c.TwilioFrom))
	row("TWILIO_API_URL", c.TwilioAPIURL)
	row("TWILIO_MPS", fmt.Sprint(c.TwilioMPS))
	row("SMS_PUBLIC_NUMBER", c.SMSPublicNumber)
	row("STAFF_ALERT_TELEGRAM_CHAT_ID", mask(c.StaffAlertTelegramChatID))
	row("STAFF_ALERT_SMS", mask(strings.Join(c.StaffAlertSMS, ",")))
	row("STAFF_ALERT_SECONDARY_TELEGRAM_CHAT_ID", mask(c.StaffAlertSecondaryTelegramChatID))
	row("STAFF_ALERT_SECONDARY_SMS", mask(strings.Join(c.StaffAlertSecondarySMS, ",")))
	row("STAFF_HOURS", c.StaffHoursSpec)
	row("CLAIM_IDLE", c.ClaimIdle.String())
	row("HIGH_RISK_REPAGE", c.HighRiskRepage.String())
	row("STAFF_REQUIRE_2FA", fmt.Sprint(c.StaffRequire2FA))
	row("METRICS_TOKEN", mask(c.MetricsToken))
	row("METRICS_ADDR", c.MetricsAddr)
	row("SPOOL_DIR", c.SpoolDir)
	c.HSDS.rows(row)
	c.WebChat.rows(row)
	c.WhatsApp.rows(row)
	c.Gallery.rows(row)
	row("MAP_TILE_URL", c.MapTileURL)
	row("TIPLINE_TIMEZONE", c.TimezoneName)
	row("FLOW_TIMEOUT", c.FlowTimeout.String())
	row("SIM_ENABLED", fmt.Sprint(c.SimEnabled))
	row("LOG_FORMAT", c.LogFormat)
	row("LOG_LEVEL", c.LogLevel)
	return b.String()
}
