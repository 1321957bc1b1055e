package scenario

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/fields"
	"github.com/mailflowsim/mailflow/internal/jsonscan"
	"github.com/mailflowsim/mailflow/topology"
)

// A topology file is decoded in one pass over its bytes, straight into the
// File: each JSON value is read where it stands and set into its Go field
// through a plan worked out once per Go type (typeInfo), with no tree of
// maps built first. Paths are built only for the values with a problem;
// duplicate keys are found in the same pass. Text that is not JSON stops
// the pass, and encoding/json then reads it to say where and why, so that
// those messages are encoding/json's own.

// decodeKind is how a Go type takes its JSON value.
type decodeKind uint8

const (
	kindOther   decodeKind = iota // cannot be decoded
	kindOptBool                   // connector.OptBool: true, false or null
	kindMode                      // connector.SelectionMode: its name or number
	kindNodeID                    // topology.NodeID: "kind:name"
	kindText                      // a type that reads its text form (encoding.TextUnmarshaler)
	kindString
	kindBool
	kindInt
	kindAny // an interface: any JSON value
	kindPointer
	kindSlice
	kindMap
	kindStruct
)

// typeInfo is the plan for decoding one Go type.
type typeInfo struct {
	t     reflect.Type
	kind  decodeKind
	elem  *typeInfo            // a pointer's, slice's or map's element
	keys  map[string]fieldInfo // a struct's keys, lower-cased
	names []string             // a struct's keys as the fields spell them
	// exceptIf: the struct has an ExceptIf field, whose fields are keys
	// twice: nested and flat.
	exceptIf bool
}

// fieldInfo is a struct's field for one key.
type fieldInfo struct {
	index []int
	info  *typeInfo
}

// typeInfos caches the plan of each type; plans are built under its lock,
// all the plans a type needs at once.
var typeInfos struct {
	sync.Mutex
	m map[reflect.Type]*typeInfo
}

// infoOf returns the plan for type t.
func infoOf(t reflect.Type) *typeInfo {
	typeInfos.Lock()
	defer typeInfos.Unlock()
	if typeInfos.m == nil {
		typeInfos.m = map[reflect.Type]*typeInfo{}
	}
	return planOf(t)
}

// planOf returns the plan for t, building it if need be; the caller holds
// typeInfos' lock.
func planOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.m[t]; ok {
		return ti
	}
	ti := &typeInfo{t: t}
	typeInfos.m[t] = ti // before its elements: a type may contain itself
	switch {
	case t == optBoolType:
		ti.kind = kindOptBool
	case t == modeType:
		ti.kind = kindMode
	case t == nodeIDType:
		ti.kind = kindNodeID
	case t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(textUnmarshalerType):
		ti.kind = kindText
	default:
		planKind(ti)
	}
	return ti
}

// planKind plans a type by its kind.
func planKind(ti *typeInfo) {
	t := ti.t
	switch t.Kind() {
	case reflect.String:
		ti.kind = kindString
	case reflect.Bool:
		ti.kind = kindBool
	case reflect.Int, reflect.Int64:
		ti.kind = kindInt
	case reflect.Interface:
		ti.kind = kindAny
	case reflect.Pointer:
		ti.kind, ti.elem = kindPointer, planOf(t.Elem())
	case reflect.Slice:
		ti.kind, ti.elem = kindSlice, planOf(t.Elem())
	case reflect.Map:
		ti.kind, ti.elem = kindMap, planOf(t.Elem())
	case reflect.Struct:
		ti.kind = kindStruct
		table := fields.Of(t)
		ti.names = table.Names()
		ti.keys = make(map[string]fieldInfo, len(ti.names))
		for _, name := range ti.names {
			idx, _ := table.Index(name)
			ti.keys[strings.ToLower(name)] = fieldInfo{index: idx, info: planOf(t.FieldByIndex(idx).Type)}
			if name == "ExceptIf" {
				ti.exceptIf = true
			}
		}
	}
}

