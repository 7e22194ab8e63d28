#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz-packets, fuzz-summary) with coverage and
# AddressSanitizer into .build-fuzz/. `-sanitize=fuzzer,address` must reach swiftc as
# ONE flag: passed as two, coverage instrumentation is silently dropped and the
# fuzzer runs blind. -D FUZZING swaps the replay `main` for libFuzzer's driver. The
# link goes through the toolchain's lld (lld-toolset.json): Debian's gold stops with an
# internal error on libFuzzer's archive.
set -euo pipefail
cd "$(dirname "$0")/../.."
for product in fuzz-packets fuzz-summary; do
  swift build -c release --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING  --toolset scripts/fuzz/lld-toolset.json --product "$product" >&2
done
echo .build-fuzz/release
