package scenario

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/internal/problem"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/stretchr/testify/require"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/fields"
	"github.com/mailflowsim/mailflow/topology"
)

// The decoder topology files had before the one-pass decoder: it decodes
// into any, walks the tree by reflection, and finds duplicate keys in a
// scan of its own. Kept as the reference the one-pass decoder must agree
// with (FuzzDecodeSameAsTree).

// refDuplicateKeys returns the keys of data given twice in one JSON object,
// exactly or ignoring case (the decoder matches keys ignoring case), at
// the path of the second with the path of the first: decoding into a map
// would keep one of them silently. data has decoded as JSON already; it
// is scanned once, without a token allocated per value, and paths are
// built only for the keys it reports.
func refDuplicateKeys(data []byte) []Problem {
	sc := refKeyScanner{data: data}
	sc.value()
	return sc.problems
}

// refKeyScanner scans valid JSON for duplicate keys.
type refKeyScanner struct {
	data     []byte
	pos      int
	stack    []refKeyFrame // the containers the scanner is in
	problems []Problem
}

// refKeyFrame is a container being scanned: an object's keys so far and the
// current one, or an array's current index.
type refKeyFrame struct {
	object bool
	keys   []string       // lower-cased keys of the object, in order
	raw    []string       // the same keys as written
	seen   map[string]int // keys → index, once an object has many
	index  int            // the array's current element
}

func (sc *refKeyScanner) skipSpace() {
	for sc.pos < len(sc.data) && (sc.data[sc.pos] == ' ' || sc.data[sc.pos] == '\t' || sc.data[sc.pos] == '\n' || sc.data[sc.pos] == '\r') {
		sc.pos++
	}
}

// value scans one value.
func (sc *refKeyScanner) value() {
	sc.skipSpace()
	if sc.pos >= len(sc.data) {
		return
	}
	switch sc.data[sc.pos] {
	case '{':
		sc.object()
	case '[':
		sc.array()
	case '"':
		sc.str()
	default: // a number, true, false or null
		for sc.pos < len(sc.data) && !strings.ContainsRune(",]} \t\n\r", rune(sc.data[sc.pos])) {
			sc.pos++
		}
	}
}

func (sc *refKeyScanner) object() {
	sc.pos++ // {
	sc.stack = append(sc.stack, refKeyFrame{object: true})
	for {
		sc.skipSpace()
		if sc.pos >= len(sc.data) || sc.data[sc.pos] == '}' {
			break
		}
		if sc.data[sc.pos] == ',' {
			sc.pos++
			continue
		}
		key := sc.str()
		sc.addKey(key)
		sc.skipSpace()
		sc.pos++ // :
		sc.value()
	}
	sc.pos++ // }
	sc.stack = sc.stack[:len(sc.stack)-1]
}

func (sc *refKeyScanner) array() {
	sc.pos++ // [
	sc.stack = append(sc.stack, refKeyFrame{index: -1})
	for {
		sc.skipSpace()
		if sc.pos >= len(sc.data) || sc.data[sc.pos] == ']' {
			break
		}
		if sc.data[sc.pos] == ',' {
			sc.pos++
			continue
		}
		sc.stack[len(sc.stack)-1].index++
		sc.value()
	}
	sc.pos++ // ]
	sc.stack = sc.stack[:len(sc.stack)-1]
}

// str scans a string and returns it unquoted.
func (sc *refKeyScanner) str() string {
	start := sc.pos
	escaped := false
	for sc.pos++; sc.pos < len(sc.data) && sc.data[sc.pos] != '"'; sc.pos++ {
		if sc.data[sc.pos] == '\\' {
			escaped = true
			sc.pos++
		}
	}
	sc.pos++
	end := min(sc.pos, len(sc.data))
	if !escaped {
		return string(sc.data[start+1 : max(end-1, start+1)])
	}
	var s string
	_ = json.Unmarshal(sc.data[start:end], &s)
	return s
}

