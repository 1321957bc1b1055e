package scenario

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// maxPath is the most nodes a PATH cell shows; longer paths (loops) show
// their start and end.
const maxPath = 10

// WriteTable writes the outcome matrix of runs: a header row, then one row
// per recipient of each run, in the order of runs and, within a run, in
// the order of its Result.Recipients. The columns, aligned with spaces,
// are:
//
//   - FLOW: the flow's name;
//   - SETTINGS: the variant's settings ([Settings.String]);
//   - RECIPIENT: the recipient's address;
//   - DISPOSITION: how the recipient's copy ended;
//   - STATUS: the SMTP reply code and enhanced status code ("550 5.4.1"),
//     "-" if none (the trace has the whole line);
//   - SPLIT: the node where the recipient's copy was split from its
//     parent copy, "-" if the recipient stayed in copy 0;
//   - PATH: the node IDs of the recipient's hops, joined by " > "; a path
//     of more than maxPath (10) nodes shows its first seven, the number of
//     hops left out, and its last two.
//
// The output depends only on runs, so it is deterministic. WriteTable
// returns an error, before writing anything, if a run has no Result.
func WriteTable(w io.Writer, runs []Run) error {
	for i, r := range runs {
		if r.Result == nil {
			return fmt.Errorf("scenario: WriteTable: run %d (%s, %q) has no result", i, r.Settings, r.Flow)
		}
	}
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FLOW\tSETTINGS\tRECIPIENT\tDISPOSITION\tSTATUS\tSPLIT\tPATH")
	for _, r := range runs {
		settings := r.Settings.String()
		if settings == "" {
			settings = "-"
		}
		for _, rc := range r.Result.Recipients {
			status := rc.Status.Short()
			if status == "" {
				status = "-"
			}
			split := "-"
			if rc.Copy > 0 && rc.Copy < len(r.Result.Copies) {
				split = r.Result.Copies[rc.Copy].SplitNode.String()
			}
			nodes := make([]string, len(rc.Hops))
			for i, h := range rc.Hops {
				nodes[i] = h.Node.String()
			}
			if n := len(nodes); n > maxPath {
				// A loop: its start, how many hops it made, its end.
				nodes = slices.Concat(nodes[:maxPath-3], []string{fmt.Sprintf("… %d hops …", n-maxPath+1)}, nodes[n-2:])
			}
			path := strings.Join(nodes, " > ")
			if path == "" {
				path = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Flow, settings, rc.Address, rc.Disposition, status, split, path)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
