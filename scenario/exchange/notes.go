package exchange

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mailflowsim/mailflow/scenario"
)

// note is a note about an object, before notes with the same file,
// property and message are merged.
type note struct {
	file    string
	index   int
	path    string // the object's, without the property
	prop    string
	message string
	value   string // the rendered value, shown after the message; "" for none
}

// dedupe merges diagnostics with the same file, property and message
// into the first, listing the other objects.
func dedupe(diags []note) []scenario.Problem {
	type group struct {
		first  note
		others []int
	}
	var order []string
	groups := map[string]*group{}
	for _, d := range diags {
		k := d.file + "\x00" + d.prop + "\x00" + d.message + "\x00" + d.value
		g := groups[k]
		if g == nil {
			groups[k] = &group{first: d}
			order = append(order, k)
			continue
		}
		if d.index != g.first.index && !slices.Contains(g.others, d.index) {
			g.others = append(g.others, d.index)
		}
	}
	out := make([]scenario.Problem, 0, len(order))
	for _, k := range order {
		g := groups[k]
		p := g.first.path
		if g.first.prop != "" {
			p += "." + g.first.prop
		}
		msg := g.first.message
		if g.first.value != "" {
			msg += " (value " + g.first.value
			if len(g.others) > 0 {
				msg += "; the same in " + indexes(g.first.file, g.others)
			}
			msg += ")"
		} else if len(g.others) > 0 {
			msg += " (the same in " + indexes(g.first.file, g.others) + ")"
		}
		out = append(out, scenario.Problem{Path: p, Message: msg})
	}
	return out
}

func indexes(file string, idx []int) string {
	parts := make([]string, len(idx))
	for i, n := range idx {
		parts[i] = fmt.Sprintf("%s[%d]", file, n)
	}
	return strings.Join(parts, ", ")
}
