package diagram_test

import (
	"fmt"
	"testing"

	"github.com/mailflowsim/mailflow/internal/diagram"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, mermaid, dot string }{
		{`plain`, `plain`, `plain`},
		{`a "b" <c> & d|e % f ; g # h ` + "`i`", `a #quot;b#quot; #lt;c#gt; #amp; d#124;e #37; f #59; g #35; h #96;i#96;`, `a \"b\" <c> & d|e % f ; g # h ` + "`i`"},
		{"line\nbreak\ttab", "line break tab", "line break tab"},
		{`back\slash \N`, `back\slash \N`, `back\\slash \\N`},
	}
	for _, tt := range tests {
		if got := diagram.Mermaid(tt.in); got != tt.mermaid {
			t.Errorf("Mermaid(%q) = %q, want %q", tt.in, got, tt.mermaid)
		}
		if got := diagram.DOT(tt.in); got != tt.dot {
			t.Errorf("DOT(%q) = %q, want %q", tt.in, got, tt.dot)
		}
	}
}

func ExampleDOTLines() {
	fmt.Println(diagram.DOTLines("eop:contoso", `say "hi"`))
	fmt.Println(diagram.MermaidLines("eop:contoso", `say "hi"`))
	// Output:
	// "eop:contoso\nsay \"hi\""
	// eop:contoso<br/>say #quot;hi#quot;
}
