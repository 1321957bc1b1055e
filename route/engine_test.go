package route_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/connector"
	"github.com/mailflowsim/mailflow/internal/testopts"
	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/scenario"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

func build(t testing.TB, spec topology.Spec) *topology.Topology {
	t.Helper()
	topo, err := topology.Build(spec)
	require.NoError(t, err)
	return topo
}

// TestOutcomes covers the dispositions and status codes other than the
// seeds' happy paths.
func TestOutcomes(t *testing.T) {
	// A tenant outbound connector to on-premises that uses MX while MX
	// points to EOP: a loop named in "Fix email delivery issues for error
	// codes 5.4.6 through 5.4.20 in Exchange Online".
	mxLoop := scenario.ContosoSpec(mxEOP)
	mxLoop.Hybrid = nil
	mxLoop.Tenants[0].OutboundConnectors = []connector.Outbound{{
		Name: "To on-premises by MX", ConnectorType: connector.OnPremises,
		RecipientDomains: []string{"contoso.com"}, UseMXRecord: connector.True,
	}}
	// An InternalRelay domain whose only route is the "*" DNS connector
	// pointing back on-premises
	// (docs/behaviour.md#l8-an-internalrelay-domain-routed-back-by-a-wildcard-connector).
	relayLoop := scenario.ContosoSpec(mxOnPrem)
	relayLoop.OnPremises[0].AcceptedDomains = append(relayLoop.OnPremises[0].AcceptedDomains,
		topology.AcceptedDomain{DomainName: "fabrikam.net", DomainType: topology.InternalRelay})
	relayLoop.MXRecords = append(relayLoop.MXRecords, topology.MXRecord{Domain: "fabrikam.net", Preference: 10, NameExchange: "mail.contoso.com"})
	// A domain nobody accepts whose MX points to the on-premises server.
	strayMX := scenario.ContosoSpec(mxEOP)
	strayMX.MXRecords = append(strayMX.MXRecords, topology.MXRecord{Domain: "wingtiptoys.com", Preference: 10, NameExchange: "mail.contoso.com"})
	// On-premises without any Send connector for the Internet.
	noInternet := scenario.ContosoSpec(mxEOP)
	noInternet.OnPremises[0].SendConnectors = nil

	tests := []struct {
		name   string
		spec   topology.Spec
		msg    route.Message
		want   route.Disposition
		status string
		last   string // node of the last hop
		hops   int    // number of hops, 0 to skip the check
	}{
		{"DBEBRejectsUnknownRecipient", scenario.ContosoSpec(mxEOP), route.Message{From: scenario.Sender, To: []string{"nobody@contoso.com"}},
			route.Rejected, route.StatusDBEB, eop, 2},
		{"OnPremisesRejectsUnknownRecipient", scenario.ContosoSpec(mxOnPrem), route.Message{From: scenario.Sender, To: []string{"nobody@contoso.com"}},
			route.Rejected, route.StatusRecipientNotFound, ex01, 2},
		{"ExchangeOnlineRejectsUnknownRecipient", scenario.ContosoSpec(mxEOP), route.Message{From: scenario.David, To: []string{"nobody@contoso.com"}},
			route.Rejected, route.StatusRecipientNotFoundEXO, exo, 1},
		{"OnPremisesRefusesAnonymousRelay", strayMX, route.Message{From: scenario.Sender, To: []string{"someone@wingtiptoys.com"}},
			route.Rejected, route.StatusUnableToRelay, ex01, 2},
		{"UnmodelledDomainGoesToTheInternet", scenario.ContosoSpec(mxEOP), route.Message{From: scenario.David, To: []string{"someone@example.org"}},
			route.Relayed, "", internet, 3},
		{"ExchangeOnlineLoopStopsAt554_5_4_14", mxLoop, route.Message{From: scenario.David, To: []string{scenario.Julie}},
			route.Looped, route.StatusLoopExchangeOnline, eop, 0},
		{"OnPremisesLoopStopsAt554_5_4_6", relayLoop, route.Message{From: scenario.Sender, To: []string{"anyone@fabrikam.net"}},
			route.Looped, route.StatusLoopOnPremises, ex01, 10},
		{"NoInternetSendConnectorIsUnreachable", noInternet, route.Message{From: scenario.Julie, To: []string{scenario.Erin}},
			route.Deferred, "", ex02, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(build(t, tt.spec), tt.msg)
			require.NoError(t, err)
			r := res.Recipients[0]
			last := r.Hops[len(r.Hops)-1]
			if r.Disposition != tt.want || r.Status.String() != tt.status || last.Node.String() != tt.last {
				t.Errorf("%s: got %v %q at %s, want %v %q at %s\n%s", r.Address, r.Disposition, r.Status, last.Node, tt.want, tt.status, tt.last, traceText(res))
			}
			if tt.hops != 0 && len(r.Hops) != tt.hops {
				t.Errorf("%s: %d hops, want %d\n%s", r.Address, len(r.Hops), tt.hops, traceText(res))
			}
		})
	}
}