// field returns the field of a struct's key, matched ignoring case as
// fields.Table.Index matches it; scratch is a buffer for the lower-cased
// key.
func (ti *typeInfo) field(key []byte, scratch *[]byte) (fieldInfo, bool) {
	lower := (*scratch)[:0]
	for _, c := range key {
		switch {
		case c >= utf8.RuneSelf:
			f, ok := ti.keys[strings.ToLower(string(key))]
			return f, ok
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		lower = append(lower, c)
	}
	*scratch = lower
	f, ok := ti.keys[string(lower)]
	return f, ok
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// sameKey reports whether two keys are the same ignoring case, as
// strings.ToLower makes them: outside ASCII that is not quite what
// strings.EqualFold finds ("İ" lowers to "i̇", not "i").
func sameKey(a, b keyEntry) bool {
	if a.ascii && b.ascii {
		return len(a.key) == len(b.key) && bytes.EqualFold(a.key, b.key)
	}
	la, lb := strings.ToLower(string(a.key)), strings.ToLower(string(b.key))
	return la == lb
}

// streamDecoder fills a Go value from JSON text, collecting problems.
type streamDecoder struct {
	sc       *jsonscan.Scanner
	problems []Problem  // problems of values
	dups     []Problem  // duplicate keys
	dropped  [][2]int   // ranges of problems to drop: values a later exact duplicate key replaced
	path     []pathSeg  // where the scanner is
	frames   []keyFrame // the keys of the objects being read, by depth in path
	lower    []byte     // a key lower-cased
	scratch  map[*typeInfo]reflect.Value
}

// pathSeg is a step of a JSON path: an object's key or an array's index.
type pathSeg struct {
	key     []byte
	index   int
	isIndex bool
	// wrapped: the index 0 of a single value read as a list of one, which
	// the paths of duplicate keys leave out, as the JSON has no list there.
	wrapped bool
}

// keyFrame is the keys of an object read so far, with the problems of
// each key's value (a range of streamDecoder.problems).
type keyFrame struct {
	keys []keyEntry
	// Once the object has many keys: the index of each key's first
	// occurrence ignoring case, and of its last exact one.
	seen, last map[string]int
}

type keyEntry struct {
	key        []byte
	ascii      bool
	start, end int
}

// pathString returns the JSON path where the scanner is:
// "Tenants[0].Recipients[3].Name".
func (d *streamDecoder) pathString() string {
	return string(appendPath(nil, d.path, false))
}

// appendPath appends path to b; a path for a duplicate key leaves out
// wrapped indexes.
func appendPath(b []byte, path []pathSeg, dup bool) []byte {
	for _, s := range path {
		switch {
		case s.wrapped && dup:
		case s.isIndex:
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.index), 10)
			b = append(b, ']')
		case len(b) > 0:
			b = append(b, '.')
			b = append(b, s.key...)
		default:
			b = append(b, s.key...)
		}
	}
	return b
}

func (d *streamDecoder) problem(format string, args ...any) {
	d.problems = append(d.problems, Problem{Path: d.pathString(), Message: fmt.Sprintf(format, args...)})
}

// bad reads the next value and reports it with format, whose verb is the
// value as JSON.
func (d *streamDecoder) bad(format string) {
	start := d.sc.Pos()
	d.skip()
	if !d.sc.Failed() {
		d.problem(format, showRaw(d.sc.Data()[start:d.sc.Pos()]))
	}
}

// anyOf returns the value of the JSON text raw, numbers as json.Number.
func anyOf(raw []byte) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	_ = dec.Decode(&v) // raw has been scanned as JSON
	return v
}

// showRaw returns the JSON text raw as show shows its value.
func showRaw(raw []byte) string { return show(anyOf(raw)) }

