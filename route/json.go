package route

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
)

// The JSON forms of Recipient and Filter keep the keys earlier versions
// wrote (a recipient's status line, a filter's applied flag and its
// NotEffective verdict) beside the typed ones.

// recipientJSON is the JSON form of a Recipient.
type recipientJSON struct {
	Address     string      `json:"address"`
	Disposition Disposition `json:"disposition"`
	// Status is the whole line; StatusCode ("550") and EnhancedStatusCode
	// ("5.7.64") its parts.
	Status             string `json:"status,omitempty"`
	StatusCode         string `json:"statusCode,omitempty"`
	EnhancedStatusCode string `json:"enhancedStatusCode,omitempty"`
	Folder             Folder `json:"folder,omitempty"`
	Copy               int    `json:"copy"`
	Hops               []Hop  `json:"hops"`
	Retry              *Retry `json:"retry,omitempty"`
}

// MarshalJSON writes the recipient with its status as three keys: status
// (the line), statusCode ("550") and enhancedStatusCode ("5.7.64"), each
// absent when empty.
func (r Recipient) MarshalJSON() ([]byte, error) {
	j := recipientJSON{Address: r.Address, Disposition: r.Disposition, Status: r.Status.String(),
		EnhancedStatusCode: r.Status.Enhanced, Folder: r.Folder, Copy: r.Copy, Hops: r.Hops, Retry: r.Retry}
	if r.Status.Code != 0 {
		j.StatusCode = strconv.Itoa(r.Status.Code)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes; the status comes from the
// status line.
func (r *Recipient) UnmarshalJSON(b []byte) error {
	var j recipientJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	st, err := ParseStatus(j.Status)
	if err != nil {
		return err
	}
	*r = Recipient{Address: j.Address, Disposition: j.Disposition, Status: st, Folder: j.Folder, Copy: j.Copy, Hops: j.Hops, Retry: j.Retry}
	return nil
}

// filterJSON is the JSON form of a Filter.
type filterJSON struct {
	Stage   Stage       `json:"stage"`
	Applied bool        `json:"applied"`
	Result  StageResult `json:"result"`
	// Verdict is the verdict's name, or "NotEffective" for a stage that is
	// not effective.
	Verdict  string      `json:"verdict,omitempty"`
	SCL      *int        `json:"scl,omitempty"`
	Action   SpamAction  `json:"action,omitempty"`
	SourceIP netip.Addr  `json:"sourceIP,omitzero"`
	Rules    []RuleMatch `json:"rules,omitempty"`
	Reason   string      `json:"reason"`
}

const notEffective = "NotEffective"

// MarshalJSON writes the filter with, beside its typed fields, "applied"
// (the result is Applied) and, for a stage that is not effective, the
// verdict "NotEffective".
func (f Filter) MarshalJSON() ([]byte, error) {
	j := filterJSON{Stage: f.Stage, Applied: f.Result == Applied, Result: f.Result, SCL: f.SCL, Action: f.Action, SourceIP: f.SourceIP, Rules: f.Rules, Reason: f.Reason}
	switch {
	case f.Result == NotEffective:
		j.Verdict = notEffective
	case f.Verdict != 0:
		j.Verdict = f.Verdict.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (f *Filter) UnmarshalJSON(b []byte) error {
	var j filterJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*f = Filter{Stage: j.Stage, Result: j.Result, SCL: j.SCL, Action: j.Action, SourceIP: j.SourceIP, Rules: j.Rules, Reason: j.Reason}
	if j.Verdict != "" && j.Verdict != notEffective {
		if err := f.Verdict.UnmarshalText([]byte(j.Verdict)); err != nil {
			return err
		}
	}
	if f.Result == 0 {
		return fmt.Errorf("route: filter %v without a result", j.Stage)
	}
	return nil
}