// TestRejectedRecipientStaysInItsCopy checks that a recipient rejected at
// a hop does not split the message: the others go on in the same copy.
func TestRejectedRecipientStaysInItsCopy(t *testing.T) {
	res := trace(t, mxEOP, route.Message{From: scenario.Sender, To: []string{"nobody@contoso.com", scenario.David}})
	if len(res.Copies) != 1 {
		t.Errorf("got %d copies, want 1\n%s", len(res.Copies), traceText(res))
	}
	got := []route.Disposition{res.Recipients[0].Disposition, res.Recipients[1].Disposition}
	if want := []route.Disposition{route.Rejected, route.Delivered}; !slices.Equal(got, want) {
		t.Errorf("dispositions = %v, want %v", got, want)
	}
	if got := res.Recipients[0].Status.String(); got != route.StatusDBEB {
		t.Errorf("%s: status %q, want %q", res.Recipients[0].Address, got, route.StatusDBEB)
	}
}

// TestRefusedAtRCPTNeverCategorized: a recipient refused during the SMTP
// conversation is never categorized ("Use Directory-Based Edge Blocking to
// reject messages sent to invalid recipients": DBEB rejects at RCPT TO),
// so its hop lists only the stages that ran before its refusal, with its
// own verdict, and none of the stages that ran for the recipients EOP
// accepted; the accepted recipient's DBEB verdict is its own (Pass).
func TestRefusedAtRCPTNeverCategorized(t *testing.T) {
	res := trace(t, mxEOP, route.Message{From: scenario.Sender, To: []string{"nobody@contoso.com", scenario.David}})
	stages := func(h route.Hop) []string {
		var out []string
		for _, f := range h.Filters {
			out = append(out, f.Stage.String()+"="+f.Verdict.String())
		}
		return out
	}
	refused, accepted := res.Recipients[0].Hops[1], res.Recipients[1].Hops[1]
	if want := []string{"ConnectionFilter=Pass", "DBEB=Reject"}; !slices.Equal(stages(refused), want) {
		t.Errorf("refused recipient's stages at %v = %q, want %q", refused.Node, stages(refused), want)
	}
	if f, _ := accepted.Filter(route.DBEB); f.Verdict != route.VerdictPass {
		t.Errorf("accepted recipient's DBEB = %+v, want Pass", f)
	}
	if _, ok := accepted.Filter(route.AntiSpam); !ok {
		t.Errorf("accepted recipient's stages %q lack AntiSpam", stages(accepted))
	}
}

