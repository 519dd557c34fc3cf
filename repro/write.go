package repro

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteNew writes f into dir as RULE-HASH.wsk and returns the path. The
// hash is taken over everything that decides a replay (the headers but
// what: and source:, which are for people, and the steps; not the notes a
// replay left), so the same
// reproduction found twice, by two runs or two processes, lands in the same
// file, and two that differ in anything that decides a replay (the planted
// bug, the profile, a step) never share a name. The file appears whole or
// not at all: it is written under a temporary name and linked into place,
// so a writer never overwrites a file another one made (whose contents
// are the same by construction), and a reader never sees half of one.
func WriteNew(dir string, f *File) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("repro: corpus directory: %w", err)
	}
	path := filepath.Join(dir, Name(f))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp, err := os.CreateTemp(dir, ".new-*.wsk")
	if err != nil {
		return "", fmt.Errorf("repro: write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(f.Format())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path)
	}
	if errors.Is(err, fs.ErrExist) {
		return path, nil // another writer made it first
	}
	if err != nil {
		return "", fmt.Errorf("repro: write %s: %w", path, err)
	}
	return path, nil
}

// Name is the file name WriteNew gives f: its rule in lower case and the
// first 12 hex digits of a SHA-256 over what decides its replay.
func Name(f *File) string {
	key := *f
	key.Path, key.What, key.Source, key.Notes = "", "", "", nil
	sum := sha256.Sum256(key.Format())
	return strings.ToLower(f.Rule) + "-" + hex.EncodeToString(sum[:6]) + ".wsk"
}
