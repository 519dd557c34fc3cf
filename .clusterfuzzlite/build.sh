#!/bin/bash -eu
# Builds every native Go fuzz target of the module (scripts/fuzz-targets) as
# a libFuzzer binary in $OUT, with OSS-Fuzz's compile_native_go_fuzzer
# (go-118-fuzz-build, then $CXX $CXXFLAGS $LIB_FUZZING_ENGINE), and ships
# each target's Go seed corpus as $OUT/<fuzzer>_seed_corpus.zip.
#
# Runs in the base-builder-go container, in $SRC/wskverify: a copy of the
# repository, which scripts/lib/libfuzzer.sh may change (it adds the
# go-118-fuzz-build shim to go.mod and stages each target in a non-test
# file; docs/fuzzing-infra.md says why).
#
# Fuzzer names are <package dir>_<Target>, slashes as underscores, e.g.
# wsk_FuzzDecodeSockaddr, fuzz_FuzzWskConnectEx. A target the shim cannot run
# (FuzzStateMachine: rapid.MakeFuzz keeps the standard *testing.T) is
# reported and skipped; the build fails only if no target builds.

# shellcheck source=../scripts/lib/libfuzzer.sh
source scripts/lib/libfuzzer.sh

# The image's go-118-fuzz-build is replaced by the version the shim and the
# seed encoder are pinned to.
go install "$GO118_FUZZ_BUILD@$GO118_FUZZ_BUILD_VERSION"
libfuzzer_add_shim

listing=$(scripts/fuzz-targets)
mapfile -t targets <<<"$listing"
built=0
skipped=()
for line in "${targets[@]}"; do
  read -r pkg target <<<"$line"
  fuzzer="${pkg//\//_}_${target}"
  if ! libfuzzer_stage "$pkg" "$target"; then
    skipped+=("$pkg $target")
    continue
  fi
  compile_native_go_fuzzer "$LIBFUZZER_PKG" "$target" "$fuzzer"
  libfuzzer_unstage
  built=$((built + 1))

  # testdata/fuzz/<Target>/* are "go test fuzz v1" text; the binary reads
  # its arguments from raw bytes through the shim, so they are converted
  # (scripts/libfuzzerprep seeds; f.Add seeds do not reach libFuzzer).
  seeds="$WORK/seeds/$fuzzer"
  libfuzzer_seeds "$pkg" "$target" "$seeds"
  if [ -n "$(ls -A "$seeds")" ]; then
    (cd "$seeds" && zip -q -r "$OUT/${fuzzer}_seed_corpus.zip" .)
  fi
done

echo "built $built libFuzzer targets"
for s in "${skipped[@]+"${skipped[@]}"}"; do
  echo "skipped (not buildable with go-118-fuzz-build): $s"
done
[ "$built" -gt 0 ]
