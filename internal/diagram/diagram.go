// Package diagram escapes text for the Mermaid and Graphviz DOT renderings
// of traces and topologies (package route/render).
package diagram

import (
	"bytes"
	"fmt"
	"strings"
)

// Mermaid escapes s for a quoted Mermaid label or a sequence diagram's
// text, as Mermaid entity codes: '#' (which starts an entity), quotes,
// angle brackets (HTML in labels), '&', '|' (edge label delimiter), '%'
// (comments), '`' (markdown strings) and ';' (a statement separator in
// sequence diagrams). Line breaks and tabs become spaces.
func Mermaid(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '#':
			b.WriteString("#35;")
		case '"':
			b.WriteString("#quot;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '|':
			b.WriteString("#124;")
		case '%':
			b.WriteString("#37;")
		case '`':
			b.WriteString("#96;")
		case ';':
			b.WriteString("#59;")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// MermaidLines escapes each line and joins them with <br/>.
func MermaidLines(lines ...string) string {
	esc := make([]string, len(lines))
	for i, l := range lines {
		esc[i] = Mermaid(l)
	}
	return strings.Join(esc, "<br/>")
}

// DOT escapes s for the inside of a DOT quoted string: backslashes and
// quotes are escaped, so escape sequences such as \N or \l in s stay
// literal; line breaks and tabs become spaces.
func DOT(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// DOTLines quotes lines as one DOT label, lines separated by \n.
func DOTLines(lines ...string) string {
	esc := make([]string, len(lines))
	for i, l := range lines {
		esc[i] = DOT(l)
	}
	return `"` + strings.Join(esc, `\n`) + `"`
}

// DOTHeader starts a Graphviz digraph named name, laid out left to right,
// in Helvetica: boxes for nodes, smaller type on edges. A non-empty label
// titles the graph at its top. The caller closes it with "}\n".
func DOTHeader(b *bytes.Buffer, name, label string) {
	fmt.Fprintf(b, "digraph %s {\n  rankdir=LR;\n", name)
	if label != "" {
		fmt.Fprintf(b, "  label=%s;\n  labelloc=t;\n", DOTLines(label))
	}
	b.WriteString("  fontname=\"Helvetica\";\n")
	b.WriteString("  node [shape=box, fontname=\"Helvetica\", fontsize=11];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
}
