#!/usr/bin/env bash
# Sets up a fresh machine, builds everything, and runs every test: the runtime and node tests
# (cargo) and the polkadot.js tests (node's test runner), all against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

# One build of the whole workspace in the release profile: the node tests start the release
# binary, and building every crate together keeps one feature set, so nothing builds twice.
cargo build --release --locked --workspace
cargo test --release --locked --workspace

(cd tests/js && npm test)
