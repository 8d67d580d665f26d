#!/usr/bin/env bash
# Measures what reading and writing a storage item costs the node's ParityDB on this machine,
# for the runtime's `DbWeight` (runtime/src/configs/system.rs).
#
#   scripts/benchmark-storage.sh [ACCOUNTS]      (default: 20000)
#
# Builds the node, grows a dev chain's state to ACCOUNTS funded accounts with consortia-bench,
# stops it, then measures every key of that state with a `runtime-benchmarks` build of the node
# (`benchmark storage`): reads one by one, writes committed in batches of 100 and of 1,000. The
# figures go to bench-results/weights/storage.txt; the runtime takes the 99th percentiles of
# reads and of writes in batches of 100, rounded up to the microsecond. Rebuilds the normal node
# at the end. Takes a feature build (about half an hour cold on 2 cores) and a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
accounts="${1:-20000}"

work=$(mktemp -d)
node_pid=""
cleanup() {
	[ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

cargo build --release --locked --workspace
bin="$CARGO_TARGET_DIR/release"
# The feature build below replaces the node binary; the chain is grown with this one.
cp "$bin/consortia" "$work/consortia"

"$work/consortia" --dev --base-path "$work/chain" --rpc-port 0 --no-prometheus --no-telemetry \
	--no-mdns 2>"$work/node.log" &
node_pid=$!
port=$(rpc_port "$work/node.log" "$node_pid")
"$bin/consortia-bench" --url "ws://127.0.0.1:$port" --out "$work" --accounts "$accounts" \
	--transfers "$accounts"
kill "$node_pid"
wait "$node_pid" 2>/dev/null || true
node_pid=""

# frame-benchmarking-cli's storage-access test runtime serves only `--mode validate-block`
# (parachains); its Wasm cannot build as a registry dependency.
SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
	cargo build --release --locked -p consortia-node --features runtime-benchmarks
mkdir -p bench-results/weights
for batch in 100 1000; do
	echo "== $accounts accounts, writes committed in batches of $batch"
	"$bin/consortia" benchmark storage --chain dev --base-path "$work/chain" --db paritydb \
		--state-version 1 --batch-size "$batch" --weight-path "$work" 2>&1
done | tee bench-results/weights/storage.txt

cargo build --release --locked --workspace
