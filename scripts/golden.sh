#!/usr/bin/env bash
# Regenerates Fixtures/golden/ from the current build: run it when an output changes
# on purpose, then read `git diff Fixtures/golden` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
FABRICSCOPE_UPDATE_GOLDEN=1 swift test --disable-swift-testing --explicit-target-dependency-import-check error --filter GoldenOutputTests
git status --short Fixtures/golden
