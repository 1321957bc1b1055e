package connector

import (
	"cmp"
	"slices"
	"strings"
)

// MatchAddress reports whether the non-SMTP address space a covers the
// address addr of type typ (without its "TYPE:" prefix), and how
// specifically: the larger the specificity, the more precise the match
// (Microsoft: "Connector selection in external message routing": the
// connector with the more precise address match is selected;
// docs/behaviour.md#l34-non-smtp-addresses). Types compare ignoring case.
// An X400 space covers the addresses that have each of its attributes
// ("c=US;a= ;p=Contoso" covers "c=US;a= ;p=Contoso;o=Sales;s=Smith"), its
// specificity the number of attributes; another type's space is the
// address itself, "*", or a prefix ending in "*", compared ignoring case,
// its specificity the number of characters it fixes. An SMTP space covers
// no non-SMTP address.
func (a AddressSpace) MatchAddress(typ, addr string) (specificity int, ok bool) {
	if a.Type == "SMTP" || !strings.EqualFold(a.Type, typ) {
		return 0, false
	}
	if a.Type == "X400" {
		have := x400Attributes(addr)
		want := x400Attributes(a.Raw)
		for k, v := range want {
			if got, ok := have[k]; !ok || got != v {
				return 0, false
			}
		}
		return len(want), true
	}
	space := strings.ToLower(a.Raw)
	addr = strings.ToLower(addr)
	if prefix, wild := strings.CutSuffix(space, "*"); wild {
		if !strings.HasPrefix(addr, prefix) {
			return 0, false
		}
		return len(prefix), true
	}
	if space != addr {
		return 0, false
	}
	return len(space) + 1, true
}

// x400Attributes parses "c=US;a= ;p=Contoso" into its attributes, keys
// lower case and values trimmed and lower case (X.400 attributes compare
// ignoring case).
func x400Attributes(s string) map[string]string {
	m := map[string]string{}
	for part := range strings.SplitSeq(s, ";") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		m[strings.ToLower(strings.TrimSpace(k))] = strings.ToLower(strings.TrimSpace(v))
	}
	return m
}

// LookupAddress returns the Send connector for a recipient whose address
// is of the non-SMTP type typ ("X400", or a custom type), when a message of
// size bytes is categorized at from: among enabled connectors with an
// address space of that type matching addr, the most precise match wins,
// then the tie-breaks of [SendTable.LookupFrom] (reach, aggregate
// cost, proximity, name). It returns false when
// none matches, with TooLarge set when some matched but were all too small.
// Exchange then returns an NDR at once ("Connector selection in external
// message routing").
func (t *SendTable) LookupAddress(typ, addr string, from Origin, size int64) (SendSelection, bool) {
	type match struct {
		c    sendCand
		spec int
	}
	var ms []match
	for i := range t.conns {
		if !t.conns[i].IsEnabled() {
			continue
		}
		for _, s := range t.conns[i].AddressSpaces {
			a, err := ParseAddressSpace(s)
			if err != nil {
				continue
			}
			if spec, ok := a.MatchAddress(typ, addr); ok {
				ms = append(ms, match{sendCand{i, a, a.String()}, spec})
			}
		}
	}
	if len(ms) == 0 {
		return SendSelection{}, false
	}
	slices.SortFunc(ms, func(a, b match) int {
		return cmp.Or(b.spec-a.spec, a.c.space.Cost-b.c.space.Cost,
			compareNames(t.conns[a.c.index].Name, t.conns[b.c.index].Name), a.c.index-b.c.index)
	})
	var best []sendCand
	for _, m := range ms {
		if m.spec != ms[0].spec {
			break
		}
		best = append(best, m.c)
	}
	sel, ok := t.pick(best, &from, size)
	if !ok {
		return SendSelection{TooLarge: true}, false
	}
	return sel, true
}
