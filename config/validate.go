package config

import (
	"encoding/base64"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"tipline/staffing"
)

var (
	telegramSecretRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	e164Re           = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	serviceSIDRe     = regexp.MustCompile(`^MG[0-9a-fA-F]{32}$`)
	shortCodeRe      = regexp.MustCompile(`^[0-9]{5,6}$`)
)

// reader reads variables and collects problems instead of stopping at the
// first one.
type reader struct {
	getenv   func(string) string
	problems []string
}

func (r *reader) bad(name, why string) { r.problems = append(r.problems, name+": "+why) }

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) list(name string) []string {
	var out []string
	for _, p := range strings.Split(r.getenv(name), ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *reader) positive(name string, def int) int {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		r.bad(name, "must be a positive whole number")
		return def
	}
	return n
}

func (r *reader) boolean(name string, def bool) bool {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.bad(name, "must be true or false")
		return def
	}
	return b
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		r.bad(name, "must be a positive duration such as 30m")
		return def
	}
	return d
}

func (r *reader) location(name, v string) *time.Location {
	loc, err := time.LoadLocation(v)
	if err != nil {
		r.bad(name, "unknown time zone (use an IANA name such as America/New_York)")
		return time.UTC
	}
	return loc
}

// hours parses STAFF_HOURS in the organisation's zone.
func (r *reader) hours(name, v string, loc *time.Location) staffing.Hours {
	h, err := staffing.Parse(v, loc)
	if err != nil {
		r.bad(name, err.Error()+" (format: en=Mon-Fri 09:00-21:00;es=Sat-Sun 22:00-06:00, in TIPLINE_TIMEZONE)")
		return staffing.Hours{}
	}
	return h
}

func (r *reader) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(r.str(name, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	r.bad(name, "must be one of "+strings.Join(allowed, ", "))
	return def
}

func (r *reader) url(name, def string) string {
	v := r.str(name, def)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		r.bad(name, "must be an http(s) URL")
	}
	return v
}

// listenAddr reads a host:port to listen on ("" when unset). A missing
// host means loopback (127.0.0.1), never every interface: it is used for
// METRICS_ADDR, which must not become public by accident.
func (r *reader) listenAddr(name string) string {
	v := r.str(name, "")
	if v == "" {
		return ""
	}
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		if n, aerr := strconv.Atoi(v); aerr == nil && n > 0 && n < 65536 {
			return net.JoinHostPort("127.0.0.1", v) // a bare port
		}
		r.bad(name, "must be host:port, such as 127.0.0.1:9090")
		return ""
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		r.bad(name, "the port must be a number from 0 to 65535")
		return ""
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// sameListener reports whether two listen addresses would take the same
// port: the same non-zero port on the same host or on a wildcard host.
func sameListener(a, b string) bool {
	ah, ap, aerr := net.SplitHostPort(a)
	bh, bp, berr := net.SplitHostPort(b)
	if aerr != nil || berr != nil || ap != bp || ap == "0" {
		return false
	}
	wild := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	return ah == bh || wild(ah) || wild(bh)
}

func (r *reader) prefixes(name string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range r.list(name) {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			if a, aerr := netip.ParseAddr(s); aerr == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			} else {
				r.bad(name, "not a CIDR: "+s)
				continue
			}
		}
		out = append(out, p.Masked())
	}
	return out
}

