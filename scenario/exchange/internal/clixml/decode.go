package clixml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mailflowsim/mailflow/internal/textenc"
)

// SyntaxError is a problem of a CLIXML document, at a position.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

// Error returns "clixml: line L, column C: msg".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("clixml: line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Decode reads a CLIXML document and returns the values of its <Objs>
// element, in document order. A document in UTF-16 (with a byte order
// mark, as Windows PowerShell's Export-Clixml writes) is accepted. Every
// error is a *[SyntaxError], except those of reading r.
func Decode(r io.Reader) ([]Value, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = textenc.UTF8(data)
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "utf-16", "utf16", "unicode", "us-ascii", "ascii":
			return in, nil // already UTF-8 (see toUTF8)
		}
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
	p := &parser{d: d, objs: map[string]*Object{}, open: map[*Object]bool{}, types: map[string][]string{}}
	return p.document()
}

// UTF8 returns data as UTF-8 without a byte order mark: it drops a UTF-8
// byte order mark and converts UTF-16 with a byte order mark (what
// Windows PowerShell's Out-File writes by default). Other data is
// returned as is.
func UTF8(data []byte) []byte { return textenc.UTF8(data) }

// parser decodes one document.
type parser struct {
	d     *xml.Decoder
	depth int
	objs  map[string]*Object  // by RefId
	open  map[*Object]bool    // objects being decoded: a Ref to one is a cycle
	types map[string][]string // <TN> lists by RefId
}

// errorf returns a *SyntaxError at the decoder's position.
func (p *parser) errorf(format string, args ...any) error {
	line, col := p.d.InputPos()
	return &SyntaxError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// token returns the next token that matters: start and end elements and
// character data; comments, processing instructions and directives are
// skipped. It keeps the nesting depth.
func (p *parser) token() (xml.Token, error) {
	for {
		tok, err := p.d.Token()
		if err != nil {
			if err == io.EOF {
				return nil, p.errorf("unexpected end of document")
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				_, col := p.d.InputPos()
				return nil, &SyntaxError{Line: se.Line, Column: col, Msg: se.Msg}
			}
			return nil, p.errorf("%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p.depth++
			if p.depth > MaxDepth {
				return nil, p.errorf("elements nested deeper than %d", MaxDepth)
			}
			if t.Name.Space != "" && t.Name.Space != Namespace {
				return nil, p.errorf("element <%s> is in namespace %q, not %q", t.Name.Local, t.Name.Space, Namespace)
			}
			return t, nil
		case xml.EndElement:
			p.depth--
			return t, nil
		case xml.CharData:
			return t, nil
		}
	}
}

// document decodes the document: its <Objs> element, and nothing but
// white space, comments and the like around it.
func (p *parser) document() ([]Value, error) {
	root, err := p.root()
	if err != nil {
		return nil, err
	}
	if root.Name.Local != "Objs" {
		return nil, p.errorf("the document element is <%s>, not <Objs>", root.Name.Local)
	}
	if v := attr(root, "Version"); v != "" && !strings.HasPrefix(v, "1.") {
		return nil, p.errorf("unsupported CLIXML version %q", v)
	}
	var out []Value
	for {
		err = p.children("Objs", func(t xml.StartElement) error {
			v, err := p.value(t)
			if err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
		if err != nil {
			return nil, err
		}
		// Exports pasted together: another <Objs> may follow.
		next, more, err := p.trailer()
		if err != nil || !more {
			return out, err
		}
		if v := attr(next, "Version"); v != "" && !strings.HasPrefix(v, "1.") {
			return nil, p.errorf("unsupported CLIXML version %q", v)
		}
	}
}

// root returns the document element, refusing text before it.
func (p *parser) root() (xml.StartElement, error) {
	for {
		tok, err := p.token()
		if err != nil {
			return xml.StartElement{}, err
		}
		if t, ok := tok.(xml.StartElement); ok {
			return t, nil
		}
		if t, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(t)) > 0 {
			return xml.StartElement{}, p.errorf("text before the <Objs> element")
		}
	}
}

// trailer reads what follows the document element: only white space,
// comments and the like, or another <Objs> element (exports pasted
// together), which it returns started, with more set.
func (p *parser) trailer() (next xml.StartElement, more bool, err error) {
	for {
		tok, err := p.d.Token()
		if err == io.EOF {
			return next, false, nil
		}
		if err != nil {
			return next, false, p.errorf("after </Objs>: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "Objs" {
				p.depth++
				return t, true, nil
			}
			return next, false, p.errorf("element <%s> after </Objs>", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return next, false, p.errorf("text after </Objs>")
			}
		}
	}
}

// children calls f for each child element of the element named parent
// until its end, refusing text other than white space.
func (p *parser) children(parent string, f func(xml.StartElement) error) error {
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := f(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return p.errorf("unexpected text %q in <%s>", shorten(string(t)), parent)
			}
		}
	}
}

// text reads the text content of the element just started, up to its end.
func (p *parser) text(name string) (string, error) {
	var b strings.Builder
	for {
		tok, err := p.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return "", p.errorf("unexpected element <%s> in <%s>", t.Name.Local, name)
		case xml.EndElement:
			return b.String(), nil
		case xml.CharData:
			b.Write(t)
		}
	}
}

// empty reads up to the end of an element that must have no content.
func (p *parser) empty(name string) error {
	s, err := p.text(name)
	if err == nil && strings.TrimSpace(s) != "" {
		err = p.errorf("<%s> must be empty", name)
	}
	return err
}

// attr returns the value of t's attribute named name, or "".
func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
