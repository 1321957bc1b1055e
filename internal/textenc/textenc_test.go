package textenc_test

import (
	"testing"

	"github.com/mailflowsim/mailflow/internal/textenc"
)

func TestUTF8(t *testing.T) {
	for name, in := range map[string][]byte{
		"UTF-8":          []byte(`{"a":"é"}`),
		"UTF-8 with BOM": append([]byte{0xEF, 0xBB, 0xBF}, `{"a":"é"}`...),
		"UTF-16 LE":      {0xFF, 0xFE, '{', 0, '"', 0, 'a', 0, '"', 0, ':', 0, '"', 0, 0xE9, 0, '"', 0, '}', 0},
		"UTF-16 BE":      {0xFE, 0xFF, 0, '{', 0, '"', 0, 'a', 0, '"', 0, ':', 0, '"', 0, 0xE9, 0, '"', 0, '}'},
	} {
		if got := string(textenc.UTF8(in)); got != `{"a":"é"}` {
			t.Errorf("%s: UTF8 = %q", name, got)
		}
	}
}

func TestPosition(t *testing.T) {
	data := []byte("{\n  \"a\": x\n}")
	if line, col := textenc.Position(data, 9); line != 2 || col != 8 {
		t.Errorf("Position(9) = %d:%d, want 2:8", line, col)
	}
}
