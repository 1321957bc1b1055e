package fields_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mailflowsim/mailflow/internal/fields"
)

type inner struct {
	Enabled bool
}

type predicates struct {
	From []string
}

type rule struct {
	Name string
	inner
	Embedded
	From     []string
	ExceptIf predicates
	hidden   int
}

// A rule with every field set: the unexported ones are not keys.
var _ = rule{hidden: 1, inner: inner{Enabled: true}}

// Embedded is exported so that its fields are promoted.
type Embedded struct {
	Priority int
}

func TestOf(t *testing.T) {
	tb := fields.Of(reflect.TypeFor[rule]())
	want := []string{"Name", "Priority", "From", "ExceptIfFrom", "ExceptIf"}
	if diff := cmp.Diff(want, tb.Names()); diff != "" {
		t.Errorf("Names() (-want +got):\n%s", diff)
	}
	if fields.Of(reflect.TypeFor[rule]()) != tb {
		t.Errorf("Of returned a new Table for the same type")
	}
	tests := []struct {
		name string
		key  string
		want []int
		ok   bool
	}{
		{"Exact", "Name", []int{0}, true},
		{"IgnoresCase", "nAME", []int{0}, true},
		{"Embedded", "priority", []int{2, 0}, true},
		{"ExceptIf", "ExceptIfFrom", []int{4, 0}, true},
		{"ExceptIfStruct", "ExceptIf", []int{4}, true},
		{"Unexported", "hidden", nil, false},
		{"UnexportedEmbedded", "Enabled", nil, false},
		{"Unknown", "Colour", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tb.Index(tt.key)
			if ok != tt.ok || !cmp.Equal(got, tt.want) {
				t.Errorf("Index(%q) = %v, %v, want %v, %v", tt.key, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestField(t *testing.T) {
	var r rule
	f, ok := fields.Field(reflect.ValueOf(&r).Elem(), "exceptiffrom")
	if !ok {
		t.Fatalf("Field(exceptiffrom) not found")
	}
	f.Set(reflect.ValueOf([]string{"a@example.com"}))
	if diff := cmp.Diff([]string{"a@example.com"}, r.ExceptIf.From); diff != "" {
		t.Errorf("ExceptIf.From after Field(…).Set (-want +got):\n%s", diff)
	}
	if _, ok := fields.Field(reflect.ValueOf(&r).Elem(), "Colour"); ok {
		t.Errorf("Field(Colour) found a field")
	}
}

func TestNamesIsACopy(t *testing.T) {
	tb := fields.Of(reflect.TypeFor[rule]())
	tb.Names()[0] = "changed"
	if got := tb.Names()[0]; got != "Name" {
		t.Errorf("Names()[0] = %q after changing a returned slice, want Name", got)
	}
}