// value decodes the next value into target, of the type ti plans.
func (d *streamDecoder) value(ti *typeInfo, target reflect.Value) {
	c := d.sc.Peek()
	switch ti.kind {
	case kindOptBool:
		d.optBool(c, target)
		return
	case kindMode:
		d.mode(c, target)
		return
	case kindNodeID:
		d.nodeID(c, target)
		return
	}
	if c == 'n' {
		d.sc.Literal() // null: unset
		return
	}
	switch ti.kind {
	case kindText:
		d.text(c, target)
	case kindString, kindBool, kindInt, kindAny:
		d.scalar(ti, c, target)
	case kindPointer:
		p := reflect.New(ti.elem.t)
		d.value(ti.elem, p.Elem())
		target.Set(p)
	case kindSlice:
		d.list(ti, c, target)
	case kindMap, kindStruct:
		if c != '{' {
			d.bad("%s is not an object")
		} else if ti.kind == kindMap {
			d.dict(ti, target)
		} else {
			d.object(ti, target)
		}
	default:
		d.problem("cannot be decoded (%s)", ti.t)
		d.skip()
	}
}

// optBool decodes a connector.OptBool: null is Unset.
func (d *streamDecoder) optBool(c byte, target reflect.Value) {
	switch c {
	case 'n':
		d.sc.Literal()
		target.Set(reflect.ValueOf(connector.Unset))
	case 't', 'f':
		lit, _ := d.sc.Literal()
		target.Set(reflect.ValueOf(connector.OptBoolOf(lit == 't')))
	default:
		d.bad("%s is not true, false or null")
	}
}

// mode decodes a connector.SelectionMode, by name or number.
func (d *streamDecoder) mode(c byte, target reflect.Value) {
	var text []byte
	switch {
	case c == 'n':
		d.sc.Literal()
		return
	case c == '"':
		s, _ := d.sc.String()
		text = s
	case c == '-' || '0' <= c && c <= '9':
		n, _ := d.sc.Number()
		text = n
	default:
		d.bad("%s is not MostSpecific or ListedOrder")
		return
	}
	switch name := string(text); {
	case name == "MostSpecific" && c == '"', name == "0" && c != '"':
	case name == "ListedOrder" && c == '"', name == "1" && c != '"':
		target.Set(reflect.ValueOf(connector.ListedOrder))
	case c == '"':
		d.problem("%s is not MostSpecific or ListedOrder", show(name))
	default:
		d.problem("%s is not MostSpecific or ListedOrder", name) // a number shows as written
	}
}

// nodeID decodes a topology.NodeID from its text ("eop:contoso"). An
// empty string and null leave it unset; any other value that is not a
// node ID is a problem.
func (d *streamDecoder) nodeID(c byte, target reflect.Value) {
	switch c {
	case 'n':
		d.sc.Literal() // null: unset
		return
	case '"':
	default:
		d.bad("%s is not a node ID such as \"eop:contoso\"")
		return
	}
	s, _ := d.sc.String()
	if len(s) == 0 {
		return
	}
	id, err := topology.ParseNodeID(string(s))
	if err != nil {
		d.problem("%s is not a node ID such as \"eop:contoso\"", show(string(s)))
		return
	}
	target.Set(reflect.ValueOf(id))
}

// text decodes a string into a type that reads its text form.
func (d *streamDecoder) text(c byte, target reflect.Value) {
	if c != '"' {
		d.bad("%s is not a string")
		return
	}
	s, ok := d.sc.String()
	if !ok {
		return
	}
	if err := target.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText(s); err != nil {
		d.problem("%s: %v", show(string(s)), err)
	}
}

