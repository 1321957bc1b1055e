package topology

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"
)

// DefaultSite is the Active Directory site of a server whose Site is empty:
// the site Active Directory creates with the forest
// (docs/behaviour.md#l20-active-directory-sites-in-a-topology).
const DefaultSite = "Default-First-Site-Name"

// DefaultSiteLinkCost is the Cost of an AD site link whose Cost is zero:
// the cost Active Directory gives a new site link
// (docs/behaviour.md#l20-active-directory-sites-in-a-topology).
const DefaultSiteLinkCost = 100

// ADSiteLink is an Active Directory IP site link (Get-AdSiteLink).
type ADSiteLink struct {
	// Name is the link's name: "DEFAULTIPSITELINK".
	Name string
	// Sites are the sites the link joins: two or more.
	Sites []string
	// Cost is the Active Directory cost; zero means 100.
	Cost int
	// ExchangeCost, when set (Set-AdSiteLink -ExchangeCost), is used instead
	// of Cost to find Exchange's least-cost routing path (Microsoft:
	// "Set-AdSiteLink"; "Mail routing in Exchange Server").
	ExchangeCost int
}

// LinkCost returns the cost Exchange routing uses: ExchangeCost, else
// Cost, else 100.
func (l ADSiteLink) LinkCost() int { return cmp.Or(l.ExchangeCost, l.Cost, DefaultSiteLinkCost) }

// Clone returns a copy of l that shares no memory with it.
func (l ADSiteLink) Clone() ADSiteLink {
	l.Sites = slices.Clone(l.Sites)
	return l
}

// EdgeSubscription subscribes an Edge Transport server to an Active
// Directory site (New-EdgeSubscription -Site; Get-EdgeSubscription). Build
// creates, as Exchange does (Microsoft: "Edge Subscriptions"), one pair of
// Send connectors per subscribed site, sourced on the site's subscribed Edge
// servers:
//
//   - "EdgeSync - <site> to Internet": AddressSpaces "SMTP:*;100", DNS
//     routing: Mailbox servers relay Internet mail to the Edge, which sends
//     it;
//   - "EdgeSync - Inbound to <site>": AddressSpaces "SMTP:--;1", SmartHosts
//     "--" (the Mailbox servers of the site): the Edge relays mail for the
//     organization's accepted domains to them.
//
// A Send connector the Spec declares with one of these names replaces
// Exchange's, as with the hybrid wizard's.
type EdgeSubscription struct {
	// Name is the Edge Transport server's name, a server of the
	// organization whose Role is Edge.
	Name string
	// Site is the Active Directory site it is subscribed to: the site of
	// one or more of the organization's Mailbox servers.
	Site string
}

// siteOf returns the site of a server spec: its Site, or DefaultSite.
func siteOf(s ServerSpec) string { return cmp.Or(s.Site, DefaultSite) }

// sites is an organization's Active Directory sites and the least-cost
// paths between them.
type sites struct {
	names []string       // ascending, case-folded order
	links []ADSiteLink   // ascending, case-folded name order
	cost  map[[2]int]int // least-cost path between two sites, by index; absent: unreachable
}

func (s *sites) index(name string) int {
	// Unique ignoring case, usually spelt as declared: see serverIndex.
	for i, n := range s.names {
		if n == name {
			return i
		}
	}
	for i, n := range s.names {
		if strings.EqualFold(n, name) {
			return i
		}
	}
	return -1
}

// pathCost returns the least cost of the site-link path from site a to site b
// (zero within a site), and false when no path joins them.
func (s *sites) pathCost(a, b string) (int, bool) {
	i, j := s.index(a), s.index(b)
	if i < 0 || j < 0 {
		return 0, false
	}
	if i == j {
		return 0, true
	}
	c, ok := s.cost[[2]int{i, j}]
	return c, ok
}