// addKey records key in the current object, reporting it when the object
// has it already.
func (sc *refKeyScanner) addKey(key string) {
	f := &sc.stack[len(sc.stack)-1]
	lower := strings.ToLower(key)
	i := -1
	switch {
	case f.seen != nil:
		if j, ok := f.seen[lower]; ok {
			i = j
		}
	default:
		i = slices.Index(f.keys, lower)
	}
	if i >= 0 {
		first, second := sc.path(f.raw[i]), sc.path(key)
		if f.raw[i] == key {
			sc.problems = append(sc.problems, Problem{Path: second, Message: "duplicate key: " + second + " is given twice in one object"})
		} else {
			sc.problems = append(sc.problems, Problem{Path: second, Message: "duplicate key: " + first + " is the same key (keys match ignoring case)"})
		}
	}
	f.keys = append(f.keys, lower)
	f.raw = append(f.raw, key)
	const many = 16 // past this many keys, a map finds a key faster than a scan
	if f.seen == nil && len(f.keys) > many {
		f.seen = make(map[string]int, 2*many)
		for j, k := range f.keys {
			if _, ok := f.seen[k]; !ok {
				f.seen[k] = j
			}
		}
	} else if f.seen != nil {
		if _, ok := f.seen[lower]; !ok {
			f.seen[lower] = len(f.keys) - 1
		}
	}
}

// path returns the JSON path of key in the current object.
func (sc *refKeyScanner) path(key string) string {
	p := ""
	for _, f := range sc.stack[:len(sc.stack)-1] {
		if f.object {
			p = join(p, f.raw[len(f.raw)-1])
		} else {
			p += "[" + strconv.Itoa(f.index) + "]"
		}
	}
	return join(p, key)
}

// decoder fills Go values from decoded JSON, collecting problems.
type refDecoder struct {
	problems []Problem
}

func (d *refDecoder) problem(path, format string, args ...any) {
	d.problems = append(d.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// value decodes v into target.
func (d *refDecoder) value(path string, v any, target reflect.Value) {
	t := target.Type()
	if d.special(path, v, target) {
		return
	}
	if v == nil {
		return // null: unset
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(textUnmarshalerType) {
		d.text(path, v, target)
		return
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Interface:
		d.scalar(path, v, target)
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		d.value(path, v, p.Elem())
		target.Set(p)
	case reflect.Slice:
		d.list(path, v, target)
	case reflect.Map:
		d.dict(path, v, target)
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			d.problem(path, "%s is not an object", show(v))
			return
		}
		d.object(path, obj, target)
	default:
		d.problem(path, "cannot be decoded (%s)", t)
	}
}

// special decodes the types whose JSON is not their Go kind's (OptBool,
// SelectionMode, NodeID), reporting whether target is one.
func (d *refDecoder) special(path string, v any, target reflect.Value) bool {
	switch target.Type() {
	case optBoolType:
		switch v := v.(type) {
		case nil:
			target.Set(reflect.ValueOf(connector.Unset))
		case bool:
			target.Set(reflect.ValueOf(connector.OptBoolOf(v)))
		default:
			d.problem(path, "%s is not true, false or null", show(v))
		}
	case modeType:
		switch v {
		case nil, "MostSpecific", json.Number("0"):
		case "ListedOrder", json.Number("1"):
			target.Set(reflect.ValueOf(connector.ListedOrder))
		default:
			d.problem(path, "%s is not MostSpecific or ListedOrder", show(v))
		}
	case nodeIDType:
		// The old decoder left a value that is not a string unset; both
		// now report it (an accepted value is honoured or refused).
		s, ok := v.(string)
		if v == nil || ok && s == "" {
			return true
		}
		id, err := topology.ParseNodeID(s)
		if !ok || err != nil {
			d.problem(path, "%s is not a node ID such as \"eop:contoso\"", show(v))
			return true
		}
		target.Set(reflect.ValueOf(id))
	default:
		return false
	}
	return true
}

// text decodes a string into a type that reads its text form.
func (d *refDecoder) text(path string, v any, target reflect.Value) {
	s, ok := v.(string)
	if !ok {
		d.problem(path, "%s is not a string", show(v))
		return
	}
	if err := target.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
		d.problem(path, "%s: %v", show(v), err)
	}
}

// scalar decodes a string, a Boolean, a whole number, or any value into
// an interface.
func (d *refDecoder) scalar(path string, v any, target reflect.Value) {
	switch target.Kind() {
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			d.problem(path, "%s is not a string", show(v))
			return
		}
		target.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			d.problem(path, "%s is not true or false", show(v))
			return
		}
		target.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, ok := v.(json.Number)
		i, err := strconv.ParseInt(string(n), 10, 64)
		if !ok || err != nil {
			d.problem(path, "%s is not a whole number", show(v))
			return
		}
		target.SetInt(i)
	default: // reflect.Interface
		if n, ok := v.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				v = i
			} else if f, err := n.Float64(); err == nil {
				v = f
			}
		}
		target.Set(reflect.ValueOf(v))
	}
}

