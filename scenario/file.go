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
	return load(data)
}

// UnmarshalJSON reads a topology file's JSON as [Load] does, reporting
// every problem of its values (a [*LoadError]), without building the
// topology.
func (f *File) UnmarshalJSON(data []byte) error {
	var nf File
	ps, err := decodeFile(data, &nf, false)
	if err != nil {
		return err
	}
	if len(ps) > 0 {
		slices.SortFunc(ps, problem.Compare)
		return &LoadError{Problems: ps}
	}
	*f = nf
	return nil
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
	data, err := readAll(r)
	if err != nil {
		return nil, nil, err
	}
	return load(data)
}

// readAll reads r to its end, into one buffer of the right size when r
// knows how much it has left (a bytes.Reader, strings.Reader or
// bytes.Buffer).
func readAll(r io.Reader) ([]byte, error) {
	l, ok := r.(interface{ Len() int })
	if !ok {
		return io.ReadAll(r)
	}
	var buf bytes.Buffer
	buf.Grow(l.Len() + bytes.MinRead) // ReadFrom wants MinRead bytes free to read the end
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// load is Load of the bytes of a file.
func load(data []byte) (*File, *topology.Topology, error) {
	data = textenc.UTF8(data) // as PowerShell saves files: BOM, UTF-16
	var f File
	decoded, err := decodeFile(data, &f, true)
	if err != nil {
		return nil, nil, err
	}
	// The topology's own problems too, all at once, except in an object
	// where a value did not decode: they would follow from it.
	topo, err := topology.Build(f.Spec)
	var verr *topology.ValidationError
	switch {
	case errors.As(err, &verr):
		ps := decoded
		paths := pathMapper{raw: anyOf(data), index: map[string]map[string]int{}}
		for _, p := range verr.Problems {
			path := paths.jsonPath(p.Path, p.Field)
			unmapped := strings.Contains(path, `["`) && len(decoded) > 0
			if !unmapped && !slices.ContainsFunc(decoded, func(q Problem) bool { return within(path, parent(q.Path)) }) {
				ps = append(ps, Problem{Path: path, Message: p.Message})
			}
		}
		slices.SortFunc(ps, problem.Compare)
		return nil, nil, &LoadError{Problems: ps}
	case err != nil:
		return nil, nil, err
	case len(decoded) > 0:
		slices.SortFunc(decoded, problem.Compare)
		return nil, nil, &LoadError{Problems: decoded}
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

var (
	optBoolType         = reflect.TypeFor[connector.OptBool]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	modeType            = reflect.TypeFor[connector.SelectionMode]()
	nodeIDType          = reflect.TypeFor[topology.NodeID]()
)

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
	lower := strings.ToLower(key)
	for _, n := range names {
		ln := strings.ToLower(n)
		if abs(len(lower)-len(ln)) >= bestD {
			continue // the distance is at least that: a long key costs no time
		}
		if d := distance(lower, ln); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

func abs(n int) int { return max(n, -n) }

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
