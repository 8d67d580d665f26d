#!/usr/bin/env bash
# Sets up a fresh machine, builds the node, and runs a single-node development chain.
# Extra arguments go to the node, e.g. `scripts/run-dev.sh --rpc-port 9955`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-js
source scripts/env.sh
cargo build --release --locked --workspace
exec "$CONSORTIA_BIN" --dev "$@"
