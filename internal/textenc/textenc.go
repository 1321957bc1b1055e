// Package textenc reads text as Windows PowerShell and PowerShell save it:
// UTF-8 with or without a byte order mark, or UTF-16 (little- or
// big-endian) with one.
package textenc

import (
	"bytes"
	"unicode/utf16"
)

// UTF8 returns data as UTF-8 without a byte order mark: UTF-16 with a
// byte order mark is converted, a UTF-8 byte order mark dropped, anything
// else returned as it is. An odd trailing byte of UTF-16 is dropped.
func UTF8(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF):
		le := data[0] == 0xFF
		data = data[2:]
		units := make([]uint16, len(data)/2)
		for i := range units {
			if le {
				units[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
			} else {
				units[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
			}
		}
		var b bytes.Buffer
		for _, r := range utf16.Decode(units) {
			b.WriteRune(r)
		}
		return b.Bytes()
	}
	return data
}

// Position returns the 1-based line and column (in bytes) of offset in
// data, for error messages.
func Position(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = len(before) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
