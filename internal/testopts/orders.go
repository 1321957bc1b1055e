package testopts

import "math/rand/v2"

// SpecOrder is one way to reorder a spec's lists in determinism tests.
type SpecOrder struct {
	Name string
	// Perm returns a permutation of n indexes.
	Perm func(n int) []int
}

// SpecOrders returns the orders determinism tests build a spec in: its
// lists reversed, and shuffled three times from the seeds.
func SpecOrders(seed1, seed2 uint64) []SpecOrder {
	reverse := func(n int) []int {
		p := make([]int, n)
		for i := range p {
			p[i] = n - 1 - i
		}
		return p
	}
	rng := rand.New(rand.NewPCG(seed1, seed2))
	return []SpecOrder{
		{Name: "Reversed", Perm: reverse},
		{Name: "Shuffled1", Perm: rng.Perm},
		{Name: "Shuffled2", Perm: rng.Perm},
		{Name: "Shuffled3", Perm: rng.Perm},
	}
}
