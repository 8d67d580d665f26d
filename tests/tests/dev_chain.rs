//! A `--dev` node authors and finalizes blocks, and a signed transfer moves balances by the
//! amount and the fee.

use consortia_runtime::{RuntimeEvent, UNIT};
use consortia_tests::{tx, NodeBuilder};
use polkadot_sdk::{pallet_balances, pallet_transaction_payment, sp_keyring::Sr25519Keyring};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(90);

#[tokio::test(flavor = "multi_thread")]
async fn dev_chain_authors_finalizes_and_transfers() {
	let node = NodeBuilder::dev().start().await;

	// Blocks are authored and finalized with no flags beyond `--dev`.
	node.wait_finalized(2, TIMEOUT).await;
	assert!(node.rpc().best_number().await.unwrap() >= 2);
	// The dev chain's only validator builds for most of its slot.
	assert!(node.logged("Building blocks for 90 % of each slot"), "{}", node.log_tail());

	let alice = Sr25519Keyring::Alice;
	let bob = Sr25519Keyring::Bob.to_account_id();
	let amount = 12 * UNIT + 345;

	let genesis = node.rpc().genesis_hash().await;
	let nonce = node.rpc().next_nonce(&alice.to_account_id()).await;
	let from = node.rpc().best_number().await.unwrap();
	let xt = tx::sign(tx::transfer(&bob, amount), &alice.pair(), nonce, genesis);
	let tx_hash = node
		.rpc()
		.submit(&xt)
		.await
		.expect("a valid transfer is accepted");

	let (number, block) = node.wait_finalized_inclusion(&tx_hash, from, TIMEOUT).await;
	let parent = node.rpc().block_hash(number - 1).await.unwrap();

	let events = node.rpc().events(&block).await;
	let fee = events
		.iter()
		.find_map(|event| match event {
			RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid {
					who, actual_fee, ..
				},
			) if *who == alice.to_account_id() => Some(*actual_fee),
			_ => None,
		})
		.expect("the block records the fee Alice paid");
	assert!(fee > 0, "a transfer costs a fee");
	assert!(
		events.iter().any(|event| matches!(
			event,
			RuntimeEvent::Balances(pallet_balances::Event::Transfer { from, to, amount: moved })
				if *from == alice.to_account_id() && *to == bob && *moved == amount
		)),
		"the block records the transfer: {events:?}"
	);

	let alice_before = node
		.rpc()
		.free_balance(&alice.to_account_id(), Some(&parent))
		.await;
	let alice_after = node
		.rpc()
		.free_balance(&alice.to_account_id(), Some(&block))
		.await;
	let bob_before = node.rpc().free_balance(&bob, Some(&parent)).await;
	let bob_after = node.rpc().free_balance(&bob, Some(&block)).await;
	assert_eq!(
		bob_after,
		bob_before + amount,
		"Bob receives exactly the amount"
	);
	assert_eq!(
		alice_after,
		alice_before - amount - fee,
		"Alice pays the amount and the fee"
	);
}
