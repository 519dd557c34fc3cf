package fuzz

import (
	"bytes"
	"fmt"
	"strconv"
)

// goCorpusHeader opens every file of Go's fuzz corpus format, the files
// go test -fuzz writes under testdata/fuzz/<Target>/ and its cache.
const goCorpusHeader = "go test fuzz v1"

// ParseCorpusFile reads the input of a one-argument []byte target from a
// file in Go's fuzz corpus format:
//
//	go test fuzz v1
//	[]byte("...")
func ParseCorpusFile(file []byte) ([]byte, error) {
	lines := bytes.Split(bytes.TrimSpace(file), []byte("\n"))
	if len(lines) != 2 || string(bytes.TrimSpace(lines[0])) != goCorpusHeader {
		return nil, fmt.Errorf("fuzz: corpus file: want %q and one []byte value", goCorpusHeader)
	}
	v := bytes.TrimSpace(lines[1])
	quoted, ok := bytes.CutPrefix(v, []byte("[]byte("))
	if !ok || !bytes.HasSuffix(quoted, []byte(")")) {
		return nil, fmt.Errorf("fuzz: corpus file: value %.40q is not []byte(...)", v)
	}
	s, err := strconv.Unquote(string(quoted[:len(quoted)-1]))
	if err != nil {
		return nil, fmt.Errorf("fuzz: corpus file: %w", err)
	}
	return []byte(s), nil
}

// FormatCorpusFile writes an input as ParseCorpusFile reads it.
func FormatCorpusFile(input []byte) []byte {
	return fmt.Appendf(nil, "%s\n[]byte(%q)\n", goCorpusHeader, input)
}
