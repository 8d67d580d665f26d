# Sourced by the other scripts: where cargo builds.
#
# The build lives outside the clone, in one fixed folder, so that every clone on this machine
# (and CI, which builds a fresh clone each run) reuses the same warm build instead of spending
# an hour on a cold one.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/consortia/target}"
export CONSORTIA_BIN="${CONSORTIA_BIN:-$CARGO_TARGET_DIR/release/consortia}"
