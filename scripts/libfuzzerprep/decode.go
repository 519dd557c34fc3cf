package main

import (
	"fmt"

	fuzzheaders "github.com/AdaLogics/go-fuzz-headers"
)

// decodeStream reads a libFuzzer input as the pinned shim's F.Fuzz does:
// one value per parameter type (reflect spelling), in order, from a
// go-fuzz-headers consumer. An input the consumer runs out on is one the
// shim drops without calling the target; that is an error here.
func decodeStream(data []byte, types []string) ([]any, error) {
	c := fuzzheaders.NewConsumer(data)
	vals := make([]any, 0, len(types))
	for i, t := range types {
		v, err := consume(c, t)
		if err != nil {
			return nil, fmt.Errorf("parameter %d (%s): %w", i+1, t, err)
		}
		vals = append(vals, v)
	}
	return vals, nil
}

func consume(c *fuzzheaders.ConsumeFuzzer, t string) (any, error) {
	switch t {
	case "[]uint8":
		b, err := c.GetBytes()
		return append([]byte{}, b...), err
	case "string":
		return c.GetString()
	case "bool":
		return c.GetBool()
	case "int":
		n, err := c.GetUint64()
		return int(n), err
	case "int64":
		n, err := c.GetUint64()
		return int64(n), err
	case "uint":
		n, err := c.GetUint64()
		return uint(n), err
	case "uint64":
		return c.GetUint64()
	case "int32":
		n, err := c.GetUint32()
		return int32(n), err
	case "uint32":
		return c.GetUint32()
	case "int16":
		n, err := c.GetUint16()
		return int16(n), err
	case "uint16":
		return c.GetUint16()
	case "int8":
		n, err := c.GetByte()
		return int8(n), err
	case "uint8":
		return c.GetByte()
	case "float64":
		return c.GetFloat64()
	case "float32":
		return c.GetFloat32()
	}
	return nil, fmt.Errorf("type %s is not one the shim decodes", t)
}
