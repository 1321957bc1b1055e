package jsonscan_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mailflowsim/mailflow/internal/jsonscan"
	"github.com/stretchr/testify/require"
)

var seeds = []string{
	``, ` `, `{}`, `[]`, `{"a": [1, -0.5e+3, true, false, null, "x\u00e9\n"]}`, `{"a":1,}`, `[1,]`, `[,1]`,
	`{"a" 1}`, `{1: 2}`, `01`, `-`, `1.`, `1e`, `.5`, `"\x"`, "\"\x01\"", `"\ud800"`, "\"\xff\"", `tru`, `nul`,
	`{} x`, `{}}`, `"abc`, `{"a":{"b":[{}]}}`, strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
}

// FuzzScanner: a Scanner accepts what encoding/json accepts, and reads
// strings and top-level keys as it does.
func FuzzScanner(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := jsonscan.New(data)
		ok := s.Skip() && s.AtEnd()
		require.Equal(t, json.Valid(data), ok, "%q", data)
		if s2 := jsonscan.New(data); s2.Peek() == '"' {
			got, ok := s2.String()
			var want string
			if json.Unmarshal(data, &want) == nil {
				require.True(t, ok)
				require.Equal(t, want, string(got))
			}
		}
		keys, ok := jsonscan.TopKeys(data)
		var obj map[string]json.RawMessage
		require.Equal(t, json.Unmarshal(data, &obj) == nil, ok)
		if ok {
			for _, k := range keys {
				_, in := obj[k]
				require.True(t, in, k)
			}
			require.Subset(t, keys, keysOf(obj))
		}
	})
}

func keysOf(m map[string]json.RawMessage) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestTopKeys(t *testing.T) {
	keys, ok := jsonscan.TopKeys([]byte(` {"Identity": {"a": [1]}, "G\u0075id": "x"} `))
	require.True(t, ok)
	require.Equal(t, []string{"Identity", "Guid"}, keys)
	_, ok = jsonscan.TopKeys([]byte(`[{"Identity": 1}]`))
	require.False(t, ok)
	_, ok = jsonscan.TopKeys([]byte(`{"Identity": 1} {}`))
	require.False(t, ok)
}
