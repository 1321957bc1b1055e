package exchange_test

import (
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mailflowsim/mailflow/scenario/exchange"
	"github.com/mailflowsim/mailflow/topology"
	"github.com/stretchr/testify/require"
)

// enhancedTimeSpan is an Exchange EnhancedTimeSpan property as Windows
// PowerShell's Export-Clixml writes it: an object whose ToString is the
// TimeSpan, with its parts and Ticks.
func enhancedTimeSpan(name, text string, ticks int64) string {
	return `<Obj N="` + name + `"><TN><T>Microsoft.Exchange.Data.EnhancedTimeSpan</T><T>System.ValueType</T><T>System.Object</T></TN>` +
		`<ToString>` + text + `</ToString><Props><I64 N="Ticks">` + strconv.FormatInt(ticks, 10) + `</I64></Props></Obj>`
}

// transportServiceXML is Get-TransportService for one server, its queue
// settings as EnhancedTimeSpans.
func transportServiceXML(server string, props ...string) string {
	return `<Obj><TN><T>Microsoft.Exchange.Data.Directory.SystemConfiguration.TransportServerPresentationObject</T><T>System.Object</T></TN>` +
		`<ToString>` + server + `</ToString><Props><S N="Name">` + server + `</S>` + strings.Join(props, "") + `</Props></Obj>`
}

// Get-TransportService ("Message retry, resubmit, and expiration
// intervals"; the Set-TransportService cmdlet page): the queue settings
// are read as Windows PowerShell 5's Export-Clixml writes them (an
// EnhancedTimeSpan object, or a System.TimeSpan <TS>) and as PowerShell
// 7's ConvertTo-Json writes them (a TimeSpan's Ticks, or its text). The
// organization takes the first server's settings; a server whose
// settings differ, and a value that is no TimeSpan, are noted.
func TestImportTransportService(t *testing.T) {
	tick := func(d time.Duration) int64 { return int64(d / 100) }
	xml := `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">` +
		transportServiceXML("EX01",
			enhancedTimeSpan("MessageExpirationTimeout", "1.00:00:00", tick(24*time.Hour)),
			enhancedTimeSpan("TransientFailureRetryInterval", "00:05:00", tick(5*time.Minute)),
			`<TS N="OutboundConnectionFailureRetryInterval">PT15M</TS>`,
			`<I32 N="TransientFailureRetryCount">3</I32>`,
			enhancedTimeSpan("DelayNotificationTimeout", "08:00:00", tick(8*time.Hour))) +
		transportServiceXML("EX02",
			enhancedTimeSpan("MessageExpirationTimeout", "2.00:00:00", tick(48*time.Hour))) +
		transportServiceXML("EX03",
			enhancedTimeSpan("MessageExpirationTimeout", "1.00:00:00", tick(24*time.Hour)),
			enhancedTimeSpan("TransientFailureRetryInterval", "00:05:00", tick(5*time.Minute)),
			`<TS N="OutboundConnectionFailureRetryInterval">PT15M</TS>`,
			`<I32 N="TransientFailureRetryCount">3</I32>`,
			enhancedTimeSpan("DelayNotificationTimeout", "08:00:00", tick(8*time.Hour))) +
		`</Objs>`
	got, notes, err := exchange.ImportFS(fstest.MapFS{"Get-TransportService.xml": {Data: []byte(xml)}})
	require.NoError(t, err)
	require.Len(t, got.Spec.OnPremises, 1)
	o := got.Spec.OnPremises[0]
	require.Equal(t, topology.TransportService{MessageExpirationTimeout: "1.00:00:00", TransientFailureRetryInterval: "00:05:00",
		OutboundConnectionFailureRetryInterval: "00:15:00", DelayNotificationTimeout: "08:00:00", TransientFailureRetryCount: new(3)}, o.TransportService)
	differ := 0
	for _, n := range notes {
		if strings.Contains(n.Message, "queue settings differ from the first server's") {
			differ++
			require.Contains(t, n.Path, "EX02")
		}
		require.NotContains(t, n.Message, "not imported", n)
	}
	require.Equal(t, 1, differ, "notes: %v", notes)
	for i := range o.Servers { // Get-ExchangeServer would give them
		o.Servers[i].Fqdn = strings.ToLower(o.Servers[i].Name) + ".contoso.com"
	}
	topo, err := topology.Build(got.Spec)
	require.NoError(t, err)
	org, _ := topo.OnPremisesOrg(o.Name)
	require.Equal(t, topology.Queues{MessageExpirationTimeout: 24 * time.Hour, TransientFailureRetryInterval: 5 * time.Minute,
		OutboundConnectionFailureRetryInterval: 15 * time.Minute, DelayNotificationTimeout: 8 * time.Hour, TransientFailureRetryCount: 3}, org.Queues())

	js := `[{"Name": "EX01", "MessageExpirationTimeout": {"Days": 3, "Hours": 0, "Ticks": ` + strconv.FormatInt(tick(72*time.Hour), 10) + `, "TotalDays": 3.0},
	  "TransientFailureRetryInterval": "00:10:00", "DelayNotificationTimeout": "four hours", "TransientFailureRetryCount": 0}]`
	got, notes, err = exchange.ImportFS(fstest.MapFS{"Get-TransportService.json": {Data: []byte(js)}})
	require.NoError(t, err)
	require.Equal(t, topology.TransportService{MessageExpirationTimeout: "3.00:00:00", TransientFailureRetryInterval: "00:10:00", TransientFailureRetryCount: new(0)},
		got.Spec.OnPremises[0].TransportService)
	bad := false
	for _, n := range notes {
		bad = bad || n.Path != "" && strings.Contains(n.Message, `"four hours" is not a TimeSpan`)
	}
	require.True(t, bad, "no note on the unreadable DelayNotificationTimeout: %v", notes)
}
