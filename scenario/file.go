package scenario

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/fields"
	"github.com/mailflowsim/mailflow/internal/problem"
	"github.com/mailflowsim/mailflow/internal/textenc"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/topology"
)

// File is a topology file: a [topology.Spec] with PowerShell property names
// as JSON keys, and the messages to trace through it.
//
//	{
//	  "Tenants": [{"Name": "contoso", "AcceptedDomains": [...], "Recipients": [...],
//	               "InboundConnectors": [...], "OutboundConnectors": [...], "TransportRules": [...]}],
//	  "OnPremises": [...], "External": [...], "MXRecords": [...], "DNSRecords": [...], "Hybrid": [...],
//	  "Messages": [{"Name": "...", "From": "...", "To": ["..."], "Expect": {...}}]
//	}
//
// Keys are the Go field names of the Spec types, which are Exchange's
// property names; they match ignoring case, as PowerShell's do, so an
// object must not give one key twice, even in another case. A
// TransportRule's exceptions are written flat, as exports have them
// ("ExceptIfFrom"), or nested under "ExceptIf", not both. A list of
// strings may be written as a single string. null is an unset value.
type File struct {
	// Description says what the file models. Informational: it is shown,
	// never checked.
	Description string
	// Settings tell apart the variants of a scenario; a built-in scenario
	// is a file per variant.
	Settings Settings
	// Spec is the topology; its keys are the file's own ("Tenants",
	// "MXRecords").
	Spec     topology.Spec `mailflow:"inline"`
	Messages []FileMessage
}

// FileMessage is a message of a topology file, with what it must do.
type FileMessage struct {
	Name string
	// Message is the message; its keys are the object's own ("From", "To").
	Message route.Message `mailflow:"inline"`
	// Expect, when set, is what tracing the message must give.
	Expect *Expect
}

// Problem is one problem of a topology file, or of exports: Path is the
// JSON path of the value ("Tenants[0].InboundConnectors[2].SenderIPAddresses[0]"),
// or the file and object of an export; Field is empty; Message says what
// is wrong. It is the same type as topology.Problem and connector.Problem.
type Problem = problem.Problem

// LoadError lists every problem of a topology file, or of the exports
// given to package [github.com/mailflowsim/mailflow/scenario/exchange], in
// order.
type LoadError struct {
	Problems []Problem
}

// Error lists the problems, one per line.
func (e *LoadError) Error() string { return problem.List("scenario", e.Problems) }

// ErrBadFile is matched by errors.Is for every LoadError.
var ErrBadFile = errors.New("scenario: bad topology file")

// Is reports whether target is [ErrBadFile].
func (e *LoadError) Is(target error) bool { return target == ErrBadFile }

// LoadFile reads a topology file; see [Load].
func LoadFile(name string) (*File, *topology.Topology, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	return Load(bytes.NewReader(data))
}

// UnmarshalJSON reads a topology file's JSON as [Load] does, reporting
// every problem of its values (a [*LoadError]), without building the
// topology.
func (f *File) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return &LoadError{Problems: []Problem{{Message: "not JSON: " + err.Error()}}}
	}
	d := &decoder{problems: duplicateKeys(data)}
	var nf File
	d.value("", raw, reflect.ValueOf(&nf).Elem())
	d.expectations(&nf)
	if len(d.problems) > 0 {
		slices.SortFunc(d.problems, problem.Compare)
		return &LoadError{Problems: d.problems}
	}
	*f = nf
	return nil
}

// expectations adds the problems of the messages' expectations.
func (d *decoder) expectations(f *File) {
	for i, m := range f.Messages {
		if m.Expect != nil {
			d.problems = append(d.problems, m.Expect.problems(fmt.Sprintf("Messages[%d].Expect", i))...)
		}
	}
}

// ErrNilReader is the error of [Load] given a nil reader.
var ErrNilReader = errors.New("scenario: nil reader")

