package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// modulePath is this module's path: run writes reproduction files under
// the root of a checkout of it, never into a stranger's directory.
const modulePath = "github.com/wskverify/wskverify"

// corpusFlag is -corpus; it remembers whether it was given, since an empty
// value asks for no files while an absent one asks for the default.
type corpusFlag struct {
	dir string
	set bool
}

func (c *corpusFlag) String() string { return c.dir }

func (c *corpusFlag) Set(s string) error {
	c.dir, c.set = s, true
	return nil
}

// corpusDir says where run writes its reproduction files ("" for nowhere)
// and why, for the report: -corpus when given; else corpus/new under the
// module root when wd is inside this module; else nowhere.
func corpusDir(c corpusFlag, wd string) (dir, why string) {
	switch {
	case c.set && c.dir == "":
		return "", "not written (-corpus '')"
	case c.set:
		return c.dir, "written into " + c.dir + " (-corpus)"
	}
	if root, ok := moduleRoot(wd); ok {
		dir = filepath.Join(root, "corpus", "new")
		return dir, "written into " + dir + " (under the module root)"
	}
	return "", "not written: started outside the " + modulePath + " module (-corpus DIR keeps them)"
}

// moduleRoot finds the go.mod nearest wd, upward, as the go command does,
// and returns its directory when it declares this module.
func moduleRoot(wd string) (string, bool) {
	for dir := filepath.Clean(wd); ; {
		if path, ok := goModPath(filepath.Join(dir, "go.mod")); ok {
			return dir, path == modulePath
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// goModPath reads the module path a go.mod declares; ok is false when
// there is no readable go.mod.
func goModPath(file string) (path string, ok bool) {
	f, err := os.Open(file)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "//")
		rest, found := strings.CutPrefix(strings.TrimSpace(line), "module")
		if !found || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
			continue
		}
		rest = strings.TrimSpace(rest)
		if unq, err := strconv.Unquote(rest); err == nil {
			rest = unq
		}
		return rest, true
	}
	return "", true
}
