package campaign

import (
	"time"

	"github.com/wskverify/wskverify/harness"
	"github.com/wskverify/wskverify/properties"
)

// Failure is one failing run: the seed that draws it again, the rule it
// broke (from the violation value, never from text), the minimised
// script and the reproduction file written for it, with what the
// minimising and the confirming replays gave.
type Failure struct {
	// Seed draws the run again: wskverify run -seed Seed starts with it.
	Seed uint64 `json:"seed"`
	// Rule is the rule the run broke; "" when the run ended on something
	// that is not a provider verdict (Error says what).
	Rule      string `json:"rule,omitempty"`
	Violation string `json:"violation,omitempty"`
	Error     string `json:"error,omitempty"`
	// Report is the WSK call trace with the violation: of the minimised
	// script's last replay when there is one, else of the failing run.
	Report string `json:"report"`
	// Script is the minimised script (the failing run's when it could not
	// be minimised, or when an earlier failure of the campaign broke the
	// same rule: only a rule's first failure is minimised), in the text
	// format of reproduction files.
	Script string `json:"script,omitempty"`
	// File is the reproduction file written for the failure ("" when none
	// was: no corpus directory, or the rule already had one).
	File string `json:"file,omitempty"`
	// FoundSteps and Steps count the steps of the failing run and of the
	// minimised script's replay (harness.TraceSteps).
	FoundSteps int `json:"found_steps"`
	Steps      int `json:"steps"`
	// Reproduced of Replays confirming replays of the minimised script
	// broke the same rule.
	Reproduced int `json:"reproduced"`
	Replays    int `json:"replays"`
	// FoundAfter is the time from the campaign's start to the end of the
	// failing run; Minimised the time minimising and confirming took.
	FoundAfter time.Duration `json:"-"`
	Minimised  time.Duration `json:"-"`
	FoundMS    int64         `json:"found_ms"`
	MinimiseMS int64         `json:"minimise_ms"`
	// Found is the failing run as the harness gave it.
	Found *harness.Failure `json:"-"`
	// confirming is how long the confirming replays took.
	confirming time.Duration
}

func newFailure(seed uint64, hf *harness.Failure, since time.Duration) Failure {
	f := Failure{Seed: seed, Rule: hf.Rule(), Found: hf, FoundSteps: hf.Steps(), FoundAfter: since, FoundMS: since.Milliseconds(),
		Report: properties.Report(hf.Trace, hf.Violation), Script: harness.FormatScript(hf.Script)}
	if hf.Violation != nil {
		f.Violation = hf.Violation.Error()
	} else {
		f.Error = hf.Error()
	}
	return f
}