// siteLinks validates an organization's site links and computes the
// least-cost paths between its sites.
func (b *builder) siteLinks(o *OnPremises, obj string, links []ADSiteLink) {
	seen := map[string]bool{}
	for _, s := range o.servers {
		if s.spec.Role != Edge {
			seen[strings.ToLower(siteOf(s.spec))] = true
			o.sites.names = append(o.sites.names, siteOf(s.spec))
		}
	}
	links = sortedBy(links, func(l ADSiteLink) string { return strings.ToLower(l.Name) })
	for i, l := range links {
		lobj := fmt.Sprintf("%s.ADSiteLinks[%q]", obj, l.Name)
		switch {
		case strings.TrimSpace(l.Name) == "":
			b.ps.add(lobj, "Name", "is empty")
		case i > 0 && strings.EqualFold(links[i-1].Name, l.Name):
			b.ps.add(lobj, "Name", "is used by two site links")
		}
		if len(l.Sites) < 2 {
			b.ps.add(lobj, "Sites", "a site link joins two or more sites")
		}
		for j, s := range l.Sites {
			if strings.TrimSpace(s) == "" {
				b.ps.add(lobj, fmt.Sprintf("Sites[%d]", j), "is empty")
			} else if !seen[strings.ToLower(s)] {
				// A site without Exchange servers can carry a path.
				seen[strings.ToLower(s)] = true
				o.sites.names = append(o.sites.names, s)
			}
		}
		if l.Cost < 0 {
			b.ps.add(lobj, "Cost", fmt.Sprintf("%d is negative", l.Cost))
		}
		if l.ExchangeCost < 0 {
			b.ps.add(lobj, "ExchangeCost", fmt.Sprintf("%d is negative", l.ExchangeCost))
		}
	}
	slices.SortFunc(o.sites.names, byName)
	o.sites.names = slices.CompactFunc(o.sites.names, strings.EqualFold)
	o.sites.paths(links)
	o.sites.links = make([]ADSiteLink, len(links))
	for i, l := range links {
		o.sites.links[i] = l.Clone()
	}
}

// paths computes the least-cost paths between the sites through links
// (Floyd–Warshall; an organization has few sites).
func (s *sites) paths(links []ADSiteLink) {
	s.cost = map[[2]int]int{}
	set := func(i, j, c int) {
		if old, ok := s.cost[[2]int{i, j}]; i != j && (!ok || c < old) {
			s.cost[[2]int{i, j}] = c
		}
	}
	for _, l := range links {
		for _, a := range l.Sites {
			for _, c := range l.Sites {
				if i, j := s.index(a), s.index(c); i >= 0 && j >= 0 {
					set(i, j, l.LinkCost())
				}
			}
		}
	}
	n := len(s.names)
	for k := range n {
		for i := range n {
			ik, ok := s.cost[[2]int{i, k}]
			if !ok {
				continue
			}
			for j := range n {
				if kj, ok := s.cost[[2]int{k, j}]; ok {
					set(i, j, ik+kj)
				}
			}
		}
	}
}

// Sites yields the organization's Active Directory sites in ascending name
// order: those of its domain-joined servers and those its site links name.
func (o *OnPremises) Sites() iter.Seq[string] { return slices.Values(o.sites.names) }

// ADSiteLinks yields the organization's Active Directory IP site links in
// ascending, case-folded name order, as the Spec gave them (see
// [ADSiteLink.LinkCost] for the cost Exchange routing uses).
func (o *OnPremises) ADSiteLinks() iter.Seq[ADSiteLink] {
	return func(yield func(ADSiteLink) bool) {
		for _, l := range o.sites.links {
			if !yield(l.Clone()) {
				return
			}
		}
	}
}

// SiteCost returns the least cost of the AD site-link path between two sites
// of the organization (zero within one site), and false when no site link
// path joins them (Microsoft: "Mail routing in Exchange Server").
func (o *OnPremises) SiteCost(from, to string) (int, bool) { return o.sites.pathCost(from, to) }

// ServerSite returns the Active Directory site of the named server: its
// Site for a domain-joined server, the subscribed site for an Edge
// Transport server (none when it is not subscribed).
func (o *OnPremises) ServerSite(name string) (string, bool) {
	i := o.serverIndex(name)
	if i < 0 {
		return "", false
	}
	s := o.servers[i].spec
	if s.Role != Edge {
		return siteOf(s), true
	}
	site, ok := o.edgeSites[strings.ToLower(s.Name)]
	return site, ok
}

// MultiSite reports whether the organization has more than one Active
// Directory site, so that least-cost routing across sites can decide.
func (o *OnPremises) MultiSite() bool { return len(o.sites.names) > 1 }
