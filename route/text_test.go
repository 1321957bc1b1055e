package route_test

import (
	"strings"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/render"
)

// traceText returns the text form of res ([render.Text]), for failure
// messages.
func traceText(res *route.Result) string {
	var b strings.Builder
	if err := render.Text(&b, res); err != nil {
		return "render.Text: " + err.Error()
	}
	return b.String()
}
