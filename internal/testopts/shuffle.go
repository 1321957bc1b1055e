package testopts

import (
	"math/rand/v2"
	"reflect"
)

// keepOrder are the Spec lists whose order means something to Exchange,
// which Shuffle leaves alone: address rewriting applies its entries in
// order.
var keepOrder = map[string]bool{"AddressRewriteEntries": true}

// Shuffle returns a deep copy of v, which must not contain pointer cycles,
// with every list in it in an order drawn from rng: the lists whose order
// Exchange ignores, which must not change any answer. The lists in
// keepOrder keep their order, and a certificate's CertificateDomains keep
// their first name, the subject.
func Shuffle[T any](v T, rng *rand.Rand) T {
	var c T
	shuffleValue(reflect.ValueOf(&c).Elem(), reflect.ValueOf(&v).Elem(), rng, "")
	return c
}

func shuffleValue(dst, src reflect.Value, rng *rand.Rand, field string) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		shuffleValue(p.Elem(), src.Elem(), rng, "")
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		n := src.Len()
		s := reflect.MakeSlice(src.Type(), n, n)
		for i := range n {
			shuffleValue(s.Index(i), src.Index(i), rng, "")
		}
		from := 0
		switch {
		case keepOrder[field]:
			from = n
		case field == "CertificateDomains":
			from = 1
		}
		if from < n {
			swap := reflect.Swapper(s.Slice(from, n).Interface())
			rng.Shuffle(n-from, swap)
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			e := reflect.New(src.Type().Elem()).Elem()
			shuffleValue(e, it.Value(), rng, "")
			m.SetMapIndex(it.Key(), e)
		}
		dst.Set(m)
	case reflect.Struct:
		for i := range src.NumField() {
			if !src.Type().Field(i).IsExported() {
				dst.Set(src) // an opaque value (netip.Addr): copied whole
				return
			}
		}
		for i := range src.NumField() {
			shuffleValue(dst.Field(i), src.Field(i), rng, src.Type().Field(i).Name)
		}
	default:
		dst.Set(src)
	}
}
