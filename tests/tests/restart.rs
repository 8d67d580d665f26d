//! A node killed with SIGKILL resumes from its last finalized block with nothing lost.

use consortia_runtime::UNIT;
use consortia_tests::{tx, NodeBuilder};
use polkadot_sdk::sp_keyring::Sr25519Keyring;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread")]
async fn killed_node_resumes_from_its_finalized_state() {
	let base = tempfile::tempdir().unwrap();
	let mut node = NodeBuilder::dev().base_path(base.path()).start().await;

	let alice = Sr25519Keyring::Alice;
	let dave = Sr25519Keyring::Dave.to_account_id();
	node.wait_finalized(1, TIMEOUT).await;
	let genesis = node.rpc().genesis_hash().await;
	let nonce = node.rpc().next_nonce(&alice.to_account_id()).await;
	let from = node.rpc().best_number().await.unwrap();
	let xt = tx::sign(tx::transfer(&dave, 7 * UNIT), &alice.pair(), nonce, genesis);
	let tx_hash = node.rpc().submit(&xt).await.expect("accepted");
	let (included, _) = node.wait_finalized_inclusion(&tx_hash, from, TIMEOUT).await;

	let finalized = node.rpc().finalized_number().await.unwrap();
	let finalized_hash = node.rpc().block_hash(finalized).await.unwrap();
	let dave_balance = node.rpc().free_balance(&dave, Some(&finalized_hash)).await;
	assert!(finalized >= included);

	node.kill();
	let node = NodeBuilder::dev().base_path(base.path()).start().await;

	// Everything finalized before the kill is still there.
	assert!(
		node.rpc().finalized_number().await.unwrap() >= finalized,
		"finality never goes back"
	);
	assert_eq!(node.rpc().genesis_hash().await, genesis, "the same chain");
	assert_eq!(
		node.rpc().block_hash(finalized).await.as_deref(),
		Some(finalized_hash.as_str())
	);
	assert_eq!(
		node.rpc().free_balance(&dave, Some(&finalized_hash)).await,
		dave_balance
	);
	assert_eq!(
		node.rpc().free_balance(&dave, None).await,
		dave_balance,
		"the transfer persists"
	);
	assert_eq!(
		node.rpc().next_nonce(&alice.to_account_id()).await,
		nonce + 1
	);

	// And the chain goes on from there.
	node.wait_finalized(finalized + 3, TIMEOUT).await;
}
