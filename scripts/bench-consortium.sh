#!/usr/bin/env bash
# Throughput of a consortium: N validators (default 4) from `consortia consortium init`, all on
# this machine, with consortia-bench submitting pre-signed transfers to validator 0 (funded by
# its organisation's account). Stops the network afterwards; the folder keeps bench.json,
# bench.svg and every validator's log.
#
#   scripts/bench-consortium.sh [OUT_DIR] [consortia-bench options...]
#
# OUT_DIR defaults to bench-results/consortium-<date-time>. VALIDATORS sets N. Options after
# OUT_DIR go to consortia-bench, e.g. `scripts/bench-consortium.sh /tmp/run --transfers 20000`.
# NODE_ARGS adds options to every validator, split at spaces (e.g. NODE_ARGS="--block-proposal-portion 40").
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

out="${1:-bench-results/consortium-$(date +%Y%m%d-%H%M%S)}"
shift || true
n="${VALIDATORS:-4}"
mkdir -p "$out"
cargo build --release --workspace
bin="$CARGO_TARGET_DIR/release"

net=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$net"
}
trap cleanup EXIT INT TERM

# Ports outside the usual 30333/9944, so a node already running here does not collide.
p2p=31333
rpc=19944
"$bin/consortia" consortium init --validators "$n" --out "$net/chain" --p2p-port "$p2p" --rpc-port "$rpc" >/dev/null
for ((i = 0; i < n; i++)); do
	CONSORTIA_BIN="$bin/consortia" "$net/chain/launch.sh" "$i" --no-telemetry --no-mdns --no-prometheus \
		${NODE_ARGS:-} 2>"$out/validator-$i.log" &
	pids+=($!)
done

# Validator 0's RPC, once up.
rpc_port "$out/validator-0.log" "${pids[0]}" >/dev/null

"$bin/consortia-bench" --url "ws://127.0.0.1:$rpc" --node-pid "${pids[0]}" \
	--funder "$(cat "$net/chain/validator-0/secret-phrase")" --out "$out" "$@"
