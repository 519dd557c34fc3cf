# shellcheck shell=bash
# Shared by scripts/libfuzzer-build (this machine) and
# .clusterfuzzlite/build.sh (ClusterFuzzLite / OSS-Fuzz): turning a native Go
# fuzz target into something go-118-fuzz-build can build. Every function here
# changes the source tree, so it runs in the root of a throwaway copy of the
# module (a temporary directory, or the build container).

# The go-118-fuzz-build tool and its testing shim, pinned together: the shim
# decides how a libFuzzer input becomes the fuzz function's arguments, and
# scripts/libfuzzerprep's seed encoder is written against this version.
GO118_FUZZ_BUILD=github.com/AdamKorcz/go-118-fuzz-build
GO118_FUZZ_BUILD_VERSION=v0.0.0-20250520111509-a70c2aa677fa

# libfuzzer_add_shim: make the shim a requirement of the copy's go.mod (the
# project's own go.mod does not carry it).
libfuzzer_add_shim() {
  GOFLAGS=-mod=mod go get "$GO118_FUZZ_BUILD/testing@$GO118_FUZZ_BUILD_VERSION"
}

# libfuzzer_stage DIR TARGET: write TARGET and the test declarations it
# reaches into a non-test file (scripts/libfuzzerprep stage), set
# LIBFUZZER_PKG to the package path to build, and move DIR's _test.go files
# out of the tree until libfuzzer_unstage: go-118-fuzz-build must see the
# target once, and OSS-Fuzz's compile_native_go_fuzzer greps the package
# directory for exactly one "func TARGET(... testing.F".
libfuzzer_stage() {
  local dir=$1 target=$2 f
  # shellcheck disable=SC2034 # read by the caller
  LIBFUZZER_PKG=$(go run ./scripts/libfuzzerprep stage -scratch -dir "./$dir" -func "$target") || return 1
  LIBFUZZER_DIR=$dir
  LIBFUZZER_STASH=$(mktemp -d)
  for f in "$dir"/*_test.go; do
    if [ -e "$f" ]; then mv "$f" "$LIBFUZZER_STASH/"; fi
  done
}

# libfuzzer_unstage: undo libfuzzer_stage.
libfuzzer_unstage() {
  local dir=${LIBFUZZER_DIR:-} f
  if [ -z "$dir" ]; then return 0; fi
  for f in "$LIBFUZZER_STASH"/*_test.go; do
    if [ -e "$f" ]; then mv "$f" "$dir/"; fi
  done
  rmdir "$LIBFUZZER_STASH"
  rm -rf "$dir"/zz_libfuzzer_*.go "$dir"/libfuzzer_Fuzz*/
  LIBFUZZER_DIR=
}

# libfuzzer_seeds DIR TARGET OUT: convert DIR/testdata/fuzz/TARGET/* (Go's
# "go test fuzz v1" files) into libFuzzer inputs in OUT.
libfuzzer_seeds() {
  local dir=$1 target=$2 out=$3
  mkdir -p "$out"
  go run ./scripts/libfuzzerprep seeds -in "$dir/testdata/fuzz/$target" -out "$out"
}
