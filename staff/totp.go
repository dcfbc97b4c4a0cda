package staff

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP per RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, one step of
// clock drift accepted either way.
const (
	totpPeriod = 30
	totpDigits = 6
	totpSkew   = 1
	// totpAAD binds sealed TOTP keys to their column.
	totpAAD = "staff-totp"
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTOTPSecret returns 20 random bytes (160 bits, RFC 4226's advice).
func newTOTPSecret() []byte {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic("staff: crypto/rand failed: " + err.Error())
	}
	return b
}

// totpStep is the time step t falls in.
func totpStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// totpCode computes the code of one step (RFC 4226 dynamic truncation).
func totpCode(secret []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, bin%1000000)
}

// totpVerify returns the step a code matches near now, comparing in
// constant time.
func totpVerify(secret []byte, code string, now time.Time) (int64, bool) {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	if len(code) != totpDigits {
		return 0, false
	}
	cur := totpStep(now)
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		if subtle.ConstantTimeCompare([]byte(totpCode(secret, cur+d)), []byte(code)) == 1 {
			return cur + d, true
		}
	}
	return 0, false
}

// totpURI is the otpauth:// URI authenticator apps read.
func totpURI(secret []byte, email string) string {
	label := url.PathEscape("Tipline:" + email)
	q := url.Values{"secret": {b32.EncodeToString(secret)}, "issuer": {"Tipline"}, "algorithm": {"SHA1"},
		"digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// newRecoveryCodes returns n one-time codes and their stored hashes.
func newRecoveryCodes(n int) (codes, hashes []string) {
	for range n {
		b := make([]byte, 8)
		if _, err := rand.Read(b); err != nil {
			panic("staff: crypto/rand failed: " + err.Error())
		}
		s := strings.ToLower(b32.EncodeToString(b))[:12]
		codes = append(codes, s[:4]+"-"+s[4:8]+"-"+s[8:])
		hashes = append(hashes, recoveryHash(s))
	}
	return codes, hashes
}

// recoveryHash hashes a recovery code as typed (case, dashes and spaces
// ignored). The codes are random, so a plain SHA-256 suffices.
func recoveryHash(code string) string {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte("tipline recovery\x00" + c))
	return hex.EncodeToString(sum[:])
}
