// Command mx-cutover shows what moving contoso.com's MX record from the
// on-premises server to Exchange Online Protection changes in the Contoso
// hybrid organization of "Transport routing in Exchange hybrid
// deployments", flow class by flow class, before anyone touches DNS.
//
//	go run ./examples/mx-cutover
//
// It builds the organization with its MX on-premises, derives the one
// with the MX at EOP (topology.PointMX), traces every flow class of both
// (analysis.Diff) and prints, for each class that changes, what changes and
// each recipient's path before and after. Flow classes that do not
// change are counted, not listed. The exit status is 0, or 1 if the
// topologies cannot be built.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/analysis"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
)

func main() { os.Exit(run(os.Stdout, os.Stderr)) }

func run(stdout, stderr io.Writer) int {
	before := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToOnPremises})
	change := topology.PointMX("contoso.com", topology.EOPHost("contoso.com"))
	after, err := before.With(change)
	if err != nil {
		fmt.Fprintf(stderr, "mx-cutover: %v\n", err)
		return 1
	}
	diffs, err := analysis.Diff(before, after)
	if err != nil {
		fmt.Fprintf(stderr, "mx-cutover: %v\n", err)
		return 1
	}
	classes, err := analysis.FlowClasses(before)
	if err != nil {
		fmt.Fprintf(stderr, "mx-cutover: %v\n", err)
		return 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Change: %s\n", change)
	fmt.Fprintf(&b, "%d of %d flow classes change:\n", len(diffs), len(classes))
	for _, d := range diffs {
		fmt.Fprintf(&b, "\n%s (%s)\n", d.Class.Key(), aspects(d.Aspects))
		for i := range d.A.Recipients {
			fmt.Fprintf(&b, "  before: %s\n", outcome(&d.A.Recipients[i]))
			fmt.Fprintf(&b, "  after:  %s\n", outcome(&d.B.Recipients[i]))
		}
	}
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		fmt.Fprintf(stderr, "mx-cutover: %v\n", err)
		return 1
	}
	return 0
}

// outcome renders a recipient's path and how it ended.
func outcome(r *route.Recipient) string {
	nodes := make([]string, len(r.Hops))
	for i, h := range r.Hops {
		nodes[i] = h.Node.String()
		if h.Connector != "" {
			nodes[i] += " [" + h.Connector + "]"
		}
	}
	s := strings.Join(nodes, " > ") + " => " + r.Disposition.String()
	if !r.Status.IsZero() {
		s += " " + r.Status.String()
	}
	return s
}

// aspects joins aspect names with commas.
func aspects(as []analysis.Aspect) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}
