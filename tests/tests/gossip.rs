//! Transaction gossip must never cost a node its peers. Substrate's transactions protocol queues
//! one notification per transaction, and the network closes the whole connection to a peer whose
//! queue overflows (2,048 notifications), blocks and GRANDPA votes included. A node holding more
//! than that used to offer them all at once to a peer that knew none of them, and lost it.
//! The node offers the front of its ready queue at each round instead (node/src/gossip.rs).

use consortia_runtime::{AccountId, UNIT};
use consortia_tests::{params, Node, NodeBuilder};
use polkadot_sdk::sp_core::{sr25519, Pair};
use serde_json::Value;
use std::{path::Path, time::Duration};

/// Well past one notification queue's 2,048.
const WAITING: usize = 3_000;

/// The dev chain, with Alice allowed [`WAITING`] transactions in the pool at once (the policy's
/// default is 100 per sender).
fn spec_with_room(path: &Path) {
	let output = consortia_tests::node::run_to_completion(&[
		"build-spec",
		"--chain",
		"dev",
		"--disable-default-bootnode",
	]);
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let mut spec: Value = serde_json::from_slice(&output.stdout).expect("build-spec prints JSON");
	spec["genesis"]["runtimeGenesis"]["patch"]["mempoolPolicy"]["policy"]["maxPendingPerAccount"] =
		WAITING.into();
	std::fs::write(path, serde_json::to_vec(&spec).unwrap()).unwrap();
}

/// How many transactions the node's pool has ready.
async fn ready(node: &Node) -> usize {
	let pending = node.rpc().expect("author_pendingExtrinsics", params![]).await;
	pending.as_array().map_or(0, Vec::len)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_pool_reaches_a_new_validator_without_closing_the_connection() {
	let dir = tempfile::tempdir().unwrap();
	let spec = dir.path().join("spec.json");
	spec_with_room(&spec);
	// litep2p (the default) names the closing in its log: "notification channel clogged".
	let chain = ["--chain", spec.to_str().unwrap(), "--network-backend", "litep2p"];
	// A node that does not author, so what is submitted to it waits in its pool.
	let holder = NodeBuilder::new().args(chain).start().await;

	let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
	let dest = AccountId::from(sr25519::Pair::from_string("//Gossip", None).unwrap().public());
	let genesis = holder.rpc().genesis_hash().await;
	let transfers: Vec<_> = (0..WAITING as u32)
		.map(|nonce| {
			let call = consortia_tests::tx::transfer(&dest, UNIT);
			consortia_tests::tx::sign(call, &alice, nonce, genesis)
		})
		.collect();
	// In chunks within the RPC server's 100 connections.
	for chunk in transfers.chunks(50) {
		let submitted = futures::future::join_all(chunk.iter().map(|xt| holder.rpc().submit(xt)));
		for result in submitted.await {
			result.expect("the transfer is accepted");
		}
	}
	assert_eq!(ready(&holder).await, WAITING);

	// The chain's only validator joins knowing none of them. Gossip brings them to it, the
	// front of the queue at each round, and it authors them all.
	let address = holder.rpc().p2p_address().await;
	let validator = NodeBuilder::new()
		.args(chain)
		.args(["--alice", "--unsafe-force-node-key-generation", "--bootnodes", address.as_str()])
		.start()
		.await;
	let paid = WAITING as u128 * UNIT;
	holder
		.wait_until("every transfer finalized", Duration::from_secs(120), || async {
			let finalized = holder.rpc().expect("chain_getFinalizedHead", params![]).await;
			let balance = holder.rpc().free_balance(&dest, finalized.as_str()).await;
			(balance == paid).then_some(())
		})
		.await;

	for node in [&holder, &validator] {
		assert!(!node.logged("clogged"), "a connection was closed:\n{}", node.log_tail());
		let health = node.rpc().expect("system_health", params![]).await;
		assert_eq!(health["peers"], 1, "{}", node.log_tail());
	}
}