func TestInvalidMessage(t *testing.T) {
	topo := scenario.Contoso(mxEOP)
	tests := []struct {
		name string
		msg  route.Message
		want string
	}{
		{"NoRecipient", route.Message{From: scenario.David}, "route: invalid message: To: no recipient"},
		{"BadFrom", route.Message{From: "david", To: []string{scenario.Erin}}, `route: invalid message: From: "david" is not an SMTP address: missing @`},
		{"BadRecipient", route.Message{From: scenario.David, To: []string{scenario.Erin, "erin@cpandl"}},
			`route: invalid message: To[1]: "erin@cpandl" is not an SMTP address: domain needs at least two labels`},
		{"UnknownOrigin", route.Message{From: scenario.David, To: []string{scenario.Erin}, Origin: id("onprem:nowhere/EX9")},
			"route: invalid message: Origin: the topology has no node onprem:nowhere/EX9"},
		{"AllAtOnce", route.Message{From: "@", To: []string{"a@b"}, Origin: id("x")}, `route: invalid message: From: "@" is not an SMTP address: invalid local part
route: invalid message: To[0]: "a@b" is not an SMTP address: domain needs at least two labels
route: invalid message: Origin: the topology has no node x`},
		{"NegativeSize", route.Message{From: scenario.David, To: []string{scenario.Erin}, Size: -1}, "route: invalid message: Size: -1 is negative"},
		{"EmptyHeaderName", route.Message{From: scenario.David, To: []string{scenario.Erin}, Headers: []route.Header{{Name: " ", Value: "x"}}},
			"route: invalid message: Headers[0].Name: is empty"},
		{"SCLTooHigh", route.Message{From: scenario.David, To: []string{scenario.Erin}, SCL: new(10)},
			"route: invalid message: SCL: 10 is not a spam confidence level from -1 to 9"},
		{"SCLTooLow", route.Message{From: scenario.David, To: []string{scenario.Erin}, SCL: new(-2)},
			"route: invalid message: SCL: -2 is not a spam confidence level from -1 to 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := route.Trace(topo, tt.msg)
			if res != nil || !errors.Is(err, route.ErrInvalidMessage) {
				t.Fatalf("Trace(%+v) = %v, %v; want nil and an ErrInvalidMessage", tt.msg, res, err)
			}
			if err.Error() != tt.want {
				t.Errorf("Trace(%+v) error =\n%s\nwant\n%s", tt.msg, err, tt.want)
			}
		})
	}
	if _, err := route.Trace(nil, route.Message{From: scenario.David, To: []string{scenario.Erin}}); !errors.Is(err, route.ErrNilTopology) {
		t.Errorf("Trace(nil, …) error = %v, want ErrNilTopology", err)
	}
}

// TestJSONHasNoNullLists checks that every list of a result marshals as
// an array, empty or not, as the JSON schema promises.
func TestJSONHasNoNullLists(t *testing.T) {
	for _, s := range allFour {
		for _, f := range scenario.ContosoFlows() {
			res := trace(t, s, f.Message)
			j, err := json.Marshal(res)
			require.NoError(t, err)
			if strings.Contains(string(j), "null") {
				t.Errorf("%s, %s: JSON has null: %s", settingsName(s), f.Name, j)
			}
		}
	}
}

func TestDuplicateRecipientsAreDropped(t *testing.T) {
	res := trace(t, mxEOP, route.Message{From: scenario.David, To: []string{scenario.Erin, "ERIN@cpandl.com", scenario.Adele}})
	var got []string
	for _, r := range res.Recipients {
		got = append(got, r.Address)
	}
	if want := []string{scenario.Erin, scenario.Adele}; !slices.Equal(got, want) {
		t.Errorf("recipients = %q, want %q", got, want)
	}
}

