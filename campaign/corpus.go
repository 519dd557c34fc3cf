package campaign

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/repro"
)

// writeReproduction turns a failure into a reproduction file in the corpus
// directory, named by rule and content so the same failure found twice
// lands in the same file. The trace it observed goes in as notes.
func writeReproduction(o Options, f Failure) (string, error) {
	steps, err := harness.ParseScript(f.Script)
	if err != nil {
		return "", fmt.Errorf("campaign: the failing run's script does not read back: %w", err)
	}
	rule := f.Rule
	if rule == "" {
		rule = "SAFE-01"
	}
	file := &repro.File{
		What:    fmt.Sprintf("found by wskverify run (seed %d): %s is violated", f.Seed, rule),
		Rule:    rule,
		Expect:  repro.ExpectViolated,
		Bug:     o.Bug,
		Profile: o.Profile,
		Family:  o.Family,
		Source:  fmt.Sprintf("wskverify run -seed %d -batch %d", f.Seed, o.Batch),
		Steps:   steps,
		Notes:   append([]string{"observed:"}, strings.Split(strings.TrimSpace(f.Report), "\n")...),
	}
	if o.Bug != "" {
		file.What = fmt.Sprintf("planted bug %s breaks %s", o.Bug, rule)
	}
	text := file.Format()
	sum := sha256.Sum256([]byte(harness.FormatScript(steps)))
	name := fmt.Sprintf("%s-%s.wsk", strings.ToLower(rule), hex.EncodeToString(sum[:4]))
	if err := os.MkdirAll(o.CorpusDir, 0o755); err != nil {
		return "", fmt.Errorf("campaign: corpus directory: %w", err)
	}
	path := filepath.Join(o.CorpusDir, name)
	if err := os.WriteFile(path, text, 0o644); err != nil {
		return "", fmt.Errorf("campaign: write reproduction: %w", err)
	}
	return path, nil
}
