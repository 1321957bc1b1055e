// Package jsonscan reads JSON text in place, token by token, without
// building a tree: the decoders of topology files fill their Go values
// straight from it, and a caller can look at an object's keys without
// decoding its values.
//
// A Scanner accepts exactly the JSON that encoding/json accepts, nesting
// included (at most [MaxDepth] containers deep), and reads strings as it
// does: escapes resolved, invalid UTF-8 replaced by U+FFFD. It stops at
// the first syntax error, reporting only that there was one ([Scanner.Failed]);
// a caller that needs the message asks encoding/json for it, which scans
// the text once more only then.
package jsonscan

import (
	"encoding/json"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects a Scanner
// accepts, as encoding/json does.
const MaxDepth = 10000

// Scanner reads one JSON text. Its zero value is not usable; see [New].
type Scanner struct {
	data   []byte
	pos    int
	depth  int
	failed bool
}

// New returns a Scanner at the start of data.
func New(data []byte) *Scanner { return &Scanner{data: data} }

// Failed reports whether the text was not JSON where the Scanner read it.
// After a failure every method returns its zero result.
func (s *Scanner) Failed() bool { return s.failed }

// Pos returns the offset of the next byte to read.
func (s *Scanner) Pos() int { return s.pos }

// Data returns the text.
func (s *Scanner) Data() []byte { return s.data }

// fail records a syntax error and moves to the end of the text, so that
// every loop over it ends.
func (s *Scanner) fail() {
	s.failed = true
	s.pos = len(s.data)
}

func (s *Scanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// Peek returns the first byte of the next value after white space ('{',
// '[', '"', 't', 'f', 'n', '-' or a digit, or another byte for text that
// is not JSON), or 0 at the end of the text.
func (s *Scanner) Peek() byte {
	s.space()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// AtEnd reports whether only white space is left.
func (s *Scanner) AtEnd() bool { return s.Peek() == 0 && !s.failed && s.pos >= len(s.data) }

// open starts a container whose first byte is c.
func (s *Scanner) open(c byte) bool {
	if s.Peek() != c {
		s.fail()
		return false
	}
	s.pos++
	s.depth++
	if s.depth > MaxDepth {
		s.fail()
		return false
	}
	return true
}

// Object starts reading an object, the next value; it reports false (and
// fails) when the next value is not one. Read its members with [Scanner.Key].
func (s *Scanner) Object() bool { return s.open('{') }

// Key reads the key of the object's member i (0 for the first), and the
// colon after it, and reports true; or reads the closing brace and
// reports false. The key is unquoted; it is a part of the text when it has
// no escapes and is valid UTF-8, else a copy.
func (s *Scanner) Key(i int) ([]byte, bool) {
	c := s.Peek()
	switch {
	case c == '}':
		s.pos++
		s.depth--
		return nil, false
	case i > 0 && c != ',':
		s.fail()
		return nil, false
	case i > 0:
		s.pos++
		if s.Peek() != '"' {
			s.fail()
			return nil, false
		}
	}
	key, ok := s.String()
	if !ok || s.Peek() != ':' {
		s.fail()
		return nil, false
	}
	s.pos++
	return key, true
}

// Array starts reading an array, the next value; it reports false (and
// fails) when the next value is not one. Read its elements with [Scanner.Elem].
func (s *Scanner) Array() bool { return s.open('[') }

// Elem reports whether the array has an element i (0 for the first), the
// next value to read, reading the comma before it; or reads the closing
// bracket and reports false.
func (s *Scanner) Elem(i int) bool {
	switch c := s.Peek(); {
	case c == ']':
		s.pos++
		s.depth--
		return false
	case i == 0:
		return c != 0 || s.fail2()
	case c == ',':
		s.pos++
		return true
	}
	s.fail()
	return false
}

// fail2 fails and returns false.
func (s *Scanner) fail2() bool {
	s.fail()
	return false
}

// String reads a string, the next value, and returns it unquoted: a part
// of the text when it has no escapes and is valid UTF-8, else a copy.
func (s *Scanner) String() ([]byte, bool) {
	if s.Peek() != '"' {
		s.fail()
		return nil, false
	}
	start := s.pos
	s.pos++
	plain, ascii := true, true
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			content := s.data[start+1 : s.pos-1]
			if plain && (ascii || utf8.Valid(content)) {
				return content, true
			}
			var str string
			if json.Unmarshal(s.data[start:s.pos], &str) != nil {
				s.fail()
				return nil, false
			}
			return []byte(str), true
		case c < 0x20:
			s.fail()
			return nil, false
		case c == '\\':
			plain = false
			if !s.escape() {
				s.fail()
				return nil, false
			}
			continue
		case c >= utf8.RuneSelf:
			ascii = false
		}
		s.pos++
	}
	s.fail()
	return nil, false
}

// escape reads an escape sequence, s.data[s.pos] being its backslash.
func (s *Scanner) escape() bool {
	if s.pos+1 >= len(s.data) {
		return false
	}
	switch s.data[s.pos+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.pos += 2
		return true
	case 'u':
		if s.pos+6 > len(s.data) {
			return false
		}
		for _, h := range s.data[s.pos+2 : s.pos+6] {
			if !isHex(h) {
				return false
			}
		}
		s.pos += 6
		return true
	}
	return false
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Number reads a number, the next value, and returns its text.
func (s *Scanner) Number() ([]byte, bool) {
	s.space()
	start := s.pos
	if s.pos < len(s.data) && s.data[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos < len(s.data) && s.data[s.pos] == '0':
		s.pos++
	case s.pos < len(s.data) && isDigit(s.data[s.pos]):
		s.digits()
	default:
		return nil, s.fail2()
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if !s.digits() {
			return nil, s.fail2()
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if !s.digits() {
			return nil, s.fail2()
		}
	}
	return s.data[start:s.pos], true
}

// digits reads one or more digits.
func (s *Scanner) digits() bool {
	start := s.pos
	for s.pos < len(s.data) && isDigit(s.data[s.pos]) {
		s.pos++
	}
	return s.pos > start
}

// Literal reads true, false or null, the next value, and returns its
// first byte ('t', 'f' or 'n').
func (s *Scanner) Literal() (byte, bool) {
	var word string
	switch s.Peek() {
	case 't':
		word = "true"
	case 'f':
		word = "false"
	case 'n':
		word = "null"
	default:
		return 0, s.fail2()
	}
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		return 0, s.fail2()
	}
	s.pos += len(word)
	return word[0], true
}

// Scalar reads a string, number or literal, the next value, reporting
// false for anything else.
func (s *Scanner) Scalar() bool {
	var ok bool
	switch c := s.Peek(); {
	case c == '"':
		_, ok = s.String()
	case c == '-' || isDigit(c):
		_, ok = s.Number()
	default:
		_, ok = s.Literal()
	}
	return ok
}

// Skip reads the next value, whatever it is.
func (s *Scanner) Skip() bool {
	switch s.Peek() {
	case '{':
		s.Object()
		for i := 0; ; i++ {
			if _, ok := s.Key(i); !ok || !s.Skip() {
				break
			}
		}
	case '[':
		s.Array()
		for i := 0; s.Elem(i) && s.Skip(); i++ {
		}
	default:
		return s.Scalar()
	}
	return !s.failed
}

// TopKeys returns the keys of the object that data is, in order, and
// true; or false when data is not one JSON object (alone, with white
// space around it).
func TopKeys(data []byte) ([]string, bool) {
	s := New(data)
	if s.Peek() != '{' {
		return nil, false
	}
	var keys []string
	s.Object()
	for i := 0; ; i++ {
		k, ok := s.Key(i)
		if !ok || !s.Skip() {
			break
		}
		keys = append(keys, string(k))
	}
	return keys, !s.failed && s.AtEnd()
}