// scalar decodes a string, a Boolean, a whole number, or any value into
// an interface.
func (d *streamDecoder) scalar(ti *typeInfo, c byte, target reflect.Value) {
	switch {
	case ti.kind == kindString && c == '"':
		s, _ := d.sc.String()
		target.SetString(string(s))
	case ti.kind == kindString:
		d.bad("%s is not a string")
	case ti.kind == kindBool && (c == 't' || c == 'f'):
		lit, _ := d.sc.Literal()
		target.SetBool(lit == 't')
	case ti.kind == kindBool:
		d.bad("%s is not true or false")
	case ti.kind == kindInt:
		start := d.sc.Pos()
		if c == '-' || '0' <= c && c <= '9' {
			n, _ := d.sc.Number()
			if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
				target.SetInt(i)
				return
			}
		} else {
			d.skip()
		}
		if !d.sc.Failed() {
			d.problem("%s is not a whole number", showRaw(d.sc.Data()[start:d.sc.Pos()]))
		}
	default: // kindAny
		start := d.sc.Pos()
		d.skip()
		if d.sc.Failed() {
			return
		}
		v := anyOf(d.sc.Data()[start:d.sc.Pos()])
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

// list decodes a JSON list; a single value stands for a list of one
// string, as PowerShell writes one.
func (d *streamDecoder) list(ti *typeInfo, c byte, target reflect.Value) {
	if c != '[' {
		if ti.elem.t.Kind() != reflect.String {
			d.bad("%s is not a list")
			return
		}
		s := reflect.MakeSlice(ti.t, 1, 1)
		d.path = append(d.path, pathSeg{isIndex: true, wrapped: true})
		d.value(ti.elem, s.Index(0))
		d.path = d.path[:len(d.path)-1]
		target.Set(s)
		return
	}
	// The elements go into chunks, the first a scratch slice of the
	// decoder's, each next one twice as long as the one before; then into
	// one slice as long as the list, as a list decoded whole is. Each
	// element is copied once, where growing one slice would copy the first
	// ones again at every growth, and a short list takes one allocation.
	first := d.scratchList(ti)
	var more []reflect.Value
	chunk, n, used, size := first, 0, 0, first.Len() // elements, and of them in chunk, of size
	d.elems(func() {
		if used == size {
			size *= 2
			chunk, used = reflect.MakeSlice(ti.t, size, size), 0
			more = append(more, chunk)
		}
		d.value(ti.elem, chunk.Index(used))
		n, used = n+1, used+1
	})
	s := reflect.MakeSlice(ti.t, n, n)
	at := reflect.Copy(s, first)
	for _, c := range more {
		at += reflect.Copy(s.Slice(at, n), c)
	}
	first.Slice(0, min(n, first.Len())).Clear() // for the next list, and so as to keep nothing
	d.scratch[ti] = first
	target.Set(s)
}

// scratchList returns a scratch slice of type ti, of zero values, taking
// it from the decoder; the caller gives it back zeroed.
func (d *streamDecoder) scratchList(ti *typeInfo) reflect.Value {
	if s, ok := d.scratch[ti]; ok && s.IsValid() {
		d.scratch[ti] = reflect.Value{} // in use, until given back (a list in a list of its type)
		return s
	}
	const short = 16
	return reflect.MakeSlice(ti.t, short, short)
}

// dict decodes a JSON object into a map.
func (d *streamDecoder) dict(ti *typeInfo, target reflect.Value) {
	m := reflect.MakeMap(ti.t)
	d.members(func(key []byte) {
		e := reflect.New(ti.elem.t).Elem()
		d.value(ti.elem, e)
		m.SetMapIndex(reflect.ValueOf(string(key)).Convert(ti.t.Key()), e)
	})
	target.Set(m)
}

// object decodes a JSON object into a struct: keys match field names
// ignoring case; inline structs are flattened; "ExceptIfX" keys fill the
// ExceptIf field's X.
func (d *streamDecoder) object(ti *typeInfo, target reflect.Value) {
	d.members(func(key []byte) {
		f, ok := ti.field(key, &d.lower)
		if !ok {
			if near := closest(string(key), ti.names); near != "" {
				d.problem("unknown field (did you mean %s?)", near)
			} else {
				d.problem("unknown field")
			}
			d.skip()
			return
		}
		d.value(f.info, target.FieldByIndex(f.index))
	})
	if ti.exceptIf && !d.sc.Failed() {
		d.exceptIfTwice(ti)
	}
}

// exceptIfTwice reports a rule's exceptions given both nested under
// "ExceptIf" and flat ("ExceptIfFrom"), which set the same fields: each
// pair of keys once, at the one later in byte order. Of keys that are the
// same ignoring case, which are reported as duplicates, only the first
// counts, so that the pairs are at most the struct's keys squared. The
// object just read is the last at its depth.
func (d *streamDecoder) exceptIfTwice(ti *typeInfo) {
	seen := map[string]bool{}
	var keys []string
	for _, e := range d.frames[len(d.path)].keys {
		lower := strings.ToLower(string(e.key))
		if _, ok := ti.keys[lower]; ok && !seen[lower] {
			seen[lower] = true
			keys = append(keys, string(e.key))
		}
	}
	slices.Sort(keys)
	at := d.pathString()
	for i, k := range keys {
		idx := ti.keys[strings.ToLower(k)].index
		for _, s := range keys[:i] {
			sidx := ti.keys[strings.ToLower(s)].index
			if n := min(len(sidx), len(idx)); len(sidx) != len(idx) && slices.Equal(sidx[:n], idx[:n]) {
				d.problems = append(d.problems, Problem{Path: join(at, k),
					Message: fmt.Sprintf("%s sets the same exceptions: write them either flat (ExceptIfFrom) or under ExceptIf, not both", join(at, s))})
			}
		}
	}
}

// skip reads the next value, whatever it is, finding duplicate keys in
// it.
func (d *streamDecoder) skip() {
	switch d.sc.Peek() {
	case '{':
		d.members(func([]byte) { d.skip() })
	case '[':
		d.elems(d.skip)
	default:
		d.sc.Scalar()
	}
}

// elems reads an array, calling elem with the scanner at each element.
func (d *streamDecoder) elems(elem func()) {
	if !d.sc.Array() {
		return
	}
	depth := len(d.path)
	d.path = append(d.path, pathSeg{isIndex: true})
	for i := 0; d.sc.Elem(i); i++ {
		d.path[depth].index = i
		elem()
	}
	d.path = d.path[:depth]
}

// members reads an object, calling member with the scanner at each
// key's value. It reports keys given twice, exactly or ignoring case, and
// of a key given twice exactly keeps the problems of the last value only:
// that value replaces the others, as in a map.
func (d *streamDecoder) members(member func(key []byte)) {
	if !d.sc.Object() {
		return
	}
	depth := len(d.path)
	d.path = append(d.path, pathSeg{})
	for len(d.frames) <= depth {
		d.frames = append(d.frames, keyFrame{})
	}
	d.frames[depth] = keyFrame{keys: d.frames[depth].keys[:0]}
	for i := 0; ; i++ {
		key, ok := d.sc.Key(i)
		if !ok {
			break
		}
		d.path[depth] = pathSeg{key: key}
		entry := keyEntry{key: key, ascii: isASCII(key)}
		replaced := d.addKey(depth, entry)
		entry.start = len(d.problems)
		member(key)
		entry.end = len(d.problems)
		f := &d.frames[depth]
		f.keys = append(f.keys, entry)
		if replaced >= 0 {
			d.dropped = append(d.dropped, [2]int{f.keys[replaced].start, f.keys[replaced].end})
		}
	}
	d.path = d.path[:depth]
}

// addKey reports key when the object at depth has it already, and returns
// the index of its last exact occurrence there, or -1.
func (d *streamDecoder) addKey(depth int, entry keyEntry) int {
	f := &d.frames[depth]
	key := entry.key
	first, last := -1, -1
	const many = 16 // past this many keys, maps find a key faster than a scan
	switch {
	case len(f.keys) >= many:
		if f.seen == nil {
			f.seen, f.last = make(map[string]int, 2*many), make(map[string]int, 2*many)
			for j, e := range f.keys {
				if _, ok := f.seen[strings.ToLower(string(e.key))]; !ok {
					f.seen[strings.ToLower(string(e.key))] = j
				}
				f.last[string(e.key)] = j
			}
		}
		lower := strings.ToLower(string(key))
		if j, ok := f.seen[lower]; ok {
			first = j
		} else {
			f.seen[lower] = len(f.keys)
		}
		if j, ok := f.last[string(key)]; ok {
			last = j
		}
		f.last[string(key)] = len(f.keys)
	default:
		first = slices.IndexFunc(f.keys, func(e keyEntry) bool { return sameKey(e, entry) })
		for j := len(f.keys) - 1; first >= 0 && j >= 0; j-- {
			if bytes.Equal(f.keys[j].key, key) {
				last = j
				break
			}
		}
	}
	if first < 0 {
		return -1
	}
	parent := appendPath(nil, d.path[:depth], true)
	second := string(appendPath(parent, []pathSeg{{key: key}}, true))
	if bytes.Equal(f.keys[first].key, key) {
		d.dups = append(d.dups, Problem{Path: second, Message: "duplicate key: " + second + " is given twice in one object"})
	} else {
		firstPath := string(appendPath(parent, []pathSeg{{key: f.keys[first].key}}, true))
		d.dups = append(d.dups, Problem{Path: second, Message: "duplicate key: " + firstPath + " is the same key (keys match ignoring case)"})
	}
	return last
}

// result returns the problems found: those of values no later value
// replaced, then the duplicate keys.
func (d *streamDecoder) result() []Problem {
	ps := d.problems
	if len(d.dropped) > 0 {
		// Ranges may nest: count how many cover each problem.
		cover := make([]int, len(d.problems)+1)
		for _, r := range d.dropped {
			cover[r[0]]++
			cover[r[1]]--
		}
		ps = nil
		n := 0
		for i, p := range d.problems {
			if n += cover[i]; n == 0 {
				ps = append(ps, p)
			}
		}
	}
	return append(ps, d.dups...)
}

var fileInfo = sync.OnceValue(func() *typeInfo { return infoOf(reflect.TypeFor[File]()) })

// decodeFile decodes data, a topology file, into f and returns the
// problems of its values (unsorted); or, when data is not JSON, a
// *LoadError saying so, with its line and column when lineCol is set. A
// value followed by more than white space is read alone when lax is set
// (as json.Decoder reads it), and is not JSON otherwise.
func decodeFile(data []byte, f *File, lineCol bool) ([]Problem, error) {
	d := &streamDecoder{sc: jsonscan.New(data), scratch: map[*typeInfo]reflect.Value{}}
	d.value(fileInfo(), reflect.ValueOf(f).Elem())
	if d.sc.Failed() || !d.sc.AtEnd() {
		if err := checkSyntax(data, lineCol); err != nil {
			return nil, err
		}
		if d.sc.Failed() { // encoding/json read what the scanner did not: a mistake of the scanner's
			return nil, &LoadError{Problems: []Problem{{Message: "not JSON: the decoder could not read it"}}}
		}
	}
	ps := d.result()
	for i, m := range f.Messages {
		if m.Expect != nil {
			ps = append(ps, m.Expect.problems(fmt.Sprintf("Messages[%d].Expect", i))...)
		}
	}
	return ps, nil
}

// checkSyntax reads data with encoding/json, as one value followed by
// nothing but white space, a closing bracket or a closing brace, and
// returns what is wrong with it as a *LoadError, or nil. Without lineCol,
// only the first value is read, and its error has no line and column.
func checkSyntax(data []byte, lineCol bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	err := dec.Decode(&raw)
	switch {
	case err != nil && lineCol:
		return &LoadError{Problems: []Problem{{Message: notJSON(data, err)}}}
	case err != nil:
		return &LoadError{Problems: []Problem{{Message: "not JSON: " + err.Error()}}}
	case lineCol && dec.More():
		return &LoadError{Problems: []Problem{{Message: "not JSON: more than one value"}}}
	}
	return nil
}