// notJSON describes a JSON syntax error with its line and column.
func notJSON(data []byte, err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line, col := textenc.Position(data, max(syn.Offset-1, 0)) // Offset is just past the bad byte
		return fmt.Sprintf("not JSON: line %d, column %d: %v", line, col, err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		line, col := textenc.Position(data, int64(len(data)))
		return fmt.Sprintf("not JSON: line %d, column %d: the file ends too early", line, col)
	}
	return "not JSON: " + err.Error()
}

// Load reads a topology file (UTF-8 with or without a byte order mark, or
// UTF-16 with one, as PowerShell saves files), builds its topology and
// checks its messages. It reports every problem at once, each with its JSON path,
// unknown keys with the closest known name, duplicate keys with the path
// of the first; the topology's own validation
// problems are reported at the JSON path of the object they concern. It
// never panics; a nil r gives [ErrNilReader].
func Load(r io.Reader) (*File, *topology.Topology, error) {
	if r == nil {
		return nil, nil, ErrNilReader
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	data = textenc.UTF8(data) // as PowerShell saves files: BOM, UTF-16
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, nil, &LoadError{Problems: []Problem{{Message: notJSON(data, err)}}}
	}
	if dec.More() {
		return nil, nil, &LoadError{Problems: []Problem{{Message: "not JSON: more than one value"}}}
	}
	d := &decoder{problems: duplicateKeys(data)}
	var f File
	d.value("", raw, reflect.ValueOf(&f).Elem())
	d.expectations(&f)
	// The topology's own problems too, all at once, except in an object
	// where a value did not decode: they would follow from it.
	topo, err := topology.Build(f.Spec)
	var verr *topology.ValidationError
	switch {
	case errors.As(err, &verr):
		ps := d.problems
		paths := pathMapper{raw: raw, index: map[string]map[string]int{}}
		for _, p := range verr.Problems {
			path := paths.jsonPath(p.Path, p.Field)
			unmapped := strings.Contains(path, `["`) && len(d.problems) > 0
			if !unmapped && !slices.ContainsFunc(d.problems, func(q Problem) bool { return within(path, parent(q.Path)) }) {
				ps = append(ps, Problem{Path: path, Message: p.Message})
			}
		}
		slices.SortFunc(ps, problem.Compare)
		return nil, nil, &LoadError{Problems: ps}
	case err != nil:
		return nil, nil, err
	case len(d.problems) > 0:
		slices.SortFunc(d.problems, problem.Compare)
		return nil, nil, &LoadError{Problems: d.problems}
	}
	var ps []Problem
	for i, m := range f.Messages {
		var merr *route.MessageError
		if errors.As(route.ValidateMessage(topo, m.Message), &merr) {
			for _, p := range merr.Problems {
				ps = append(ps, Problem{Path: fmt.Sprintf("Messages[%d].%s", i, p.Field), Message: p.Message})
			}
		}
	}
	if len(ps) > 0 {
		return nil, nil, &LoadError{Problems: ps}
	}
	return &f, topo, nil
}

// duplicateKeys returns the keys of data given twice in one JSON object,
// exactly or ignoring case (the decoder matches keys ignoring case), at
// the path of the second with the path of the first: decoding into a map
// would keep one of them silently. data has decoded as JSON already; it
// is scanned once, without a token allocated per value, and paths are
// built only for the keys it reports.
func duplicateKeys(data []byte) []Problem {
	sc := keyScanner{data: data}
	sc.value()
	return sc.problems
}

// keyScanner scans valid JSON for duplicate keys.
type keyScanner struct {
	data     []byte
	pos      int
	stack    []keyFrame // the containers the scanner is in
	problems []Problem
}

// keyFrame is a container being scanned: an object's keys so far and the
// current one, or an array's current index.
type keyFrame struct {
	object bool
	keys   []string       // lower-cased keys of the object, in order
	raw    []string       // the same keys as written
	seen   map[string]int // keys → index, once an object has many
	index  int            // the array's current element
}

func (sc *keyScanner) skipSpace() {
	for sc.pos < len(sc.data) && (sc.data[sc.pos] == ' ' || sc.data[sc.pos] == '\t' || sc.data[sc.pos] == '\n' || sc.data[sc.pos] == '\r') {
		sc.pos++
	}
}