// validate checks the relations between settings for the mode.
func validate(r *reader, c *Config, mode Mode) {
	if mode == ModeServe || mode == ModeTool {
		if c.DatabaseURL == "" {
			r.bad("DATABASE_URL", "required")
		}
	}
	if mode == ModeServe {
		validatePublicURL(r, c.PublicURL)
		if c.SecretKey == "" {
			r.bad("TIPLINE_SECRET_KEY", "required (32 random bytes, base64; generate one with: openssl rand -base64 32)")
		}
	}
	if c.SecretKey != "" && !validKey(c.SecretKey) {
		r.bad("TIPLINE_SECRET_KEY", "must be 32 bytes, base64-encoded")
	}
	for _, k := range c.PrevKeys {
		if !validKey(k) {
			r.bad("TIPLINE_PREVIOUS_KEYS", "every key must be 32 bytes, base64-encoded")
			break
		}
	}
	if c.MetricsAddr != "" && sameListener(c.MetricsAddr, c.ListenAddr) {
		r.bad("METRICS_ADDR", "must differ from LISTEN_ADDR")
	}
	validateTelegram(r, c, mode)
	validateTwilio(r, c)
	validateAlerts(r, "STAFF_ALERT_SMS", c.StaffAlertSMS, "STAFF_ALERT_TELEGRAM_CHAT_ID", c.StaffAlertTelegramChatID)
	validateAlerts(r, "STAFF_ALERT_SECONDARY_SMS", c.StaffAlertSecondarySMS,
		"STAFF_ALERT_SECONDARY_TELEGRAM_CHAT_ID", c.StaffAlertSecondaryTelegramChatID)
}

// validateAlerts checks one set of page destinations: E.164 numbers and a
// numeric Telegram chat id.
func validateAlerts(r *reader, smsName string, sms []string, tgName, tg string) {
	for _, n := range sms {
		if !e164Re.MatchString(n) {
			r.bad(smsName, "numbers must be E.164 (+15551234567)")
			break
		}
	}
	if tg != "" {
		if _, err := strconv.ParseInt(tg, 10, 64); err != nil {
			r.bad(tgName, "must be a numeric chat id")
		}
	}
}

func validatePublicURL(r *reader, v string) {
	if v == "" {
		r.bad("PUBLIC_URL", "required (the https base URL the providers call)")
		return
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		r.bad("PUBLIC_URL", "must be an absolute https URL")
	}
}

func validateTelegram(r *reader, c *Config, mode Mode) {
	if c.TelegramSecret != "" && !telegramSecretRe.MatchString(c.TelegramSecret) {
		r.bad("TELEGRAM_WEBHOOK_SECRET", "1-256 characters of A-Z a-z 0-9 _ -")
	}
	if c.TelegramEnabled() && c.TelegramMode == "webhook" && c.TelegramSecret == "" && mode == ModeServe {
		r.bad("TELEGRAM_WEBHOOK_SECRET", "required when TELEGRAM_MODE=webhook")
	}
}

func validateTwilio(r *reader, c *Config) {
	if n := c.SMSPublicNumber; n != "" && !e164Re.MatchString(n) && !shortCodeRe.MatchString(n) {
		r.bad("SMS_PUBLIC_NUMBER", "must be an E.164 number (+15551234567) or a 5 or 6 digit short code")
	}
	set := 0
	for _, v := range []string{c.TwilioAccountSID, c.TwilioAuthToken, c.TwilioFrom} {
		if v != "" {
			set++
		}
	}
	if set == 0 {
		return
	}
	if c.TwilioAccountSID == "" {
		r.bad("TWILIO_ACCOUNT_SID", "required when any TWILIO_ setting is given")
	}
	if c.TwilioAuthToken == "" {
		r.bad("TWILIO_AUTH_TOKEN", "required when any TWILIO_ setting is given")
	}
	if c.TwilioFrom == "" {
		r.bad("TWILIO_FROM", "required when any TWILIO_ setting is given")
	} else if !e164Re.MatchString(c.TwilioFrom) && !serviceSIDRe.MatchString(c.TwilioFrom) {
		r.bad("TWILIO_FROM", "must be an E.164 number or a Messaging Service SID (MG…)")
	}
}

func validKey(s string) bool {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return true
		}
	}
	return false
}

// maskURL hides the password of a database URL.
func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	return strings.Replace(u.String(), "%2A%2A%2A", "***", 1)
}
