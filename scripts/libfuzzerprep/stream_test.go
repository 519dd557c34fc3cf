package main

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

// typesOf spells each value's type as reflect does, as fuzzParams would for
// the fuzz function that takes them.
func typesOf(vals []any) []string {
	types := make([]string, len(vals))
	for i, v := range vals {
		types[i] = reflect.TypeOf(v).String()
	}
	return types
}

// sameValues compares decoded values, NaN equal to NaN of the same bits.
func sameValues(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		switch x := a[i].(type) {
		case float64:
			y, ok := b[i].(float64)
			if !ok || math.Float64bits(x) != math.Float64bits(y) {
				return false
			}
		case float32:
			y, ok := b[i].(float32)
			if !ok || math.Float32bits(x) != math.Float32bits(y) {
				return false
			}
		default:
			if !reflect.DeepEqual(a[i], b[i]) {
				return false
			}
		}
	}
	return true
}

// TestStreamRoundTrip checks the seed encoder against go-fuzz-headers'
// consumer itself: what encodeStream writes, the shim reads back as the
// same values (decodeStream reads as the shim's F.Fuzz does).
func TestStreamRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		vals []any
	}{
		{"single []byte", []any{[]byte{0x02, 0x00, 0x23, 0x28, 127, 0, 0, 1}}},
		{"[]byte of one byte", []any{[]byte{0xff}}},
		{"[]byte before more", []any{[]byte("ab"), []byte("cde"), "f"}},
		{"empty string before more", []any{"", int8(-1)}},
		{"strings", []any{"héllo", "\x00\xff"}},
		{"signed extremes", []any{math.MinInt, int8(math.MinInt8), int16(math.MinInt16), int32(math.MinInt32), int64(math.MinInt64)}},
		{"unsigned extremes", []any{uint(math.MaxUint), uint8(255), uint16(65535), uint32(math.MaxUint32), uint64(math.MaxUint64)}},
		{"bools", []any{true, false, true}},
		{"floats", []any{1.5, float32(-2.25), math.Inf(-1), math.Float64frombits(0x7ff8000000000001), float32(math.NaN())}},
		{"everything", []any{[]byte("x"), "y", 3, int8(4), int16(5), int32(6), int64(7), uint(8), uint8(9), uint16(10), uint32(11), uint64(12), true, 1.25, float32(0.5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stream, err := encodeStream(tt.vals)
			if err != nil {
				t.Fatalf("encodeStream: %v", err)
			}
			got, err := decodeStream(stream, typesOf(tt.vals))
			if err != nil {
				t.Fatalf("decodeStream(% x): %v", stream, err)
			}
			if !sameValues(got, tt.vals) {
				t.Errorf("decoded %#v, want %#v (stream % x)", got, tt.vals, stream)
			}
		})
	}
}

func TestStreamNotRepresentable(t *testing.T) {
	tests := []struct {
		name string
		vals []any
	}{
		{"empty []byte", []any{[]byte{}}},
		{"empty []byte before more", []any{[]byte{}, "x"}},
		{"empty final string", []any{1, ""}},
		{"unsupported type", []any{complex(1, 2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := encodeStream(tt.vals); !errors.Is(err, errNotRepresentable) {
				t.Fatalf("encodeStream error %v, want errNotRepresentable", err)
			}
		})
	}
}

// TestDecodeShortInput: an input the consumer runs out on is one the shim
// drops; decodeStream says so instead of inventing values.
func TestDecodeShortInput(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		types []string
	}{
		{"no length", []byte{0, 0}, []string{"[]uint8"}},
		{"int cut short", []byte{1, 2, 3}, []string{"int"}},
		{"second value missing", []byte{1}, []string{"uint8", "bool"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if vals, err := decodeStream(tt.data, tt.types); err == nil {
				t.Fatalf("decodeStream(% x, %v) = %v, want an error", tt.data, tt.types, vals)
			}
		})
	}
}
