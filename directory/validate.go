package directory

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,99}$`)
	regionPattern   = regexp.MustCompile(`^[A-Z]{2}(-[A-Z0-9]{1,3})?$`)
	langPattern     = regexp.MustCompile(`^[a-z]{2,3}$`)
	categoryPattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)
	datePattern     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// Validate checks one record: an id and a name, well-formed codes and URLs,
// known hidden field names, coordinates in range, and phone numbers whose
// digits agree: a vanity number must carry its digits (see DisplayPhone),
// and both must match PhoneE164 when that is set.
func Validate(r Resource) error {
	if !idPattern.MatchString(r.ID) {
		return fmt.Errorf("resource %q: id must be lower-case letters, digits, '.', '_' or '-'", r.ID)
	}
	if strings.TrimSpace(r.Name) == "" {
		return fmt.Errorf("resource %s: name is empty", r.ID)
	}
	checks := []func(Resource) error{validatePhone, validateCodes, validateURLs, validatePlace, validateHidden, validateServed}
	for _, check := range checks {
		if err := check(r); err != nil {
			return fmt.Errorf("resource %s: %w", r.ID, err)
		}
	}
	return nil
}

func validatePhone(r Resource) error {
	if r.SMSKeyword != "" && r.SMSNumber == "" {
		return fmt.Errorf("sms_keyword %q without an SMS number", r.SMSKeyword)
	}
	if r.PhoneE164 != "" && !ValidE164(r.PhoneE164) {
		return fmt.Errorf("phone_e164 %q is not E.164", r.PhoneE164)
	}
	if r.Phone == "" {
		if r.PhoneE164 != "" {
			return fmt.Errorf("phone_e164 without a display phone")
		}
		return nil
	}
	if vanityOnly.MatchString(strings.TrimSpace(r.Phone)) {
		return fmt.Errorf("vanity phone %q must be shown with its digits", r.Phone)
	}
	digits := Digits(r.Phone)
	if vanity, d := SplitVanity(r.Phone); vanity != "" {
		if KeypadDigits(vanity) != Digits(d) {
			return fmt.Errorf("phone %q: the digits do not spell the vanity number", r.Phone)
		}
		digits = Digits(d)
	} else if strings.IndexFunc(r.Phone, isLetter) >= 0 && !strings.Contains(r.Phone, "(") {
		return fmt.Errorf("phone %q mixes letters into a number", r.Phone)
	}
	if r.PhoneE164 != "" && !strings.HasSuffix(r.PhoneE164, digits) && nanpCore(digits) != nanpCore(Digits(r.PhoneE164)) {
		return fmt.Errorf("phone %q and phone_e164 %q differ", r.Phone, r.PhoneE164)
	}
	return nil
}

func isLetter(c rune) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

func validateCodes(r Resource) error {
	for _, g := range r.Regions {
		if !regionPattern.MatchString(g) {
			return fmt.Errorf("region %q is not an ISO 3166 code", g)
		}
	}
	for _, l := range r.Languages {
		if !langPattern.MatchString(l) {
			return fmt.Errorf("language %q is not an ISO 639 code", l)
		}
	}
	for l := range r.Description {
		if !langPattern.MatchString(l) {
			return fmt.Errorf("description language %q is not an ISO 639 code", l)
		}
	}
	for _, c := range r.Categories {
		if !categoryPattern.MatchString(c) {
			return fmt.Errorf("category %q: lower-case words joined by '-'", c)
		}
	}
	if r.CheckedOn != "" && !datePattern.MatchString(r.CheckedOn) {
		return fmt.Errorf("checked_on %q is not YYYY-MM-DD", r.CheckedOn)
	}
	return nil
}

func validateURLs(r Resource) error {
	for name, v := range map[string]string{"url": r.URL, "chat_url": r.ChatURL, "source": r.Source} {
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%s %q is not an http(s) URL", name, v)
		}
	}
	return nil
}

func validatePlace(r Resource) error {
	if p := r.Point; p != nil && (p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180) {
		return fmt.Errorf("point %v,%v is out of range", p.Lat, p.Lon)
	}
	return nil
}

func validateHidden(r Resource) error {
	for _, h := range r.HiddenFields {
		if !contains(HideableFields, h) {
			return fmt.Errorf("hidden field %q is not one of %v", h, HideableFields)
		}
	}
	return nil
}

// validateServed checks the ages served and the schedule.
func validateServed(r Resource) error {
	if r.AgesMin < 0 || r.AgesMax < 0 || r.AgesMin > 120 || r.AgesMax > 120 {
		return fmt.Errorf("ages served %d-%d out of range", r.AgesMin, r.AgesMax)
	}
	if r.AgesMax > 0 && r.AgesMin > r.AgesMax {
		return fmt.Errorf("ages served: minimum %d above maximum %d", r.AgesMin, r.AgesMax)
	}
	for _, o := range r.Schedule {
		if err := validateOpening(o); err != nil {
			return err
		}
	}
	return nil
}

// ValidateAll checks every record and that ids are unique.
func ValidateAll(rs []Resource) error {
	seen := make(map[string]bool, len(rs))
	for i, r := range rs {
		if err := Validate(r); err != nil {
			return fmt.Errorf("record %d: %w", i+1, err)
		}
		if seen[r.ID] {
			return fmt.Errorf("record %d: duplicate id %q", i+1, r.ID)
		}
		seen[r.ID] = true
	}
	return nil
}
