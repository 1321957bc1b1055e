package analysis_test

import "math/rand/v2"

// specOrder is one way to reorder a spec's lists in determinism tests.
type specOrder struct {
	name string
	perm func(n int) []int
}

// specOrders returns the orders determinism tests build a spec in: its
// lists reversed, and shuffled three times from the seeds.
func specOrders(seed1, seed2 uint64) []specOrder {
	reverse := func(n int) []int {
		p := make([]int, n)
		for i := range p {
			p[i] = n - 1 - i
		}
		return p
	}
	rng := rand.New(rand.NewPCG(seed1, seed2))
	return []specOrder{
		{name: "Reversed", perm: reverse},
		{name: "Shuffled1", perm: rng.Perm},
		{name: "Shuffled2", perm: rng.Perm},
		{name: "Shuffled3", perm: rng.Perm},
	}
}

// must returns v, or panics with err: the analysis functions fail only
// for a nil topology, which the tests never pass unless they say so.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
