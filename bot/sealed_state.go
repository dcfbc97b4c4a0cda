package bot

import (
	"encoding/base64"
	"maps"
	"strings"

	"tipline/flows"
)

// SealedStateFields are the flow-state answers that hold what a sender
// wrote about themselves (a tipster's contact details, until the report is
// sent): the conversation row keeps them sealed, never in clear
// (docs/privacy.md). The flows see them in clear within a turn.
var SealedStateFields = []string{flows.TipKeyContact}

// SealedStatePrefix starts a sealed state value: then the sealed bytes in
// standard, padded base64.
const SealedStatePrefix = "sealed:"

// StateAAD is the aad a state field is sealed with.
func StateAAD(field string) string { return "state:" + field }

// sealState returns st with SealedStateFields sealed. A value that cannot
// be sealed is dropped rather than stored in clear.
func (b *Bot) sealState(st flows.State) flows.State {
	if len(st.Data) == 0 {
		return st
	}
	data := maps.Clone(st.Data)
	for _, f := range SealedStateFields {
		v := data[f]
		if v == "" || strings.HasPrefix(v, SealedStatePrefix) {
			continue
		}
		sealed, err := b.keys.Seal([]byte(v), StateAAD(f))
		if err != nil {
			delete(data, f)
			continue
		}
		data[f] = SealedStatePrefix + base64.StdEncoding.EncodeToString(sealed)
	}
	st.Data = data
	return st
}

// openState returns st with SealedStateFields opened. A value no
// configured key opens is dropped (as if it had not been given).
func (b *Bot) openState(st flows.State) flows.State {
	if len(st.Data) == 0 {
		return st
	}
	data := maps.Clone(st.Data)
	for _, f := range SealedStateFields {
		v, ok := strings.CutPrefix(data[f], SealedStatePrefix)
		if !ok {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(v)
		if err == nil {
			var plain []byte
			if plain, err = b.keys.Open(raw, StateAAD(f)); err == nil {
				data[f] = string(plain)
				continue
			}
		}
		delete(data, f)
	}
	st.Data = data
	return st
}
