package scenario

import (
	"encoding/json"

	"github.com/mailflowsim/mailflow/route"
)

// runJSON is the JSON form of a Run; its field order is the key order.
type runJSON struct {
	Name       string            `json:"name"`
	Scenario   string            `json:"scenario"`
	Settings   Settings          `json:"settings"`
	From       string            `json:"from"`
	To         []string          `json:"to"`
	Recipients []route.Recipient `json:"recipients"`
	Copies     []route.Copy      `json:"copies"`
	// Expectations, when the run was checked.
	Expectations *expectationsJSON `json:"expectations,omitempty"`
}

type expectationsJSON struct {
	Held       bool       `json:"held"`
	Mismatches []Mismatch `json:"mismatches"`
	Source     string     `json:"source,omitempty"`
}

// MarshalJSON returns the run as a JSON object with these keys, in this
// order:
//
//	{"name": flow name, "scenario": scenario name,
//	 "settings": {settings, keys in ascending order},
//	 "from": Message.From, "to": [Message.To...],
//	 "recipients": [route.Recipient...], "copies": [route.Copy...],
//	 "expectations": {"held": bool, "mismatches": [Mismatch...], "source": Source}}
//
// "expectations" is present when the run was Checked; a Mismatch is
// {"recipient", "field", "want", "got"}, "recipient" omitted for the
// message; "source" is there when the expectations name their source.
//
// Recipients and copies have the JSON form of their route types, whose
// lists are never nil. Empty settings are written as {} and empty lists as
// [], never null.
func (r Run) MarshalJSON() ([]byte, error) {
	j := runJSON{
		Name:       r.Flow,
		Scenario:   r.Scenario,
		Settings:   r.Settings,
		To:         []string{},
		Recipients: []route.Recipient{},
		Copies:     []route.Copy{},
	}
	if j.Settings == nil {
		j.Settings = Settings{}
	}
	if r.Checked {
		j.Expectations = &expectationsJSON{Held: len(r.Mismatches) == 0, Mismatches: r.Mismatches, Source: r.Source}
		if j.Expectations.Mismatches == nil {
			j.Expectations.Mismatches = []Mismatch{}
		}
	}
	if res := r.Result; res != nil {
		j.From = res.Message.From
		if res.Message.To != nil {
			j.To = res.Message.To
		}
		if res.Recipients != nil {
			j.Recipients = res.Recipients
		}
		if res.Copies != nil {
			j.Copies = res.Copies
		}
	}
	return json.Marshal(j)
}