// list decodes a JSON list; a single string stands for a list of one
// string, as PowerShell writes one.
func (d *refDecoder) list(path string, v any, target reflect.Value) {
	t := target.Type()
	list, ok := v.([]any)
	if !ok {
		if t.Elem().Kind() != reflect.String {
			d.problem(path, "%s is not a list", show(v))
			return
		}
		list = []any{v}
	}
	s := reflect.MakeSlice(t, len(list), len(list))
	for i, e := range list {
		d.value(path+"["+strconv.Itoa(i)+"]", e, s.Index(i))
	}
	target.Set(s)
}

// dict decodes a JSON object into a map, keys in ascending order.
func (d *refDecoder) dict(path string, v any, target reflect.Value) {
	t := target.Type()
	obj, ok := v.(map[string]any)
	if !ok {
		d.problem(path, "%s is not an object", show(v))
		return
	}
	m := reflect.MakeMapWithSize(t, len(obj))
	for _, k := range refSortedKeys(obj) {
		e := reflect.New(t.Elem()).Elem()
		d.value(join(path, k), obj[k], e)
		m.SetMapIndex(reflect.ValueOf(k), e)
	}
	target.Set(m)
}

// object decodes a JSON object into a struct: keys match field names
// ignoring case; inline structs are flattened; "ExceptIfX" keys fill the
// ExceptIf field's X.
func (d *refDecoder) object(path string, obj map[string]any, target reflect.Value) {
	ft := fields.Of(target.Type())
	var set []struct {
		key string
		idx []int
	}
	for _, k := range refSortedKeys(obj) {
		idx, ok := ft.Index(k)
		if ok {
			// A rule's exceptions nested under "ExceptIf" and written flat
			// ("ExceptIfFrom") set the same fields.
			for _, s := range set {
				if n := min(len(s.idx), len(idx)); len(s.idx) != len(idx) && slices.Equal(s.idx[:n], idx[:n]) {
					d.problem(join(path, k), "%s sets the same exceptions: write them either flat (ExceptIfFrom) or under ExceptIf, not both", join(path, s.key))
				}
			}
			set = append(set, struct {
				key string
				idx []int
			}{k, idx})
		}
		if !ok {
			if near := closest(k, ft.Names()); near != "" {
				d.problem(join(path, k), "unknown field (did you mean %s?)", near)
			} else {
				d.problem(join(path, k), "unknown field")
			}
			continue
		}
		d.value(join(path, k), obj[k], target.FieldByIndex(idx))
	}
}

func refSortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// refDecode decodes data as Load did with the reference decoder: the
// problems of the values, unsorted, or what makes data not JSON.
func refDecode(data []byte) (*File, []Problem, string) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, nil, notJSON(data, err)
	}
	if dec.More() {
		return nil, nil, "not JSON: more than one value"
	}
	d := &refDecoder{problems: refDuplicateKeys(data)}
	var f File
	d.value("", raw, reflect.ValueOf(&f).Elem())
	for i, m := range f.Messages {
		if m.Expect != nil {
			d.problems = append(d.problems, m.Expect.problems(fmt.Sprintf("Messages[%d].Expect", i))...)
		}
	}
	return &f, d.problems, ""
}

