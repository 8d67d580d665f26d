#!/usr/bin/env bash
# Installs what building and testing Consortia needs and is missing on this machine:
# Debian build packages (protoc, a C/C++ toolchain, perl, make), the Rust toolchain parts named
# in rust-toolchain.toml (wasm32v1-none, rust-src), and the npm packages of tests/js.
# Safe to run again: it installs only what is missing.
# `--no-js` skips the npm packages (enough to build and run a node).
set -euo pipefail
cd "$(dirname "$0")/.."
with_js=1
[ "${1:-}" = "--no-js" ] && with_js=0

say() { printf '==> %s\n' "$*" >&2; }

missing=()
command -v protoc >/dev/null || missing+=(protobuf-compiler)
command -v cc >/dev/null || missing+=(gcc)
command -v c++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v perl >/dev/null || missing+=(perl)
command -v git >/dev/null || missing+=(git)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if ((with_js)); then
	command -v node >/dev/null || missing+=(nodejs)
	command -v npm >/dev/null || missing+=(npm)
fi
if ((${#missing[@]})); then
	say "installing Debian packages: ${missing[*]}"
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || { echo "missing ${missing[*]}: run this as root, or install them" >&2; exit 1; }
		sudo="sudo"
	fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
	echo "Rust is not installed: install rustup (https://rustup.rs), then run this again." >&2
	exit 1
fi
# rustup reads rust-toolchain.toml here and installs its toolchain, targets and components.
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
rustup target list --installed | grep -qx wasm32v1-none || rustup target add wasm32v1-none
rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src

((with_js)) || exit 0
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
	echo "the polkadot.js tests need Node.js 20 or newer; this machine has $(node --version)" >&2
	exit 1
fi
if [ ! -d tests/js/node_modules ] || [ tests/js/package-lock.json -nt tests/js/node_modules ]; then
	say "installing the polkadot.js test packages (npm ci)"
	(cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
fi
