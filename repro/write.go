package repro

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wskverify/wskverify/harness"
)

// WriteNew writes f into dir as RULE-HASH.wsk, the hash taken over its
// steps, so the same reproduction found twice lands in the same file; an
// existing file is left as it is. It returns the path.
func WriteNew(dir string, f *File) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("repro: corpus directory: %w", err)
	}
	sum := sha256.Sum256([]byte(harness.FormatScript(f.Steps)))
	path := filepath.Join(dir, strings.ToLower(f.Rule)+"-"+hex.EncodeToString(sum[:4])+".wsk")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.WriteFile(path, f.Format(), 0o644); err != nil {
		return "", fmt.Errorf("repro: write %s: %w", path, err)
	}
	return path, nil
}
