package route

import (
	"strconv"
	"strings"

	"github.com/mailflowsim/mailflow/topology"
)

// edge is an Edge Transport server: it filters Internet mail for spam,
// relays mail for the organization's accepted domains to the Mailbox servers
// of the site it is subscribed to through "EdgeSync - Inbound to <site>", and
// sends what the Mailbox servers relay to it through the Send connectors
// sourced on it (Microsoft: "Edge Subscriptions"; "Edge Transport servers
// with hybrid deployments"). It has no mailboxes and does not resolve
// recipients; the organization's transport rules run on Mailbox servers.
func (e *engine) edge(f *flight, h *Hop, o *topology.OnPremises, relays bool) {
	h.Role = topology.RoleEdgeTransport
	if h.AuthAs == Internal {
		h.Filters = append(e.newFilters(1), Filter{Stage: AntiSpam, Result: Skipped, Reason: "AuthAs Internal: not spam-filtered"})
	} else {
		// Anti-spam agents run on Edge Transport servers by default
		// ("Edge Transport servers with hybrid deployments";
		// docs/behaviour.md#l22-anti-spam-on-an-edge-transport-server).
		h.Filters = append(e.newFilters(1), Filter{Stage: AntiSpam, Result: Applied, Verdict: VerdictPass,
			Reason: "the Edge Transport server's anti-spam agents filter the Internet mail it receives; their verdicts are not modelled"})
	}
	fromOutside := f.arr.kind == arrSMTP && f.arr.from.onprem != o
	for _, r := range f.rcpts {
		out := outcome{rcpt: r}
		d := domainOf(e.addr[r])
		_, accepted := o.AcceptedDomain(d)
		if !accepted && fromOutside && h.AuthAs == Anonymous && !relays {
			out.disp, out.status = Rejected, StatusUnableToRelay
			out.reason = d + " is not an accepted domain and the sender is anonymous: the Receive connector does not let anonymous senders relay"
		} else {
			e.sendRoute(&out, f, o, d, "")
		}
		e.outs = append(e.outs, out)
	}
}

// edgeSyncInbound sends a recipient through an EdgeSync inbound connector,
// whose smart host "--" is the Mailbox servers of the site the Edge is
// subscribed to: the first by name that accepts connections.
func (e *engine) edgeSyncInbound(out *outcome, self *topology.Node, o *topology.OnPremises, prefix string) {
	var skipped strings.Builder
	for id := range o.SiteMailboxServers(self.Site) {
		n := e.node(id)
		if n.Offline {
			skipped.WriteString(n.Name + " refuses connections; ")
			continue
		}
		out.next = n
		out.reason = prefix + "smart host \"--\", the Mailbox servers of site " + self.Site + ": " + skipped.String() + n.Name + " (" + n.ID.String() + ")"
		return
	}
	e.refused(out, self, prefix+"smart host \"--\", the Mailbox servers of site "+self.Site+": "+skipped.String()+"none accepts connections")
}

// siteText describes how a Send connector's selection crossed sites.
func siteText(site string, siteCost, cost int) string {
	return "source servers in site " + site + ", site-link cost " + strconv.Itoa(siteCost) + ", aggregate cost " + strconv.Itoa(cost)
}
