package enum_test

import (
	"testing"

	"github.com/mailflowsim/mailflow/internal/enum"
)

func TestEnum(t *testing.T) {
	names := []string{"", "Applied", "Skipped"}
	if got := enum.String(names, 2, "StageResult"); got != "Skipped" {
		t.Errorf("String(2) = %q", got)
	}
	if got := enum.String(names, 7, "StageResult"); got != "StageResult(7)" {
		t.Errorf("String(7) = %q", got)
	}
	if _, err := enum.Marshal("route", names, 0, "StageResult"); err == nil || err.Error() != "route: cannot marshal StageResult(0)" {
		t.Errorf("Marshal(0) error = %v", err)
	}
	var v uint8
	if err := enum.Unmarshal("route", names, &v, []byte("skipped"), "stage result"); err != nil || v != 2 {
		t.Errorf("Unmarshal(skipped) = %d, %v", v, err)
	}
	if err := enum.Unmarshal("route", names, &v, []byte("x"), "stage result"); err == nil || err.Error() != `route: "x" is not a stage result (Applied, Skipped)` {
		t.Errorf("Unmarshal(x) error = %v", err)
	}
}