// FuzzDecodeSameAsTree: the one-pass decoder reports the same problems as
// the reference decoder, and decodes the same File where no key is given
// twice (where one is, the File is refused either way).
func FuzzDecodeSameAsTree(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	seeds, _ := filepath.Glob("builtin/*/*.json")
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantPs, wantErr := refDecode(data)
		var got File
		ps, err := decodeFile(data, &got, true)
		if wantErr != "" {
			require.Error(t, err)
			require.Equal(t, wantErr, err.(*LoadError).Problems[0].Message)
			return
		}
		require.NoError(t, err)
		dups := slices.ContainsFunc(ps, func(p Problem) bool { return strings.HasPrefix(p.Message, "duplicate key") })
		if !utf8.Valid(data) {
			// The reference wrote the invalid UTF-8 of keys as it was in
			// the paths of duplicate keys, and as U+FFFD in the others;
			// the one-pass decoder writes U+FFFD in all.
			wantPs, ps = without(wantPs, "duplicate key"), without(ps, "duplicate key")
		}
		if dups {
			// Of a rule's keys that are the same ignoring case, the
			// one-pass decoder pairs only the first with the other
			// exception keys; the reference paired each.
			wantPs, ps = without(wantPs, "sets the same exceptions"), without(ps, "sets the same exceptions")
		}
		slices.SortFunc(wantPs, problem.Compare)
		slices.SortFunc(ps, problem.Compare)
		require.Equal(t, wantPs, ps)
		if !dups {
			if diff := cmp.Diff(*want, got, testopts.Cmp); diff != "" {
				t.Errorf("decoded File differs (-reference +one-pass):\n%s", diff)
			}
		}
	})
}

// without returns ps without the problems whose message has part.
func without(ps []Problem, part string) []Problem {
	return slices.DeleteFunc(ps, func(p Problem) bool { return strings.Contains(p.Message, part) })
}

// decodeSeeds are files that take each path of the decoders.
var decodeSeeds = []string{
	``, ` `, `{`, `{"a"`, `{"a":`, `[`, `{} ]`, `{} }`, `{} x`, `{}{}`, `1x`, `nul`, `"\ud800"`,
	`{"Description": 5, "description": "x", "Settings": {"a": 1, "b": 2.5, "c": 1e400, "d": [1, {"e": null}], "a": true}}`,
	`{"Tenants": [{"Name": "contoso", "Recipients": "x", "AcceptedDomains": [{"DomainName": ["a"], "MatchSubDomains": "yes"}]}]}`,
	`{"Tenants": [{"Name": "c", "OutboundConnectorSelection": "listedorder", "HopLimit": 1.5}, {"Name": "d", "OutboundConnectorSelection": 1, "HopLimit": "3"}, {"Name": "e", "OutboundConnectorSelection": 2}]}`,
	`{"Tenants": [{"Name": "c", "InboundConnectors": [{"Name": "x", "RequireTls": null, "ConnectorType": "partner", "SenderDomains": "a.example"}, {"Name": "y", "RequireTls": 1, "ConnectorType": 7}]}]}`,
	`{"Tenants": [{"Name": "c", "TransportRules": [{"Name": "r", "ExceptIf": {"From": ["a@b.c"]}, "ExceptIfFrom": ["x@y.z"], "ExceptIfSentTo": "q@r.s", "exceptif": null}]}]}`,
	`{"Messages": [{"Name": "m", "From": "a@b.example", "To": "c@d.example", "Origin": 5, "Expect": {"Copies": -1, "Recipients": {"c@d.example": {"Disposition": "nope", "Hops": "x"}, "c@d.example": {"Status": 5}}}}]}`,
	`{"Messages": [{"Origin": "bad id", "Expect": {"Splits": [{"At": "eop:x", "Copies": "2"}]}}], "Unknown": {"a": 1, "a": 2}, "Tenant": []}`,
	`{"Tenants": [{"Name": "x", "Name": 5, "NAME": [1], "Recipients": [{"Name": "a"}, 3, null, {"Nmae": 1}]}], "Hybrid": {"Tenant": "x"}}`,
	"{\"Descr\\u0069ption\": \"\\u00e9\\ud83d\\ude00\", \"\xff\": \"\xfe\", \"\u212aey\": 1}",
	`{"Tenants": [{"Name": "x", "Recipients": [{"Name": "<&>", "RecipientTypeDetails": "<b>"}]}]}`,
}