// shuffled returns spec with every list in a random order.
func shuffled(spec topology.Spec, seed uint64) topology.Spec {
	rng := rand.New(rand.NewPCG(seed, seed))
	shuffle := func(n int, swap func(i, j int)) { rng.Shuffle(n, swap) }
	s := spec
	s.Tenants = slices.Clone(s.Tenants)
	for i := range s.Tenants {
		x := &s.Tenants[i]
		x.Recipients = slices.Clone(x.Recipients)
		shuffle(len(x.Recipients), func(i, j int) { x.Recipients[i], x.Recipients[j] = x.Recipients[j], x.Recipients[i] })
		x.AcceptedDomains = slices.Clone(x.AcceptedDomains)
		shuffle(len(x.AcceptedDomains), func(i, j int) {
			x.AcceptedDomains[i], x.AcceptedDomains[j] = x.AcceptedDomains[j], x.AcceptedDomains[i]
		})
	}
	s.OnPremises = slices.Clone(s.OnPremises)
	for i := range s.OnPremises {
		o := &s.OnPremises[i]
		o.Servers = slices.Clone(o.Servers)
		shuffle(len(o.Servers), func(i, j int) { o.Servers[i], o.Servers[j] = o.Servers[j], o.Servers[i] })
		o.Recipients = slices.Clone(o.Recipients)
		shuffle(len(o.Recipients), func(i, j int) { o.Recipients[i], o.Recipients[j] = o.Recipients[j], o.Recipients[i] })
	}
	s.MXRecords = slices.Clone(s.MXRecords)
	shuffle(len(s.MXRecords), func(i, j int) { s.MXRecords[i], s.MXRecords[j] = s.MXRecords[j], s.MXRecords[i] })
	s.External = slices.Clone(s.External)
	shuffle(len(s.External), func(i, j int) { s.External[i], s.External[j] = s.External[j], s.External[i] })
	return s
}

// textAndJSON returns everything a trace says, as text and JSON.
func textAndJSON(t testing.TB, res *route.Result) string {
	t.Helper()
	j, err := json.Marshal(res)
	require.NoError(t, err)
	return traceText(res) + string(j)
}

// TestDeterminism builds each Contoso variant from shuffled specs and
// traces every flow twice: the output must be byte-identical.
func TestDeterminism(t *testing.T) {
	for _, s := range allFour {
		spec := scenario.ContosoSpec(s)
		// A second tenant and extra recipients make orders matter.
		spec.Tenants = append(spec.Tenants, topology.TenantSpec{Name: "fabrikam", AcceptedDomains: []topology.AcceptedDomain{{DomainName: "fabrikam.com"}},
			Recipients: []topology.Recipient{{RecipientTypeDetails: topology.UserMailbox, PrimarySmtpAddress: "ann@fabrikam.com"}}})
		spec.MXRecords = append(spec.MXRecords, topology.MXRecord{Domain: "fabrikam.com", Preference: 0, NameExchange: topology.EOPHost("fabrikam.com")})
		base := build(t, spec)
		flows := append(scenario.ContosoFlows(), scenario.Flow{Name: "mixed",
			Message: route.Message{From: scenario.Sender, To: []string{"ann@fabrikam.com", scenario.Julie, scenario.Erin, scenario.David, "nobody@contoso.com"}}})
		for _, f := range flows {
			want, err := route.Trace(base, f.Message)
			require.NoError(t, err)
			wantText := textAndJSON(t, want)
			for seed := range uint64(5) {
				res, err := route.Trace(build(t, shuffled(spec, seed)), f.Message)
				require.NoError(t, err)
				if got := textAndJSON(t, res); got != wantText {
					t.Errorf("%s, %s, shuffle %d: output differs:\n%s", settingsName(s), f.Name, seed, cmp.Diff(wantText, got))
				}
			}
		}
	}
}

