#!/usr/bin/env bash
# How many transfers per second the runtime validates for the pool, and the mempool policy's
# share of that time, under each strategy (consortia-validation-bench; no node needed).
#
#   scripts/bench-validation.sh [consortia-validation-bench options]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo build --release --locked --workspace
for strategy in timeline price score; do
	"$CARGO_TARGET_DIR/release/consortia-validation-bench" --strategy "$strategy" "$@"
	echo
done
