//! Bad input gets a clear error and changes nothing.

use codec::Encode;
use consortia_runtime::{Signature, UncheckedExtrinsic, UNIT};
use consortia_tests::{node::run_to_completion, params, tx, NodeBuilder};
use polkadot_sdk::{sp_core::Pair, sp_keyring::Sr25519Keyring};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn malformed_extrinsics_are_refused_and_the_chain_goes_on() {
	let node = NodeBuilder::dev().start().await;
	node.wait_finalized(1, Duration::from_secs(60)).await;

	// Bytes that do not decode as a transaction at all.
	let error = node
		.rpc()
		.call("author_submitExtrinsic", params!["0x0badc0de"])
		.await
		.expect_err("garbage is refused");
	let message = error.to_string().to_lowercase();
	assert!(
		message.contains("could not decode"),
		"the error names the problem: {message}"
	);

	// A well-formed transfer whose signature does not match.
	let alice = Sr25519Keyring::Alice;
	let genesis = node.rpc().genesis_hash().await;
	let nonce = node.rpc().next_nonce(&alice.to_account_id()).await;
	let call = tx::transfer(&Sr25519Keyring::Bob.to_account_id(), UNIT);
	// Charlie signs, but the transaction claims to come from Alice.
	let terms = tx::Terms::immortal(nonce, genesis);
	let charlie_signature = tx::payload(call.clone(), &terms, genesis)
		.using_encoded(|bytes| Sr25519Keyring::Charlie.pair().sign(bytes));
	let forged = UncheckedExtrinsic::new_signed(
		call,
		alice.to_account_id().into(),
		Signature::Sr25519(charlie_signature),
		tx::extension(&terms),
	);
	let error = node
		.rpc()
		.submit(&forged)
		.await
		.expect_err("a bad signature is refused");
	let message = error.to_string().to_lowercase();
	assert!(
		message.contains("bad signature"),
		"the error names the problem: {message}"
	);

	// Neither reached the pool (the validator's own heartbeat may be there), and the chain
	// keeps going.
	let pending = node
		.rpc()
		.expect("author_pendingExtrinsics", params![])
		.await;
	let pending = pending.as_array().expect("a list of extrinsics");
	for refused in ["0x0badc0de".to_string(), tx::hex(&forged)] {
		assert!(
			!pending.iter().any(|xt| xt.as_str() == Some(refused.as_str())),
			"a refused transaction is pooled: {pending:?}"
		);
	}
	let best = node.rpc().best_number().await.unwrap();
	node.wait_finalized(best + 2, Duration::from_secs(60)).await;
	assert_eq!(
		node.rpc().next_nonce(&alice.to_account_id()).await,
		nonce,
		"Alice's nonce is unchanged"
	);
}

/// The pool validates waiting submissions in one runtime call. Bytes that pass the RPC's decoding
/// (a length prefix and a blob) but are no transaction to the runtime would fail that whole
/// call: the pool validates them alone, so the blob is refused with the runtime's error and the
/// transfers submitted beside it are admitted and included.
#[tokio::test(flavor = "multi_thread")]
async fn a_transaction_the_runtime_cannot_decode_fails_alone_in_its_batch() {
	const TRANSFERS: u32 = 32;
	let node = NodeBuilder::dev().prometheus().start().await;
	let start = node.wait_finalized(1, Duration::from_secs(60)).await;
	let alice = Sr25519Keyring::Alice;
	let genesis = node.rpc().genesis_hash().await;
	let nonce = node.rpc().next_nonce(&alice.to_account_id()).await;
	let transfers: Vec<_> = (0..TRANSFERS)
		.map(|i| {
			let call = tx::transfer(&Sr25519Keyring::Bob.to_account_id(), UNIT);
			tx::sign(call, &alice.pair(), nonce + i, genesis)
		})
		.collect();

	let undecodable = "0x10ffffffff";
	let (refused, admitted) = tokio::join!(
		node.rpc().call("author_submitExtrinsic", params![undecodable]),
		futures::future::join_all(transfers.iter().map(|xt| node.rpc().submit(xt))),
	);
	// Substrate's answer: the runtime's validation trapped on input it could not decode.
	let message = refused.expect_err("the blob is refused").to_string().to_lowercase();
	assert!(
		message.contains("verification error") && message.contains("validate_transaction"),
		"the error says validation failed: {message}"
	);
	let hashes: Vec<String> = admitted
		.into_iter()
		.map(|result| result.expect("each transfer is admitted"))
		.collect();

	let validated_alone = node
		.metrics()
		.lines()
		.find(|line| line.starts_with("consortia_txpool_validations_one_by_one_total"))
		.and_then(|line| line.split_whitespace().last()?.parse::<u64>().ok())
		.expect("the node counts validations outside a batch");
	assert_eq!(validated_alone, 1, "only the blob was validated alone");
	node.wait_finalized_inclusion(hashes.last().unwrap(), start, Duration::from_secs(60)).await;
	assert_eq!(node.rpc().next_nonce(&alice.to_account_id()).await, nonce + TRANSFERS);
}