// TestConcurrentTraces traces from many goroutines through one topology;
// run with -race.
func TestConcurrentTraces(t *testing.T) {
	topo := scenario.Contoso(mxEOPCMT)
	flows := scenario.ContosoFlows()
	want := make([]string, len(flows))
	for i, f := range flows {
		res, err := route.Trace(topo, f.Message)
		require.NoError(t, err)
		want[i] = textAndJSON(t, res)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := range 16 {
		wg.Go(func() {
			for n := range 25 {
				i := (g + n) % len(flows)
				res, err := route.Trace(topo, flows[i].Message)
				if err != nil || textAndJSON(t, res) != want[i] {
					errs <- flows[i].Name
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for name := range errs {
		t.Errorf("concurrent trace of %q differs from the sequential one", name)
	}
}

// FuzzTrace checks the engine's invariants on arbitrary messages through
// the Contoso variants: it terminates within MaxHops, every recipient ends
// with a disposition, paths start at the origin, and tracing twice gives
// the same output.
func FuzzTrace(f *testing.F) {
	f.Add(scenario.Sender, scenario.Julie, scenario.David, uint8(0), uint32(0))
	f.Add(scenario.David, scenario.Erin, "", uint8(1), uint32(0))
	f.Add(scenario.Julie, scenario.David, "x@y.example", uint8(2), uint32(0))
	f.Add("<>", "nobody@contoso.com", "DAVID@contoso.mail.onmicrosoft.com", uint8(3), uint32(0))
	f.Add("a@b", "julie@contoso.com", "julie@contoso.com", uint8(7), uint32(0))
	// Every variant of every built-in scenario, and a topology with rules
	// that add, redirect and expand recipients.
	var topos []*topology.Topology
	for _, s := range scenario.Builtin() {
		for _, v := range s.Variants {
			topos = append(topos, v.Topology)
		}
	}
	topos = append(topos, build(f, rulesSpec(
		topology.TransportRule{Name: "Copy", Priority: 0, Conditions: topology.Predicates{SentTo: []string{erin}}, BlindCopyTo: []string{audit, finance}},
		topology.TransportRule{Name: "Redirect", Priority: 1, Conditions: topology.Predicates{SentTo: []string{ben}}, RedirectMessageTo: []string{finance, erin}},
		// A condition every recipient meets: the recipients the rule adds
		// meet it too (docs/behaviour.md#l18-recipients-a-mail-flow-rule-adds).
		topology.TransportRule{Name: "Every recipient", Priority: 2, Conditions: topology.Predicates{SenderDomainIs: []string{"fabrikam.com"}},
			RedirectMessageTo: []string{audit, ben}, CopyTo: []string{ana}},
	)))
	f.Add("x@y.example", ben, erin, uint8(len(topos)-1), uint32(0))
	f.Add("sam@fabrikam.com", ana, "", uint8(len(topos)-1), uint32(0))
	f.Add(erin, finance, "auditors@contoso.com", uint8(len(topos)-1), uint32(0))
	f.Add(scenario.Sam, scenario.Megan, "", uint8(0), uint32(0xC6336428)) // 198.51.100.40
	f.Fuzz(func(t *testing.T, from, to1, to2 string, variant uint8, ip uint32) {
		topo := topos[int(variant)%len(topos)]
		msg := route.Message{From: from, To: []string{to1}}
		if ip != 0 {
			msg.SourceIP = netip.AddrFrom4([4]byte{byte(ip >> 24), byte(ip >> 16), byte(ip >> 8), byte(ip)})
		}
		if to2 != "" {
			msg.To = append(msg.To, to2)
		}
		res, err := route.Trace(topo, msg)
		if err != nil {
			if !errors.Is(err, route.ErrInvalidMessage) {
				t.Fatalf("Trace error %v does not wrap ErrInvalidMessage", err)
			}
			return
		}
		for _, r := range res.Recipients {
			if r.Disposition == 0 {
				t.Errorf("%s has no disposition\n%s", r.Address, traceText(res))
			}
			if len(r.Hops) == 0 || len(r.Hops) > route.MaxHops+1 {
				t.Errorf("%s has %d hops\n%s", r.Address, len(r.Hops), traceText(res))
				continue
			}
			if r.Hops[0].Node != res.Origin {
				t.Errorf("%s starts at %s, not at the origin %s", r.Address, r.Hops[0].Node, res.Origin)
			}
			if r.Copy < 0 || r.Copy >= len(res.Copies) {
				t.Errorf("%s is in copy %d of %d", r.Address, r.Copy, len(res.Copies))
			}
		}
		again, err := route.Trace(topo, msg)
		if err != nil || textAndJSON(t, again) != textAndJSON(t, res) {
			t.Errorf("second trace differs")
		}
	})
}

// BenchmarkTrace measures traces through the Contoso topology (MX to EOP,
// centralized transport off), after a floor measured in the same run: what
// a trace must do at the least, five hops of two map lookups and an
// append into a freshly allocated result. Each trace also reports
// floors/op, its cost in floors, and every sub-benchmark cpu-ns/op, the
// process's CPU time per operation (the garbage collector's included):
// both stay comparable on a loaded machine, where ns/op does not.
func BenchmarkTrace(b *testing.B) {
	topo := scenario.Contoso(mxEOP)
	var floor float64 // ns/op of the floor
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		nodes := map[string]int{"internet": 0, "eop:contoso": 1, "exo:contoso": 2, "ext:cpandl": 3}
		rcpts := map[string]int{scenario.David: 0, scenario.Erin: 1}
		path := [5]string{"exo:contoso", "eop:contoso", "ext:cpandl", "internet", "eop:contoso"}
		var sink *route.Result
		start := testopts.CPUTime()
		for b.Loop() {
			res := &route.Result{Recipients: make([]route.Recipient, 1)}
			res.Recipients[0].Hops = make([]route.Hop, 0, len(path))
			for _, n := range path {
				res.Recipients[0].Hops = append(res.Recipients[0].Hops, route.Hop{Copy: nodes[n] + rcpts[scenario.Erin]})
			}
			sink = res
		}
		_ = sink
		testopts.ReportCPU(b, start, "cpu-ns/op")
		floor = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	for _, bm := range []struct {
		name string
		msg  route.Message
	}{
		{"single/DavidToErin", route.Message{From: scenario.David, To: []string{scenario.Erin}}},
		{"single/JulieToDavid", route.Message{From: scenario.Julie, To: []string{scenario.David}}},
		{"two/InternetToJulieAndDavid", route.Message{From: scenario.Sender, To: []string{scenario.Julie, scenario.David}}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			start := testopts.CPUTime()
			for b.Loop() {
				if _, err := route.Trace(topo, bm.msg); err != nil {
					b.Fatal(err)
				}
			}
			testopts.ReportCPU(b, start, "cpu-ns/op")
			if floor > 0 {
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/floor, "floors/op")
			}
		})
	}
}

// TestValidateMessage: ValidateMessage refuses exactly what Trace refuses,
// with the same error.
func TestValidateMessage(t *testing.T) {
	topo := scenario.Contoso(mxEOP)
	for _, m := range []route.Message{
		{From: scenario.David, To: []string{scenario.Erin}},
		{From: scenario.David},
		{From: "david", To: []string{scenario.Erin}},
		{From: scenario.David, To: []string{scenario.Erin}, Origin: id("onprem:nowhere/EX9")},
	} {
		_, traceErr := route.Trace(topo, m)
		err := route.ValidateMessage(topo, m)
		if fmt.Sprint(err) != fmt.Sprint(traceErr) {
			t.Errorf("ValidateMessage(%v) = %v, Trace's error %v", m, err, traceErr)
		}
	}
	if err := route.ValidateMessage(nil, route.Message{}); !errors.Is(err, route.ErrNilTopology) {
		t.Errorf("ValidateMessage(nil) = %v, want ErrNilTopology", err)
	}
}

func TestResultRecipient(t *testing.T) {
	res, err := route.Trace(scenario.Contoso(mxEOP), route.Message{From: scenario.Sender, To: []string{scenario.Julie, scenario.David}})
	require.NoError(t, err)
	require.Same(t, &res.Recipients[1], res.Recipient(strings.ToUpper(scenario.David)))
	require.Nil(t, res.Recipient("nobody@contoso.com"))
	var none *route.Result
	require.Nil(t, none.Recipient(scenario.David))
}
