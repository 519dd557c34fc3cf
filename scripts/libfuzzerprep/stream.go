package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// A libFuzzer binary built by go-118-fuzz-build does not hand its input to
// the target as it is: the shim's F.Fuzz (github.com/AdamKorcz/
// go-118-fuzz-build/testing) reads each parameter of the fuzz function, in
// order, from a go-fuzz-headers consumer over the input. encodeStream writes
// the bytes from which that consumer reads back exactly the given values,
// matching the pinned shim (see scripts/lib/libfuzzer.sh):
//
//	[]byte, string          4-byte big-endian length, then the bytes
//	int, int64, uint, uint64  8 bytes, then an endianness byte
//	int16, uint16           2 bytes, then an endianness byte
//	int32, uint32, rune     4 bytes big-endian
//	int8, uint8             1 byte
//	float64 / float32       8 / 4 bytes of IEEE bits, then an endianness byte
//	bool                    1 byte, even = true
//
// The endianness byte is written odd (big endian). Even a target with a
// single []byte argument therefore needs its seeds converted: the raw bytes
// alone would be read as a length and a remainder.
func encodeStream(args []any) ([]byte, error) {
	var out []byte
	for i, a := range args {
		last := i == len(args)-1
		var err error
		if out, err = appendArg(out, a, last); err != nil {
			return nil, fmt.Errorf("argument %d (%T): %w", i+1, a, err)
		}
	}
	return out, nil
}

// errNotRepresentable marks values the consumer can never produce, so a
// seed holding one cannot be carried over.
var errNotRepresentable = errors.New("no libFuzzer input decodes to this value")

const bigEndianByte = 1 // odd: the consumer's GetBool says false, big endian

// maxStringStart is go-fuzz-headers' default MaxTotalLen.
const maxStringStart = 2000000

func appendArg(out []byte, a any, last bool) ([]byte, error) {
	switch v := a.(type) {
	case []byte:
		// GetBytes turns a length of 0 into 30 and fails when nothing is
		// left, so an empty slice has no encoding.
		if len(v) == 0 {
			return nil, fmt.Errorf("empty []byte: %w", errNotRepresentable)
		}
		return appendLenPrefixed(out, v)
	case string:
		// GetString fails when the string would start at the end of the
		// input: an empty string works only before another argument.
		if len(v) == 0 && last {
			return nil, fmt.Errorf("empty final string: %w", errNotRepresentable)
		}
		// It also refuses strings that start past its MaxTotalLen.
		if len(out)+4 > maxStringStart {
			return nil, fmt.Errorf("string at offset %d: %w", len(out)+4, errNotRepresentable)
		}
		return appendLenPrefixed(out, []byte(v))
	case bool:
		if v {
			return append(out, 0), nil
		}
		return append(out, 1), nil
	case int:
		return append(binary.BigEndian.AppendUint64(out, uint64(v)), bigEndianByte), nil
	case int64:
		return append(binary.BigEndian.AppendUint64(out, uint64(v)), bigEndianByte), nil
	case uint:
		return append(binary.BigEndian.AppendUint64(out, uint64(v)), bigEndianByte), nil
	case uint64:
		return append(binary.BigEndian.AppendUint64(out, v), bigEndianByte), nil
	case int32:
		return binary.BigEndian.AppendUint32(out, uint32(v)), nil
	case uint32:
		return binary.BigEndian.AppendUint32(out, v), nil
	case int16:
		return append(binary.BigEndian.AppendUint16(out, uint16(v)), bigEndianByte), nil
	case uint16:
		return append(binary.BigEndian.AppendUint16(out, v), bigEndianByte), nil
	case int8:
		return append(out, byte(v)), nil
	case uint8:
		return append(out, v), nil
	case float64:
		return append(binary.BigEndian.AppendUint64(out, math.Float64bits(v)), bigEndianByte), nil
	case float32:
		return append(binary.BigEndian.AppendUint32(out, math.Float32bits(v)), bigEndianByte), nil
	}
	return nil, fmt.Errorf("type %T: %w", a, errNotRepresentable)
}

func appendLenPrefixed(out, b []byte) ([]byte, error) {
	if uint64(len(b)) > math.MaxUint32 {
		return nil, fmt.Errorf("%d bytes: %w", len(b), errNotRepresentable)
	}
	return append(binary.BigEndian.AppendUint32(out, uint32(len(b))), b...), nil
}
