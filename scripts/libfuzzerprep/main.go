// Command libfuzzerprep prepares the module's native Go fuzz targets for a
// libFuzzer build with go-118-fuzz-build (scripts/libfuzzer-build locally,
// .clusterfuzzlite/build.sh in ClusterFuzzLite and OSS-Fuzz).
//
// go-118-fuzz-build compiles only non-test files, rewrites the "testing"
// import of the one file that declares the target, and cannot build a
// target declared in an external test package (package foo_test). The stage
// subcommand therefore gathers the target and every test-file declaration it
// reaches into one non-test file of its own; seeds converts the Go seed
// corpus (testdata/fuzz/<Target>/*, "go test fuzz v1") into the byte
// stream the libFuzzer binary decodes its arguments from; gofile turns a
// libFuzzer input (a crash) back into a Go corpus file for go test.
//
//	libfuzzerprep stage -scratch -dir ./fuzz -func FuzzWskSocket
//	libfuzzerprep seeds -in fuzz/testdata/fuzz/FuzzWskSocket -out corpus/
//	libfuzzerprep gofile -dir ./fuzz -func FuzzWskSocket -in crash-1234 \
//	    -out fuzz/testdata/fuzz/FuzzWskSocket
//
// stage writes into the source tree, so it runs only on a throwaway copy
// (-scratch says the caller made one); it prints the directory to build.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "libfuzzerprep:", err)
		os.Exit(1)
	}
}

// run dispatches a subcommand; it is main without the exit, for tests.
func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: libfuzzerprep stage|seeds|gofile [flags]")
	}
	switch args[0] {
	case "stage":
		return runStage(args[1:], stdout, stderr)
	case "seeds":
		return runSeeds(args[1:], stdout, stderr)
	case "gofile":
		return runGoFile(args[1:], stdout, stderr)
	default:
		return fmt.Errorf("unknown subcommand %q (want stage, seeds or gofile)", args[0])
	}
}

func runStage(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("stage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "package directory holding the fuzz target")
	target := fs.String("func", "", "fuzz target name, e.g. FuzzDecodeSockaddr")
	scratch := fs.Bool("scratch", false, "confirm that -dir lies in a throwaway copy of the module")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *target == "" {
		return fmt.Errorf("stage: -dir and -func are required")
	}
	if !*scratch {
		return fmt.Errorf("stage: writes into the source tree; run it on a copy and pass -scratch")
	}
	staged, err := stage(*dir, *target, goListNames(*dir))
	if err != nil {
		return fmt.Errorf("stage %s %s: %w", *dir, *target, err)
	}
	fmt.Fprintln(stdout, staged)
	return nil
}

func runSeeds(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seeds", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "Go seed corpus directory (testdata/fuzz/<Target>)")
	out := fs.String("out", "", "directory to write libFuzzer inputs to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return fmt.Errorf("seeds: -in and -out are required")
	}
	sum, err := convertSeeds(*in, *out)
	if err != nil {
		return fmt.Errorf("seeds %s: %w", *in, err)
	}
	fmt.Fprintf(stdout, "seeds %s: %d converted, %d skipped\n", *in, sum.converted, len(sum.skipped))
	for _, s := range sum.skipped {
		fmt.Fprintf(stdout, "  skipped %s\n", s)
	}
	return nil
}

func runGoFile(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gofile", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "package directory holding the fuzz target")
	target := fs.String("func", "", "fuzz target name")
	in := fs.String("in", "", "libFuzzer input file, e.g. a crash-<sha1> artifact")
	out := fs.String("out", "", "directory for the Go corpus file (<dir>/testdata/fuzz/<Target> to replay it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *target == "" || *in == "" || *out == "" {
		return fmt.Errorf("gofile: -dir, -func, -in and -out are required")
	}
	name, err := libFuzzerToGo(*dir, *target, *in, *out)
	if err != nil {
		return fmt.Errorf("gofile %s: %w", *in, err)
	}
	fmt.Fprintln(stdout, name)
	return nil
}
