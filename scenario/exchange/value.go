package exchange

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/mailflowsim/mailflow/topology"
)

// record is one exported object, from CLIXML or JSON.
type record struct {
	file  string
	index int
	types []string // CLIXML type names, most derived first
	props []prop
}

// prop is a property of a record, or a field of an object value.
type prop struct {
	name string
	v    value
}

// valueKind is the shape of a [value].
type valueKind uint8

const (
	nullValue valueKind = iota
	stringValue
	boolValue
	numberValue
	listValue
	objectValue
)

// value is a property value of either format.
type value struct {
	kind   valueKind
	text   string // stringValue, numberValue's digits, objectValue's ToString or text
	b      bool
	num    int64 // numberValue, or an enum object's number
	hasNum bool
	list   []value
	fields []prop // objectValue's properties
}

// get returns the property named name, ignoring case.
func (r *record) get(name string) (value, bool) {
	for _, p := range r.props {
		if strings.EqualFold(p.name, name) {
			return p.v, true
		}
	}
	return value{}, false
}

// text returns the text of the property named name, or "".
func (r *record) text(name string) string {
	v, _ := r.get(name)
	s, _ := v.str()
	return s
}

// name is how notes name the object.
func (r *record) name() string {
	for _, p := range []string{"Name", "Identity", "DisplayName"} {
		if s := r.text(p); s != "" {
			return s
		}
	}
	return ""
}

// path is the object in notes: File[index]("Name").
func (r *record) path() string {
	return fmt.Sprintf("%s[%d](%q)", r.file, r.index, r.name())
}

// empty reports whether v carries no setting: null, "", [] or an object
// with neither text nor properties.
func (v value) empty() bool {
	switch v.kind {
	case nullValue:
		return true
	case stringValue:
		return v.text == ""
	case listValue:
		for _, e := range v.list {
			if !e.empty() {
				return false
			}
		}
		return true
	case objectValue:
		return v.text == "" && len(v.fields) == 0 && !v.hasNum
	}
	return false
}

// zero reports whether v is false or the number 0: a switch or count at
// its default.
func (v value) zero() bool {
	return v.kind == boolValue && !v.b || v.kind == numberValue && (v.text == "0" || v.text == "0.0")
}

// str returns the text of a scalar, an object's text, or the only element
// of a list.
func (v value) str() (string, bool) {
	switch v.kind {
	case stringValue, numberValue:
		return v.text, true
	case boolValue:
		if v.b {
			return "True", true
		}
		return "False", true
	case objectValue:
		return v.text, v.text != ""
	case listValue:
		if len(v.list) == 1 {
			return v.list[0].str()
		}
	}
	return "", false
}

// strs returns the texts of a list (or of a single value), without empty
// ones; ok is false when an element has no text.
func (v value) strs() (out []string, ok bool) {
	switch v.kind {
	case nullValue:
		return nil, true
	case listValue:
		for _, e := range v.list {
			if e.kind == nullValue {
				continue
			}
			s, ok := e.str()
			if !ok {
				return nil, false
			}
			if s != "" {
				out = append(out, s)
			}
		}
		return out, true
	}
	s, ok := v.str()
	if !ok {
		return nil, false
	}
	if s == "" {
		return nil, true
	}
	return []string{s}, true
}

// boolean reads a Boolean, or a string that strconv.ParseBool reads.
func (v value) boolean() (bool, bool) {
	switch v.kind {
	case boolValue:
		return v.b, true
	case stringValue:
		b, err := strconv.ParseBool(v.text)
		return b, err == nil
	}
	return false, false
}

// integer reads a number, an enum's number, or a string of digits.
func (v value) integer() (int64, bool) {
	if v.hasNum {
		return v.num, true
	}
	if v.kind == stringValue {
		n, err := strconv.ParseInt(strings.TrimSpace(v.text), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// render shows v in a note, in at most 80 bytes.
func (v value) render() string {
	var s string
	switch v.kind {
	case nullValue:
		s = "null"
	case boolValue:
		s = strconv.FormatBool(v.b)
	case numberValue:
		s = v.text
	case stringValue:
		s = strconv.Quote(v.text)
	case objectValue:
		s = "{…}"
		if v.text != "" {
			s = strconv.Quote(v.text)
		}
	case listValue:
		parts := make([]string, len(v.list))
		for i, e := range v.list {
			parts[i] = e.render()
		}
		s = "[" + strings.Join(parts, ", ") + "]"
	}
	if len(s) > 80 {
		s = s[:77] + "…"
	}
	return s
}

// timeSpan reads a TimeSpan as PowerShell prints it ("2.00:00:00"), from
// its text or, as ConvertTo-Json writes a TimeSpan, from an object's
// Ticks (100 ns each).
func (v value) timeSpan() (string, bool) {
	if s, ok := v.str(); ok {
		if _, err := topology.ParseTimeSpan(s); err == nil {
			return s, true
		}
	}
	if v.kind != objectValue {
		return "", false
	}
	for _, f := range v.fields {
		if strings.EqualFold(f.name, "Ticks") {
			if n, ok := f.v.integer(); ok && n >= 0 && n <= math.MaxInt64/100 {
				return formatTimeSpan(time.Duration(n * 100)), true
			}
		}
	}
	return "", false
}

// formatTimeSpan writes d as PowerShell prints a TimeSpan:
// "[-][d.]hh:mm:ss[.fffffff]".
func formatTimeSpan(d time.Duration) string {
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	if days := d / (24 * time.Hour); days > 0 {
		fmt.Fprintf(&b, "%d.", days)
		d -= days * 24 * time.Hour
	}
	h, m, s := d/time.Hour, d%time.Hour/time.Minute, d%time.Minute/time.Second
	fmt.Fprintf(&b, "%02d:%02d:%02d", h, m, s)
	if frac := d % time.Second / 100; frac > 0 {
		fmt.Fprintf(&b, ".%07d", frac)
	}
	return b.String()
}
