#!/usr/bin/env bash
# Rewrites chain-specs/*.json from the runtime's genesis presets, after a deliberate preset
# change. tests/tests/chain_specs.rs fails until the committed specs match again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo build --release --locked --workspace
UPDATE_CHAIN_SPECS=1 cargo test --release --locked --workspace --test chain_specs \
	committed_specs_match_the_runtime_presets
git status --short chain-specs
