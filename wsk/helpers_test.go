package wsk_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// The module's go.mod does not yet carry testify's own requirements
// (go.yaml.in/yaml/v3, objx), so these tests use the standard library and the
// few helpers below instead of github.com/stretchr/testify.

// eq fails the test when got != want.
func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// eqBytes fails the test when two byte slices differ.
func eqBytes(t testing.TB, what string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Errorf("%s = % x, want % x", what, got, want)
	}
}

// unhex decodes hex that may contain spaces; it fails the test on bad input.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}
