package clixml

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// unescape decodes PowerShell's _xHHHH_ escapes: each is a UTF-16 code
// unit, so a character outside the Basic Multilingual Plane is two of
// them in a row.
func unescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	var units []uint16
	flush := func() {
		for _, r := range utf16.Decode(units) {
			b.WriteRune(r)
		}
		units = units[:0]
	}
	for i := 0; i < len(s); {
		if u, ok := escapeAt(s, i); ok {
			units = append(units, u)
			i += 7
			continue
		}
		flush()
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteByte(s[i])
		} else {
			b.WriteRune(r)
		}
		i += size
	}
	flush()
	return b.String()
}

// escapeAt reports whether s[i:] starts with _xHHHH_ and returns its code
// unit.
func escapeAt(s string, i int) (uint16, bool) {
	if i+7 > len(s) || s[i] != '_' || s[i+1] != 'x' || s[i+6] != '_' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
	if err != nil {
		return 0, false
	}
	return uint16(n), true
}

// parseFloat parses a .NET floating-point number, with its names of the
// infinities.
func parseFloat(s string) (float64, error) {
	switch s {
	case "INF", "Infinity":
		s = "+Inf"
	case "-INF", "-Infinity":
		s = "-Inf"
	}
	return strconv.ParseFloat(s, 64)
}

// parseDateTime parses an xs:dateTime as .NET writes it: up to seven
// fractional digits, with a zone offset, "Z", or none (an unspecified
// zone, read as UTC).
func parseDateTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad xs:dateTime %q", s)
}

// parseDuration parses an xs:duration ("PT10M", "-P1DT2H3M4.5S"). Years
// and months are refused: a .NET TimeSpan never has them.
func parseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("bad xs:duration %q", s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if !strings.HasPrefix(s, "P") || s == "P" || s == "PT" || strings.HasSuffix(s, "T") {
		return 0, bad
	}
	total, ok := durationParts(s[1:])
	if !ok || total > float64(1<<63-1) {
		return 0, bad
	}
	if neg {
		total = -total
	}
	return time.Duration(total), nil
}

// durationParts adds up the parts of an xs:duration after its "P":
// days, then after "T" hours, minutes and seconds, in nanoseconds.
func durationParts(s string) (float64, bool) {
	var total float64
	inTime := false
	for s != "" {
		if s[0] == 'T' {
			if inTime {
				return 0, false
			}
			inTime = true
			s = s[1:]
			continue
		}
		i := strings.IndexAny(s, "DHMS")
		if i <= 0 {
			return 0, false
		}
		n, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || n < 0 {
			return 0, false
		}
		unit, ok := durationUnit(s[i], inTime)
		if !ok {
			return 0, false
		}
		total += n * float64(unit)
		s = s[i+1:]
	}
	return total, true
}

// durationUnit returns the length of an xs:duration unit: D before "T";
// H, M and S after it.
func durationUnit(c byte, inTime bool) (time.Duration, bool) {
	switch {
	case c == 'D' && !inTime:
		return 24 * time.Hour, true
	case c == 'H' && inTime:
		return time.Hour, true
	case c == 'M' && inTime:
		return time.Minute, true
	case c == 'S' && inTime:
		return time.Second, true
	}
	return 0, false
}

// isGUID reports whether s is a GUID: 8-4-4-4-12 hexadecimal digits.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// shorten trims s and cuts it to 40 bytes, for errors.
func shorten(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
