package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/route/render"
	"github.com/stretchr/testify/require"
)

// TestTextServiceHeaders: the text trace of the add-on service round trip
// ("Integrate Microsoft 365 with an email add-on service") shows the
// header the service stamps, on the service's hop, and the attribution on
// return, a new submission; a header the service removes has its own line.
func TestTextServiceHeaders(t *testing.T) {
	res := renderBuiltinRun(t, "add-on-service", "Kim to Erin", "headerException=true")
	var b bytes.Buffer
	require.NoError(t, render.Text(&b, res))
	out := b.String()
	for _, want := range []string{
		"3 appliance:contososignature  Appliance  Internal/Originating  TLS\n      headers added: SignatureContoso: true\n",
		`4 eop:fabrikam  EOP  Internal/Originating  new submission  via "Contoso Signature Service to`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Text() = %s\nwant it to contain %q", out, want)
		}
	}
	res.Recipients[0].Hops[2].HeadersRemoved = []string{"X-Needs-Signature"}
	b.Reset()
	require.NoError(t, render.Text(&b, res))
	if want := "      headers removed: X-Needs-Signature\n      headers added: SignatureContoso: true\n"; !strings.Contains(b.String(), want) {
		t.Errorf("Text() = %s\nwant it to contain %q", b.String(), want)
	}
}
