#!/usr/bin/env bash
# Measures the weights of Consortia's own pallets on this machine with frame-benchmarking and
# rewrites each pallet's src/weights.rs. Then rebuilds the normal node, so the binary in the build
# folder has no benchmark API again.
#
#   scripts/benchmark-pallets.sh [pallet-dir ...]     (default: every pallet under pallets/)
#
# Takes a feature build of the node (about half an hour cold on 2 cores) and a few minutes per
# pallet. The figures each run printed are kept in bench-results/weights/<pallet>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

pallets=("$@")
if [ ${#pallets[@]} -eq 0 ]; then
	pallets=(pallets/*/)
fi

# frame-benchmarking-cli's storage-access test runtime cannot build its Wasm as a registry
# dependency (substrate-wasm-builder looks for it in our workspace); only `benchmark storage
# --mode validate-block` (parachains) uses it.
SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
	cargo build --release --locked -p consortia-node --features runtime-benchmarks
bin="$CARGO_TARGET_DIR/release/consortia"
mkdir -p bench-results/weights

for dir in "${pallets[@]}"; do
	dir="${dir%/}"
	name="pallet_$(basename "$dir" | tr - _)"
	echo "== $name"
	"$bin" benchmark pallet \
		--chain dev \
		--pallet "$name" \
		--extrinsic '*' \
		--steps 50 \
		--repeat 20 \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template scripts/weight-template.hbs \
		--output "$dir/src/weights.rs" | tee "bench-results/weights/$name.txt"
done

cargo build --release --locked --workspace
