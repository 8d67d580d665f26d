//! The specs in `chain-specs/` launch chains, and they match the runtime's presets.
//!
//! The committed specs carry no runtime code (the node fills in its own), so they cannot go
//! stale as the runtime changes; what can drift is the genesis they describe. This test
//! regenerates each from its preset and compares. After a deliberate preset change, rewrite
//! them with `scripts/update-chain-specs.sh`.

use consortia_tests::{node::run_to_completion, NodeBuilder};
use serde_json::Value;
use std::{path::PathBuf, time::Duration};

/// Each committed spec and the built-in chain it is generated from.
const SPECS: [(&str, &str); 3] = [
	("dev.json", "dev"),
	("local.json", "local"),
	("consortium-template.json", "consortium"),
];

fn spec_dir() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../chain-specs")
}

fn build_spec(chain: &str, raw: bool) -> Value {
	let mut args = vec!["build-spec", "--chain", chain, "--disable-default-bootnode"];
	if raw {
		args.push("--raw");
	}
	let output = run_to_completion(&args);
	assert!(
		output.status.success(),
		"build-spec --chain {chain}: {}",
		String::from_utf8_lossy(&output.stderr)
	);
	serde_json::from_slice(&output.stdout).expect("build-spec prints JSON")
}

#[test]
fn committed_specs_match_the_runtime_presets() {
	let update = std::env::var_os("UPDATE_CHAIN_SPECS").is_some();
	for (file, chain) in SPECS {
		let mut expected = build_spec(chain, false);
		let genesis = expected["genesis"]["runtimeGenesis"]
			.as_object_mut()
			.expect("a runtime genesis");
		genesis
			.remove("code")
			.expect("build-spec embeds the code, which the committed spec leaves out");
		let expected = serde_json::to_string_pretty(&expected).unwrap() + "\n";

		let path = spec_dir().join(file);
		if update {
			std::fs::write(&path, &expected).unwrap();
			continue;
		}
		let committed = std::fs::read_to_string(&path).unwrap_or_default();
		assert!(
			committed == expected,
			"chain-specs/{file} no longer matches the `{chain}` preset; if the preset changed on \
			 purpose, run scripts/update-chain-specs.sh"
		);
	}
}

#[test]
fn committed_specs_build_a_raw_genesis() {
	for (file, _) in SPECS {
		let path = spec_dir().join(file);
		let raw = build_spec(path.to_str().unwrap(), true);
		let top = raw["genesis"]["raw"]["top"]
			.as_object()
			.expect("a raw genesis");
		// `:code` is the runtime the node filled in.
		assert!(
			top.contains_key("0x3a636f6465"),
			"{file}: the raw genesis holds the runtime"
		);
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chain_launches_from_a_spec_file() {
	let spec = spec_dir().join("dev.json");
	let node = NodeBuilder::new()
		// A validator outside `--dev` needs a network key; let the node make one.
		.args(["--chain", spec.to_str().unwrap(), "--alice", "--unsafe-force-node-key-generation"])
		.start()
		.await;
	node.wait_finalized(2, Duration::from_secs(90)).await;
	let name = node
		.rpc()
		.expect("system_chain", consortia_tests::params![])
		.await;
	assert_eq!(name, "Consortia Development");
}
