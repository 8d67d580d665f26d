//! A consortium from `consortia consortium init`: four validators on loopback author in turn and
//! finalize with GRANDPA; one killed, the other three go on and it catches up when restarted;
//! two killed, authoring goes on while finality waits for a third.

use codec::Decode;
use consortia_tests::{
	node::{run_to_completion, Rpc},
	params, Node, NodeBuilder,
};
use polkadot_sdk::sp_runtime::DigestItem;
use serde_json::Value;
use std::{
	path::Path,
	time::{Duration, Instant},
};

const VALIDATORS: u64 = 4;
const TIMEOUT: Duration = Duration::from_secs(120);

/// Starts validator `i` from the init output in `dir`, with `bootnodes`.
async fn start(dir: &Path, i: usize, bootnodes: &[String]) -> Node {
	let mut builder = NodeBuilder::new()
		.base_path(&dir.join(format!("validator-{i}")))
		.args(["--chain", dir.join("chain-spec-raw.json").to_str().unwrap(), "--validator"]);
	for bootnode in bootnodes {
		builder = builder.args(["--bootnodes", bootnode.as_str()]);
	}
	builder.start().await
}

/// The index of the validator that authored block `number`: Aura's slot modulo the set size.
async fn author(rpc: &Rpc, number: u32) -> Option<u64> {
	let hash = rpc.block_hash(number).await?;
	let header = rpc.expect("chain_getHeader", params![hash]).await;
	header["digest"]["logs"].as_array()?.iter().find_map(|log| {
		let bytes = consortia_tests::tx::from_hex(log.as_str()?);
		match DigestItem::decode(&mut &bytes[..]).ok()? {
			DigestItem::PreRuntime(engine, slot) if engine == *b"aura" => {
				Some(u64::decode(&mut &slot[..]).ok()? % VALIDATORS)
			},
			_ => None,
		}
	})
}

/// Waits until a block after `after` authored by validator `who` is on `node`'s best chain.
async fn wait_authored_by(node: &Node, who: u64, after: u32) -> u32 {
	node.wait_until(&format!("a block by validator-{who}"), TIMEOUT, || async {
		let best = node.rpc().best_number().await.ok()?;
		for number in (after + 1)..=best {
			if author(node.rpc(), number).await == Some(who) {
				return Some(number);
			}
		}
		None
	})
	.await
}

fn init(out: &Path, validators: &str) -> std::process::Output {
	run_to_completion(&["consortium", "init", "--validators", validators, "--out", out.to_str().unwrap()])
}