// value scans one value.
func (sc *keyScanner) value() {
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

func (sc *keyScanner) object() {
	sc.pos++ // {
	sc.stack = append(sc.stack, keyFrame{object: true})
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

func (sc *keyScanner) array() {
	sc.pos++ // [
	sc.stack = append(sc.stack, keyFrame{index: -1})
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
func (sc *keyScanner) str() string {
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
func (sc *keyScanner) addKey(key string) {
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
func (sc *keyScanner) path(key string) string {
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
type decoder struct {
	problems []Problem
}

func (d *decoder) problem(path, format string, args ...any) {
	d.problems = append(d.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

var (
	optBoolType         = reflect.TypeFor[connector.OptBool]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	modeType            = reflect.TypeFor[connector.SelectionMode]()
	nodeIDType          = reflect.TypeFor[topology.NodeID]()
)

// value decodes v into target.
func (d *decoder) value(path string, v any, target reflect.Value) {
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
func (d *decoder) special(path string, v any, target reflect.Value) bool {
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
		s, ok := v.(string)
		if v == nil || s == "" {
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
func (d *decoder) text(path string, v any, target reflect.Value) {
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
func (d *decoder) scalar(path string, v any, target reflect.Value) {
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
func (d *decoder) list(path string, v any, target reflect.Value) {
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
func (d *decoder) dict(path string, v any, target reflect.Value) {
	t := target.Type()
	obj, ok := v.(map[string]any)
	if !ok {
		d.problem(path, "%s is not an object", show(v))
		return
	}
	m := reflect.MakeMapWithSize(t, len(obj))
	for _, k := range sortedKeys(obj) {
		e := reflect.New(t.Elem()).Elem()
		d.value(join(path, k), obj[k], e)
		m.SetMapIndex(reflect.ValueOf(k), e)
	}
	target.Set(m)
}

// object decodes a JSON object into a struct: keys match field names
// ignoring case; inline structs are flattened; "ExceptIfX" keys fill the
// ExceptIf field's X.
func (d *decoder) object(path string, obj map[string]any, target reflect.Value) {
	ft := fields.Of(target.Type())
	var set []struct {
		key string
		idx []int
	}
	for _, k := range sortedKeys(obj) {
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

// within reports whether path is at or under the path of.
func within(path, of string) bool {
	return of == "" || path == of || strings.HasPrefix(path, of) && (path[len(of)] == '.' || path[len(of)] == '[')
}

// parent returns the path of the object holding the value at path.
func parent(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// closest returns the known name nearest to key, when it is near enough
// to be a typo: an edit distance of at most 2, or a third of the length.
func closest(key string, names []string) string {
	best, bestD := "", max(2, len(key)/3)+1
	for _, n := range names {
		if d := distance(strings.ToLower(key), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// jsonPath turns a Build problem's object and field, which name objects
// by name (`Tenants["contoso"].InboundConnectors["From X"]`), into the
// JSON path of that object in the file (`Tenants[0].InboundConnectors[2]`).
// What it cannot find stays as Build wrote it.
func (m *pathMapper) jsonPath(object, field string) string {
	text := object
	if field != "" {
		text += "." + field
	}
	cur, path := m.raw, ""
	segs := parseSegments(text)
	for i, s := range segs {
		obj, ok := cur.(map[string]any)
		key := ""
		if ok {
			for k := range obj {
				if strings.EqualFold(k, s.name) {
					key = k
				}
			}
		}
		if key == "" {
			return joinRest(path, segs[i:])
		}
		path, cur = join(path, key), obj[key]
		if s.arg == "" {
			continue
		}
		list, ok := cur.([]any)
		if !ok {
			return joinRest(path, segs[i+1:]) + "[" + s.arg + "]"
		}
		idx := -1
		if n, err := strconv.Atoi(s.arg); err == nil {
			idx = n
		} else {
			idx = m.find(path, s.name, list, parseArgs(s.arg))
		}
		if idx < 0 || idx >= len(list) {
			return joinRest(path+"["+s.arg+"]", segs[i+1:])
		}
		path, cur = fmt.Sprintf("%s[%d]", path, idx), list[idx]
	}
	return path
}

type segment struct{ name, arg string }

// parseSegments splits `A["x"].B[2].C` into its segments.
func parseSegments(s string) []segment {
	var segs []segment
	for s != "" {
		s = strings.TrimPrefix(s, ".")
		end := strings.IndexAny(s, ".[")
		if end < 0 {
			segs = append(segs, segment{name: s})
			break
		}
		seg := segment{name: s[:end]}
		s = s[end:]
		if strings.HasPrefix(s, "[") {
			j := closingBracket(s)
			seg.arg = s[1:j]
			s = s[min(j+1, len(s)):]
		}
		segs = append(segs, seg)
	}
	return segs
}

// closingBracket returns the index of the "]" that closes s[0] == '[',
// skipping quoted strings, or len(s).
func closingBracket(s string) int {
	inQuote := false
	for j := 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && inQuote:
			j++
		case s[j] == '"':
			inQuote = !inQuote
		case s[j] == ']' && !inQuote:
			return j
		}
	}
	return len(s)
}

// parseArgs reads the Go-quoted strings and numbers of a segment's
// argument: `"contoso.com" 10 "host"`.
func parseArgs(arg string) []string {
	var out []string
	for arg = strings.TrimSpace(arg); arg != ""; arg = strings.TrimLeft(arg, " ,") {
		if arg[0] == '"' {
			q, err := strconv.QuotedPrefix(arg)
			if err != nil {
				return append(out, arg)
			}
			v, _ := strconv.Unquote(q)
			out = append(out, v)
			arg = arg[len(q):]
			continue
		}
		end := strings.IndexAny(arg, " ,")
		if end < 0 {
			end = len(arg)
		}
		out = append(out, arg[:end])
		arg = arg[end:]
	}
	return out
}

// pathMapper maps the paths of Build's problems to JSON paths in raw,
// indexing each list it meets once, so that mapping every problem costs
// time linear in the number of problems and the size of the file.
type pathMapper struct {
	raw   any
	index map[string]map[string]int // a list's JSON path → identity key → the first index with it
}

// find returns the index in list, the JSON list at path named name, of
// the object Build named by want, or -1.
func (m *pathMapper) find(path, name string, list []any, want []string) int {
	idx, ok := m.index[path]
	if !ok {
		idx = make(map[string]int, len(list))
		for j, e := range list {
			if have, ok := identityOf(name, e); ok {
				if k := identityKey(have); !hasKey(idx, k) {
					idx[k] = j
				}
			}
		}
		m.index[path] = idx
	}
	if j, ok := idx[identityKey(want)]; ok {
		return j
	}
	return -1
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// identityKey is the key of an identity, compared ignoring case.
func identityKey(vals []string) string { return strings.ToLower(strings.Join(vals, "\x00")) }

// identityOf returns the values by which Build names the JSON element e
// of the list named list (a recipient by its PrimarySmtpAddress, a Receive
// connector by server and name…).
func identityOf(list string, e any) ([]string, bool) {
	obj, ok := e.(map[string]any)
	if !ok {
		return nil, false
	}
	get := func(k string) string {
		for key, v := range obj {
			if strings.EqualFold(key, k) {
				switch v := v.(type) {
				case string:
					return v
				case json.Number:
					return v.String()
				}
			}
		}
		return ""
	}
	switch list {
	case "Recipients":
		return []string{cmpOr(get("PrimarySmtpAddress"), get("Name"))}, true
	case "AcceptedDomains":
		return []string{get("DomainName")}, true
	case "MXRecords":
		return []string{get("Domain"), cmpOr(get("Preference"), "0"), get("NameExchange")}, true
	case "DNSRecords":
		return []string{get("Name"), get("Type")}, true
	case "Hybrid":
		return []string{get("Tenant"), get("OnPremises")}, true
	case "ReceiveConnectors":
		return []string{get("Server") + `\` + get("Name")}, true
	}
	return []string{get("Name")}, true
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func joinRest(path string, segs []segment) string {
	for _, s := range segs {
		path = join(path, s.name)
		if s.arg != "" {
			path += "[" + s.arg + "]"
		}
	}
	return path
}
