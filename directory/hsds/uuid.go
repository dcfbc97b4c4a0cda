package hsds

import (
	"crypto/sha1"
	"fmt"
)

// tiplineNS is the namespace of the name-based UUIDs Tipline exports, so
// the same resource gets the same ids in every export.
var tiplineNS = [16]byte{0x6e, 0x2b, 0x0b, 0x1c, 0x4f, 0x1d, 0x4a, 0x39, 0x9c, 0x51, 0x7e, 0x15, 0x2f, 0x8a, 0x33, 0x60}

// nameUUID returns the RFC 9562 version 5 UUID of name in tiplineNS.
func nameUUID(parts ...string) string {
	h := sha1.New()
	h.Write(tiplineNS[:])
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