#[test]
fn init_writes_keys_spec_and_launch_script_and_refuses_to_overwrite() {
	let root = tempfile::tempdir().unwrap();
	let dir = root.path().join("net");
	let output = init(&dir, "3");
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

	let spec: Value = serde_json::from_slice(&std::fs::read(dir.join("chain-spec.json")).unwrap()).unwrap();
	let patch = &spec["genesis"]["runtimeGenesis"]["patch"];
	assert_eq!(patch["aura"]["authorities"].as_array().unwrap().len(), 3);
	assert_eq!(patch["grandpa"]["authorities"].as_array().unwrap().len(), 3);
	assert_eq!(patch["balances"]["balances"].as_array().unwrap().len(), 3, "one account per member");
	assert!(spec["genesis"]["runtimeGenesis"].get("code").is_none(), "the editable spec has no code");
	assert!(dir.join("chain-spec-raw.json").exists());
	for i in 0..3 {
		let node = dir.join(format!("validator-{i}"));
		let keystore = node.join("chains/consortium/keystore");
		let mut key_types: Vec<String> = std::fs::read_dir(&keystore)
			.unwrap()
			.map(|entry| entry.unwrap().file_name().to_string_lossy()[..8].to_string())
			.collect();
		key_types.sort();
		// Hex of the key types `aura` and `gran`.
		assert_eq!(key_types, ["61757261", "6772616e"]);
		assert!(node.join("chains/consortium/network/secret_ed25519").exists());
		let phrase = node.join("secret-phrase");
		use std::os::unix::fs::PermissionsExt;
		assert_eq!(std::fs::metadata(&phrase).unwrap().permissions().mode() & 0o777, 0o600);
		assert_eq!(std::fs::read_to_string(&phrase).unwrap().split_whitespace().count(), 12);
	}
	let launch = std::fs::read_to_string(dir.join("launch.sh")).unwrap();
	assert_eq!(launch.matches("--bootnodes /ip4/127.0.0.1/tcp/").count(), 3 * 2, "each node knows the others");

	// Bad input changes nothing.
	let before = std::fs::read(dir.join("chain-spec-raw.json")).unwrap();
	let again = init(&dir, "3");
	assert!(!again.status.success());
	assert!(String::from_utf8_lossy(&again.stderr).contains("is not empty"));
	assert_eq!(std::fs::read(dir.join("chain-spec-raw.json")).unwrap(), before);
	let zero = init(&root.path().join("zero"), "0");
	assert!(!zero.status.success());
	assert!(!root.path().join("zero").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn four_validators_author_finalize_and_survive_faults() {
	let root = tempfile::tempdir().unwrap();
	let dir = root.path().join("net");
	let output = init(&dir, &VALIDATORS.to_string());
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

	// Each node is given every earlier one as a bootnode, so they form a full mesh (a `Live`
	// chain does not pass on private addresses such as loopback through discovery).
	let mut addresses = Vec::new();
	let v0 = start(&dir, 0, &addresses).await;
	addresses.push(v0.rpc().p2p_address().await);
	let v1 = start(&dir, 1, &addresses).await;
	addresses.push(v1.rpc().p2p_address().await);
	let mut v2 = start(&dir, 2, &addresses).await;
	addresses.push(v2.rpc().p2p_address().await);
	let mut v3 = start(&dir, 3, &addresses).await;
	let bootnodes = addresses[..2].to_vec();

	// All four author, and GRANDPA finalizes.
	for who in 0..VALIDATORS {
		wait_authored_by(&v0, who, 0).await;
	}
	v0.wait_finalized(8, TIMEOUT).await;

	// SIGKILL validator 3: the other three hold GRANDPA's 3-of-4 and go on.
	let finalized_before_kill = v3.rpc().finalized_number().await.unwrap();
	let kept_hash = v3.rpc().block_hash(finalized_before_kill).await.unwrap();
	v3.kill();
	let finalized = v0.rpc().finalized_number().await.unwrap();
	v0.wait_finalized(finalized + 5, TIMEOUT).await;

	// Restarted on the same base path, it has kept its chain, catches up and authors again.
	let target = v0.rpc().best_number().await.unwrap();
	let restarted = Instant::now();
	let mut v3 = start(&dir, 3, &bootnodes).await;
	assert_eq!(v3.rpc().block_hash(finalized_before_kill).await, Some(kept_hash), "nothing lost");
	v3.wait_until("validator-3 caught up", TIMEOUT, || async {
		(v3.rpc().best_number().await.ok()? >= target).then_some(())
	})
	.await;
	let caught_up = restarted.elapsed();
	let authored = wait_authored_by(&v0, 3, target).await;
	println!(
		"validator-3 caught up {} blocks in {:.1} s after its restart (RPC up included) and authored block #{authored}",
		target - finalized_before_kill,
		caught_up.as_secs_f64()
	);

	// Two of four down: blocks still come, finality waits.
	v2.kill();
	v3.kill();
	tokio::time::sleep(Duration::from_secs(6)).await;
	let stalled_at = v0.rpc().finalized_number().await.unwrap();
	let best = v0.rpc().best_number().await.unwrap();
	tokio::time::sleep(Duration::from_secs(12)).await;
	assert!(v0.rpc().best_number().await.unwrap() >= best + 3, "validators 0 and 1 keep authoring");
	assert_eq!(v0.rpc().finalized_number().await.unwrap(), stalled_at, "no 3-of-4 supermajority");
	assert_eq!(v1.rpc().finalized_number().await.unwrap(), stalled_at);

	// A third validator back: finality resumes.
	let _v2 = start(&dir, 2, &bootnodes).await;
	v0.wait_finalized(stalled_at + 3, TIMEOUT).await;
}
