package mutation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Outcomes of a mutant.
const (
	Killed    = "killed"     // the killer failed
	TimedOut  = "timeout"    // the killer ran past its bound: a hang, counted as killed
	Survived  = "survived"   // the killer passed
	NotViable = "not-viable" // the mutant does not compile; not counted
)

// Result is what one killer made of one mutant.
type Result struct {
	Mutant
	Killer  string  `json:"killer"`
	Outcome string  `json:"outcome"`
	Seconds float64 `json:"seconds"` // wall time of the killer, build included
	Detail  string  `json:"detail,omitempty"`
}

// Killer is the check a mutant has to get past.
type Killer struct {
	Name string
	// Timeout bounds the whole killer (build and run); past it the mutant
	// counts as killed by timeout.
	Timeout time.Duration
	// Steps are the commands, run in the module copy in order; the first
	// that fails kills the mutant. OVERLAY and BIN in an argument are
	// replaced by the overlay file and a scratch binary path.
	Steps [][]string
	Env   []string
}

// PropertyKiller is the default property run (the TestBundledProvider
// tests: rapid's default 100 runs under each of the bundled, documented
// and windows profiles and with ::1 peers) and the corpus replay.
func PropertyKiller() Killer {
	return Killer{
		Name:    "props",
		Timeout: 6 * time.Minute,
		Steps: [][]string{{"go", "test", "-count=1", "-failfast", "-overlay", "OVERLAY", "-timeout", "150s",
			"-run", "^(TestBundledProvider|TestReplayCorpus)", "./properties", "./corpus"}},
		// Time to kill is time to the first failure: no shrinking, no fail
		// files written into the module copy.
		Env: []string{"RAPID_NOFAILFILE=1", "RAPID_SHRINKTIME=1ms"},
	}
}

// CampaignKiller is `wskverify run -duration D` with no corpus written.
func CampaignKiller(d time.Duration) Killer {
	return Killer{
		Name:    "campaign",
		Timeout: d + 4*time.Minute,
		Steps: [][]string{
			{"go", "build", "-overlay", "OVERLAY", "-o", "BIN", "./cmd/wskverify"},
			{"BIN", "run", "-duration", d.String(), "-corpus", ""},
		},
	}
}

// Runner runs killers against mutants in a copy of the module.
type Runner struct {
	Module  string // the module copy the killers build (CopyModule)
	Scratch string // where mutated files, overlays and binaries go
	Killer  Killer
}

// Run builds the mutant (not viable when impl does not compile) and runs
// the killer against it.
func (r *Runner) Run(ctx context.Context, m Mutant) Result {
	res := Result{Mutant: m, Killer: r.Killer.Name}
	overlay, err := r.writeOverlay(m)
	if err != nil {
		res.Outcome, res.Detail = NotViable, err.Error()
		return res
	}
	if out, err := r.command(ctx, time.Minute, nil, []string{"go", "build", "-overlay", overlay, "./" + filepath.ToSlash(filepath.Dir(m.File))}); err != nil {
		res.Outcome, res.Detail = NotViable, firstLines(out, 2)
		return res
	}
	start := time.Now()
	kctx, cancel := context.WithTimeout(ctx, r.Killer.Timeout)
	defer cancel()
	bin := filepath.Join(r.Scratch, "killer.bin")
	for _, step := range r.Killer.Steps {
		args := make([]string, len(step))
		for i, a := range step {
			args[i] = strings.NewReplacer("OVERLAY", overlay, "BIN", bin).Replace(a)
		}
		out, err := r.command(kctx, 0, r.Killer.Env, args)
		res.Seconds = time.Since(start).Seconds()
		switch {
		case kctx.Err() != nil:
			res.Outcome, res.Detail = TimedOut, fmt.Sprintf("no verdict within %s", r.Killer.Timeout)
			return res
		case bytes.Contains(out, []byte("panic: test timed out")):
			res.Outcome, res.Detail = TimedOut, "go test -timeout"
			return res
		case err != nil:
			res.Outcome, res.Detail = Killed, verdict(out)
			return res
		}
	}
	res.Outcome = Survived
	return res
}

func (r *Runner) writeOverlay(m Mutant) (string, error) {
	orig := filepath.Join(r.Module, filepath.FromSlash(m.File))
	src, err := os.ReadFile(orig)
	if err != nil {
		return "", fmt.Errorf("mutant %s: %w", m.ID, err)
	}
	mutated := filepath.Join(r.Scratch, "mutant", filepath.Base(m.File))
	if err := os.MkdirAll(filepath.Dir(mutated), 0o755); err != nil {
		return "", fmt.Errorf("mutant %s: %w", m.ID, err)
	}
	if err := os.WriteFile(mutated, m.Apply(src), 0o644); err != nil {
		return "", fmt.Errorf("mutant %s: %w", m.ID, err)
	}
	js, err := json.Marshal(map[string]map[string]string{"Replace": {orig: mutated}})
	if err != nil {
		return "", fmt.Errorf("mutant %s: %w", m.ID, err)
	}
	overlay := filepath.Join(r.Scratch, "overlay.json")
	return overlay, os.WriteFile(overlay, js, 0o644)
}

// command runs args in the module copy, killing its whole process group
// when ctx ends.
func (r *Runner) command(ctx context.Context, timeout time.Duration, env, args []string) ([]byte, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = r.Module
	cmd.Env = append(os.Environ(), env...)
	ownProcessGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil && ctx.Err() != nil {
		err = errors.Join(err, ctx.Err())
	}
	return out.Bytes(), err
}

// verdictLines, in order of preference, find the line of a killer's output
// that says why it failed: the rule broken, a panic, a race, the test.
var verdictLines = []*regexp.Regexp{
	regexp.MustCompile(`[A-Z]+-\d\d[a-z]? violated[^\n]*`),
	regexp.MustCompile(`panic: [^\n]*`),
	regexp.MustCompile(`DATA RACE`),
	regexp.MustCompile(`--- FAIL[^\n]*`),
}

// verdict is the line of a killer's output that says why it failed.
func verdict(out []byte) string {
	for _, re := range verdictLines {
		if m := re.Find(out); m != nil {
			return truncate(string(m))
		}
	}
	return firstLines(out, 1)
}

func firstLines(out []byte, n int) string {
	lines := strings.SplitN(strings.TrimSpace(string(out)), "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return truncate(strings.Join(lines, " / "))
}

func truncate(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

// CopyModule copies the module at src to dst (everything but .git), so
// the killers never build or write in a worktree.
func CopyModule(src, dst string) error {
	if err := os.RemoveAll(dst); err != nil {
		return fmt.Errorf("copy module: %w", err)
	}
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case !d.Type().IsRegular():
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
}