/// A call nested far deeper than the runtime decodes (`sudo(sudo(…(remark)))`, 100,000 levels
/// in 200 KB) is refused, and the node, which looks at submissions before the runtime does,
/// survives it.
#[tokio::test(flavor = "multi_thread")]
async fn a_deeply_nested_call_is_refused_and_the_node_survives() {
	use consortia_runtime::RuntimeCall;
	use polkadot_sdk::{frame_system, pallet_sudo};
	let node = NodeBuilder::dev().start().await;
	node.wait_finalized(1, Duration::from_secs(60)).await;

	let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] }).encode();
	let wrapped = RuntimeCall::Sudo(pallet_sudo::Call::sudo {
		call: Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![] })),
	})
	.encode();
	let level = &wrapped[..wrapped.len() - remark.len()];
	// A bare extrinsic, version 4: the version byte, then the call.
	let mut body = vec![4u8];
	for _ in 0..100_000 {
		body.extend_from_slice(level);
	}
	body.extend_from_slice(&remark);
	let xt = polkadot_sdk::sp_core::bytes::to_hex(&body.encode(), false);

	let error = node
		.rpc()
		.call("author_submitExtrinsic", params![xt])
		.await
		.expect_err("the nested call is refused");
	assert!(error.to_string().to_lowercase().contains("verification error"), "{error}");
	let best = node.rpc().best_number().await.unwrap();
	node.wait_finalized(best + 2, Duration::from_secs(60)).await;
}

/// Starts the node with `--chain <path>` and checks it refuses with a message containing `expected`.
fn assert_chain_refused(path: &std::path::Path, expected: &str) {
	let output = run_to_completion(&["--chain", path.to_str().unwrap(), "--tmp"]);
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(
		!output.status.success(),
		"the node must not start from {}",
		path.display()
	);
	assert!(
		stderr.contains(expected),
		"the message says what is wrong ({expected}): {stderr}"
	);
}

#[test]
fn a_missing_chain_spec_file_is_a_clear_error() {
	let missing = std::path::Path::new("/nonexistent/consortia/spec.json");
	assert_chain_refused(
		missing,
		"cannot read chain-spec file `/nonexistent/consortia/spec.json`",
	);
}

#[test]
fn a_broken_chain_spec_file_is_a_clear_error() {
	let dir = tempfile::tempdir().unwrap();
	for (file, contents, expected) in [
		("not-json.json", "{ \"name\": ", "is not valid JSON"),
		(
			"not-a-spec.json",
			"{ \"name\": 7 }",
			"is not a valid chain spec",
		),
	] {
		let path = dir.path().join(file);
		std::fs::write(&path, contents).unwrap();
		assert_chain_refused(&path, expected);
	}
}

#[test]
fn bad_health_and_authoring_flags_are_refused_before_the_node_starts() {
	for (args, expected) in [
		(["--health-probe", "localhost"], "invalid socket address"),
		(["--health-unhealthy-checks", "0"], "--health-unhealthy-checks"),
		(["--health-check-interval", "0"], "--health-check-interval"),
		(["--block-proposal-portion", "96"], "--block-proposal-portion"),
		(["--block-proposal-portion", "9"], "--block-proposal-portion"),
	] {
		let output = run_to_completion(&[&["--dev", "--tmp"][..], &args[..]].concat());
		assert!(!output.status.success(), "{args:?} is refused");
		let stderr = String::from_utf8_lossy(&output.stderr);
		assert!(stderr.contains(expected), "{args:?}: {stderr}");
	}
}
