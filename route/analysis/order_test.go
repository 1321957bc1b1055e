package analysis_test

// must returns v, or panics with err: the analysis functions fail only
// for a nil topology, which the tests never pass unless they say so.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
