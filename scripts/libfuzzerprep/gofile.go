package main

import (
	"crypto/sha256"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// formatCorpusFile writes values in Go's corpus format, the inverse of
// parseCorpusFile: go test runs such a file from testdata/fuzz/<Target>/.
func formatCorpusFile(vals []any) (string, error) {
	var b strings.Builder
	b.WriteString(corpusHeader + "\n")
	for _, v := range vals {
		line, err := formatCorpusValue(v)
		if err != nil {
			return "", err
		}
		b.WriteString(line + "\n")
	}
	return b.String(), nil
}

func formatCorpusValue(v any) (string, error) {
	switch x := v.(type) {
	case []byte:
		return "[]byte(" + strconv.Quote(string(x)) + ")", nil
	case string:
		return "string(" + strconv.Quote(x) + ")", nil
	case bool:
		return fmt.Sprintf("bool(%t)", x), nil
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprintf("%T(%d)", x, x), nil
	case float64:
		if math.IsNaN(x) {
			return fmt.Sprintf("math.Float64frombits(0x%x)", math.Float64bits(x)), nil
		}
		return "float64(" + strconv.FormatFloat(x, 'g', -1, 64) + ")", nil
	case float32:
		if math.IsNaN(float64(x)) {
			return fmt.Sprintf("math.Float32frombits(0x%x)", math.Float32bits(x)), nil
		}
		return "float32(" + strconv.FormatFloat(float64(x), 'g', -1, 32) + ")", nil
	}
	return "", fmt.Errorf("type %T has no corpus encoding", v)
}

// libFuzzerToGo turns a libFuzzer input of the target in dir (a crash of a
// ClusterFuzzLite or scripts/libfuzzer-build run) into a Go corpus file in
// out, named by its content's hash as go test names them, and returns its
// path: copied into <pkg>/testdata/fuzz/<Target>/, it reproduces the
// failure with plain go test, and wskverify convert turns it into a corpus
// reproduction file.
func libFuzzerToGo(dir, target, in, out string) (string, error) {
	t, err := loadTarget(dir, target)
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(in)
	if err != nil {
		return "", fmt.Errorf("read input: %w", err)
	}
	vals, err := decodeStream(data, t.params)
	if err != nil {
		return "", fmt.Errorf("decode %s: %w (the libFuzzer binary ignores this input)", in, err)
	}
	text, err := formatCorpusFile(vals)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", fmt.Errorf("create output: %w", err)
	}
	name := filepath.Join(out, fmt.Sprintf("%x", sha256.Sum256([]byte(text)))[:16])
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		return "", fmt.Errorf("write: %w", err)
	}
	return name, nil
}
