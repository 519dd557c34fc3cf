package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCorpusValue(t *testing.T) {
	tests := []struct {
		line string
		want any
	}{
		{`[]byte("\x02\x00#(")`, []byte{2, 0, '#', '('}},
		{`[]byte("")`, []byte{}},
		{`[]uint8("a")`, []byte("a")},
		{`string("héllo\n")`, "héllo\n"},
		{`string("\xff")`, "\xff"},
		{"string(`raw`)", "raw"},
		{`bool(true)`, true},
		{`bool(false)`, false},
		{`int(-42)`, -42},
		{`int8(-128)`, int8(-128)},
		{`int16(0x7fff)`, int16(0x7fff)},
		{`int32(-7)`, int32(-7)},
		{`int64(9223372036854775807)`, int64(math.MaxInt64)},
		{`rune('é')`, int32('é')},
		{`rune(-1)`, int32(-1)},
		{`uint(7)`, uint(7)},
		{`byte('\x00')`, uint8(0)},
		{`byte('A')`, uint8('A')},
		{`uint8(255)`, uint8(255)},
		{`uint16(65535)`, uint16(65535)},
		{`uint32(4294967295)`, uint32(math.MaxUint32)},
		{`uint64(18446744073709551615)`, uint64(math.MaxUint64)},
		{`float64(1.5)`, 1.5},
		{`float64(-0.25)`, -0.25},
		{`float64(+Inf)`, math.Inf(1)},
		{`float64(-Inf)`, math.Inf(-1)},
		{`float32(2)`, float32(2)},
		{`math.Float64frombits(0x7ff8000000000001)`, math.Float64frombits(0x7ff8000000000001)},
		{`math.Float32frombits(0x7fc00001)`, math.Float32frombits(0x7fc00001)},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := parseCorpusValue(tt.line)
			if err != nil {
				t.Fatalf("parseCorpusValue: %v", err)
			}
			if !sameValues([]any{got}, []any{tt.want}) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestParseCorpusValueRejects(t *testing.T) {
	tests := []string{
		`[]byte(1)`,
		`string(x)`,
		`bool(1)`,
		`int8(128)`,
		`uint8(-1)`,
		`uint8('€')`,
		`float64("1")`,
		`complex128(1)`,
		`struct{}{}`,
		`int(1, 2)`,
		`math.Sqrt(2)`,
		`[]byte("unterminated`,
	}
	for _, line := range tests {
		t.Run(line, func(t *testing.T) {
			if v, err := parseCorpusValue(line); err == nil {
				t.Fatalf("parseCorpusValue(%s) = %#v, want an error", line, v)
			}
		})
	}
}

func TestParseCorpusFileHeader(t *testing.T) {
	tests := []struct {
		name, text string
		ok         bool
	}{
		{"one value", "go test fuzz v1\n[]byte(\"a\")\n", true},
		{"blank lines ignored", "go test fuzz v1\n\nint(1)\n\nbool(true)\n", true},
		{"no header", "[]byte(\"a\")\n", false},
		{"other version", "go test fuzz v2\nint(1)\n", false},
		{"no values", "go test fuzz v1\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseCorpusFile([]byte(tt.text))
			if (err == nil) != tt.ok {
				t.Fatalf("parseCorpusFile error %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

// TestCorpusFileRoundTrip: what gofile writes, go test (and seeds) reads
// back as the same values.
func TestCorpusFileRoundTrip(t *testing.T) {
	vals := []any{
		[]byte("\x00\xffa\"b"), "multi\nline", true, -1, int8(-2), int16(-3), int32('€'), int64(-4),
		uint(5), uint8(6), uint16(7), uint32(8), uint64(math.MaxUint64),
		3.25, math.Inf(-1), math.Float64frombits(0x7ff8000000000001), float32(-1.5), float32(math.NaN()),
	}
	text, err := formatCorpusFile(vals)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseCorpusFile([]byte(text))
	if err != nil {
		t.Fatalf("parse what formatCorpusFile wrote: %v\n%s", err, text)
	}
	if !sameValues(got, vals) {
		t.Errorf("round trip %#v, want %#v\n%s", got, vals, text)
	}
}

func TestConvertSeeds(t *testing.T) {
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "corpus")
	files := map[string]string{
		"good":      "go test fuzz v1\n[]byte(\"\\x02\\x00\")\n",
		"two-args":  "go test fuzz v1\nstring(\"s\")\nuint16(9)\n",
		"empty-buf": "go test fuzz v1\n[]byte(\"\")\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(in, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := convertSeeds(in, out)
	if err != nil {
		t.Fatal(err)
	}
	if sum.converted != 2 || len(sum.skipped) != 1 || !strings.HasPrefix(sum.skipped[0], "empty-buf:") {
		t.Fatalf("summary %+v, want 2 converted and empty-buf skipped", sum)
	}
	stream, err := os.ReadFile(filepath.Join(out, "two-args"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeStream(stream, []string{"string", "uint16"})
	if err != nil || !sameValues(got, []any{"s", uint16(9)}) {
		t.Errorf("two-args decodes to %#v, %v; want [s 9]", got, err)
	}
	if _, err := os.Stat(filepath.Join(out, "empty-buf")); !os.IsNotExist(err) {
		t.Errorf("a skipped seed was written: %v", err)
	}
}

func TestConvertSeedsErrors(t *testing.T) {
	t.Run("missing corpus converts nothing", func(t *testing.T) {
		sum, err := convertSeeds(filepath.Join(t.TempDir(), "none"), t.TempDir())
		if err != nil || sum.converted != 0 {
			t.Fatalf("got %+v, %v; want nothing and no error", sum, err)
		}
	})
	t.Run("a file that is not a Go corpus file", func(t *testing.T) {
		in := t.TempDir()
		if err := os.WriteFile(filepath.Join(in, "raw"), []byte{1, 2, 3}, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := convertSeeds(in, t.TempDir()); err == nil || !strings.Contains(err.Error(), "raw") {
			t.Fatalf("error %v, want one naming the file", err)
		}
	})
}
