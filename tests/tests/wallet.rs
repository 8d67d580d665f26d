//! The node wallet through the real binary: `wallet_*` RPC on a dev node (create, lock, a
//! refused transfer, a wrong password, unlock, a finalized `wallet_transfer`, a file with no
//! secret in clear, a crash), its refusal under `--rpc-methods safe`, the `consortia wallet`
//! commands, and `consortia key` with SM2.

use codec::Decode;
use consortia_primitives::{sm2, Scheme, Signature};
use consortia_runtime::{pallet_wallet, AccountId, RuntimeEvent, UNIT};
use consortia_tests::{node::run_to_completion, params, Node, NodeBuilder};
use jsonrpsee::core::client::Error as RpcError;
use polkadot_sdk::{
	sp_core::{crypto::Ss58Codec, Pair},
	sp_io::hashing::blake2_256,
	sp_keyring::Sr25519Keyring,
	sp_runtime::traits::Verify,
};
use serde_json::Value;
use std::{path::Path, time::Duration};

const TIMEOUT: Duration = Duration::from_secs(90);
const PASSWORD: &str = "correct horse battery";

/// The JSON-RPC error code and message of a failed call.
fn error(result: Result<Value, RpcError>) -> (i32, String) {
	match result {
		Err(RpcError::Call(error)) => (error.code(), error.message().to_owned()),
		other => panic!("expected a JSON-RPC error, got {other:?}"),
	}
}

fn account(address: &Value) -> AccountId {
	AccountId::from_ss58check(address.as_str().expect("an address")).expect("an SS58 address")
}

/// Submits a `wallet_transfer` and waits until it is finalized; returns the block's events.
async fn transfer(
	node: &Node,
	from: &Value,
	to: &AccountId,
	amount: u128,
	memo: Option<&str>,
) -> Vec<RuntimeEvent> {
	let start = node.rpc().best_number().await.unwrap();
	let hash = node
		.rpc()
		.expect(
			"wallet_transfer",
			params![from, to.to_ss58check(), amount, memo],
		)
		.await;
	let (_, block) = node
		.wait_finalized_inclusion(hash.as_str().expect("a hash"), start, TIMEOUT)
		.await;
	node.rpc().events(&block).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wallet_creates_locks_unlocks_and_transfers() {
	let base = tempfile::tempdir().unwrap();
	let mut node = NodeBuilder::dev().base_path(base.path()).start().await;
	let rpc = node.rpc();

	// A new wallet has no password; nothing is created before one is set.
	let status = rpc.expect("wallet_status", params![]).await;
	assert_eq!(status["hasPassword"], false);
	let (code, message) = error(rpc.call("wallet_createAccount", params!["sm2"]).await);
	assert_eq!(code, 7003, "{message}");
	rpc.expect("wallet_setPassword", params![None::<String>, PASSWORD])
		.await;
	let status = rpc.expect("wallet_unlock", params![PASSWORD, 0]).await;
	assert_eq!(
		(status["locked"].clone(), status["locksInSecs"].clone()),
		(false.into(), Value::Null)
	);

	let created = rpc
		.expect("wallet_createAccount", params!["sm2", "operations"])
		.await;
	let sm2_address = created["address"].clone();
	let mnemonic = created["mnemonic"].as_str().unwrap().to_owned();
	assert_eq!(created["scheme"], "sm2");
	let sm2_pair = sm2::Pair::from_phrase(&mnemonic, None).unwrap().0;
	assert_eq!(account(&sm2_address), sm2::account_id(&sm2_pair.public()));
	let alice = rpc
		.expect(
			"wallet_importSecret",
			params!["sr25519", "//Alice", "alice"],
		)
		.await;
	assert_eq!(
		account(&alice["address"]),
		Sr25519Keyring::Alice.to_account_id()
	);
	let accounts = rpc.expect("wallet_listAccounts", params![]).await;
	assert_eq!(accounts.as_array().unwrap().len(), 2);

	// Alice's wallet account funds the SM2 one.
	transfer(
		&node,
		&alice["address"],
		&account(&sm2_address),
		100 * UNIT,
		None,
	)
	.await;
	assert_eq!(
		rpc.free_balance(&account(&sm2_address), None).await,
		100 * UNIT
	);

	// Locked: the transfer is refused and nothing is submitted.
	let bob = Sr25519Keyring::Bob.to_account_id();
	rpc.expect("wallet_lock", params![]).await;
	let (code, message) = error(
		rpc.call(
			"wallet_transfer",
			params![&sm2_address, bob.to_ss58check(), UNIT],
		)
		.await,
	);
	assert_eq!(code, 7001, "{message}");
	assert!(message.contains("locked"), "{message}");
	assert_eq!(rpc.next_nonce(&account(&sm2_address)).await, 0);

	// A wrong password is refused and the wallet stays locked.
	let (code, message) = error(
		rpc.call("wallet_unlock", params!["wrong password", 60])
			.await,
	);
	assert_eq!((code, message.as_str()), (7002, "wrong password"));
	assert_eq!(rpc.expect("wallet_status", params![]).await["locked"], true);
	let (code, _) = error(
		rpc.call(
			"wallet_setPassword",
			params!["wrong password", "another password"],
		)
		.await,
	);
	assert_eq!(code, 7002);

	// Unlocked for a minute: the SM2 account's transfer with a memo is finalized.
	let status = rpc.expect("wallet_unlock", params![PASSWORD, 60]).await;
	assert!(status["locksInSecs"].as_u64().unwrap() <= 60);
	let bob_before = rpc.free_balance(&bob, None).await;
	let events = transfer(&node, &sm2_address, &bob, 7 * UNIT, Some("invoice 7")).await;
	assert!(
		events.iter().any(|event| matches!(
			event,
			RuntimeEvent::Wallet(pallet_wallet::Event::Transfer { from, to, amount, memo })
				if *from == account(&sm2_address) && *to == bob && *amount == 7 * UNIT
					&& &memo[..] == b"invoice 7"
		)),
		"the SM2 account's transfer is in the finalized block: {events:?}"
	);
	assert_eq!(rpc.free_balance(&bob, None).await, bob_before + 7 * UNIT);

	// `wallet_sign` signs in the account's scheme.
	let signature = rpc
		.expect("wallet_sign", params![&sm2_address, "0x01020304"])
		.await;
	let signature =
		Signature::decode(&mut &consortia_tests::tx::from_hex(signature.as_str().unwrap())[..])
			.unwrap();
	assert_eq!(signature.scheme(), Scheme::Sm2);
	assert!(signature.verify(&[1u8, 2, 3, 4][..], &account(&sm2_address)));

	// The file holds no secret in clear: not the words, the SM2 scalar or the password.
	let file = base.path().join("chains/consortia_dev/wallet/wallet.json");
	let text = std::fs::read_to_string(&file).unwrap();
	assert!(
		text.contains(sm2_address.as_str().unwrap()),
		"the file is the wallet's"
	);
	let seed = hex(&sm2_pair.seed());
	for secret in [&seed[..], &mnemonic[..], PASSWORD] {
		assert!(!text.contains(secret), "the file holds {secret} in clear");
	}
	// Nor any two of the phrase's words in a row (a single word may be a JSON key: "address").
	let words: Vec<&str> = mnemonic.split(' ').collect();
	for pair in words.windows(2) {
		assert!(!text.contains(&pair.join(" ")), "the file holds {pair:?}");
	}

	// Killed and restarted on the same base path: the accounts are there and unlock.
	node.kill();
	let node = NodeBuilder::dev().base_path(base.path()).start().await;
	let rpc = node.rpc();
	assert_eq!(rpc.expect("wallet_status", params![]).await["locked"], true);
	assert_eq!(rpc.expect("wallet_listAccounts", params![]).await, accounts);
	rpc.expect("wallet_unlock", params![PASSWORD]).await;
	rpc.expect("wallet_sign", params![&sm2_address, "0x00"])
		.await;
}

fn hex(bytes: &[u8]) -> String {
	polkadot_sdk::sp_core::bytes::to_hex(bytes, false)[2..].to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn wallet_methods_are_refused_on_a_safe_rpc() {
	let node = NodeBuilder::dev()
		.args(["--rpc-methods", "safe"])
		.start()
		.await;
	for (method, params) in [
		("wallet_status", params![]),
		("wallet_setPassword", params![None::<String>, PASSWORD]),
		("wallet_listAccounts", params![]),
	] {
		let (code, message) = error(node.rpc().call(method, params).await);
		assert_eq!(code, -32601, "{method}: {message}");
		assert!(message.contains("unsafe"), "{method}: {message}");
	}
	// Safe methods still answer.
	node.rpc().expect("system_health", params![]).await;
}

fn consortia(args: &[&str]) -> std::process::Output {
	let output = run_to_completion(args);
	assert!(
		output.status.success(),
		"consortia {args:?} failed: {}",
		String::from_utf8_lossy(&output.stderr)
	);
	output
}

fn wallet_args<'a>(base: &'a Path, args: &[&'a str]) -> Vec<&'a str> {
	let mut all = vec![
		"wallet",
		"--chain",
		"dev",
		"--base-path",
		base.to_str().unwrap(),
	];
	all.extend_from_slice(args);
	all
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wallet_command_prepares_what_the_node_serves() {
	let base = tempfile::tempdir().unwrap();
	let password_file = base.path().join("password");
	std::fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
	let password_file = password_file.to_str().unwrap();

	consortia(&wallet_args(
		base.path(),
		&["set-password", "--new-password-filename", password_file],
	));
	let output = consortia(&wallet_args(
		base.path(),
		&[
			"import",
			"--scheme",
			"sm2",
			"--suri",
			"//Alice",
			"--label",
			"sm2-alice",
			"--password-filename",
			password_file,
		],
	));
	let imported: Value = serde_json::from_slice(&output.stdout).unwrap();
	let alice = sm2::Pair::from_string("//Alice", None).unwrap().public();
	assert_eq!(account(&imported["address"]), sm2::account_id(&alice));

	// A wrong password changes nothing.
	let wallet_file = base.path().join("chains/consortia_dev/wallet/wallet.json");
	let before = std::fs::read(&wallet_file).unwrap();
	let wrong = base.path().join("wrong");
	std::fs::write(&wrong, "not the password").unwrap();
	let output = run_to_completion(&wallet_args(
		base.path(),
		&[
			"import",
			"--scheme",
			"ed25519",
			"--suri",
			"//Bob",
			"--password-filename",
			wrong.to_str().unwrap(),
		],
	));
	assert!(!output.status.success());
	assert!(String::from_utf8_lossy(&output.stderr).contains("wrong password"));
	assert_eq!(std::fs::read(&wallet_file).unwrap(), before);

	// A node on the same base path serves the account; the command keeps off a wallet in use.
	let node = NodeBuilder::dev().base_path(base.path()).start().await;
	let accounts = node.rpc().expect("wallet_listAccounts", params![]).await;
	assert_eq!(accounts, Value::Array(vec![imported.clone()]));
	let output = run_to_completion(&wallet_args(base.path(), &["list"]));
	assert!(!output.status.success());
	assert!(String::from_utf8_lossy(&output.stderr).contains("open in another process"));
	drop(node);

	let output = consortia(&wallet_args(base.path(), &["list"]));
	let listed: Value = serde_json::from_slice(&output.stdout).unwrap();
	assert_eq!(listed, accounts);
}

#[test]
fn sm2_keys_are_generated_and_inspected_like_the_others() {
	let output = consortia(&[
		"key",
		"generate",
		"--scheme",
		"sm2",
		"--output-type",
		"json",
	]);
	let key: Value = serde_json::from_slice(&output.stdout).unwrap();
	let phrase = key["secretPhrase"].as_str().expect("a mnemonic");
	let pair = sm2::Pair::from_phrase(phrase, None).unwrap().0;
	let public = polkadot_sdk::sp_core::bytes::to_hex(pair.public().as_ref(), false);
	assert_eq!(key["publicKey"], public.as_str());
	assert_eq!(
		key["secretSeed"],
		format!("0x{}", hex(&pair.seed())).as_str()
	);
	// The SM2 account rule: blake2-256 of "sm2:" and the compressed key.
	let account_id = blake2_256(&[&b"sm2:"[..], pair.public().as_ref()].concat());
	assert_eq!(key["accountId"], format!("0x{}", hex(&account_id)).as_str());
	assert_eq!(
		key["ss58Address"],
		AccountId::from(account_id).to_ss58check().as_str()
	);

	let output = consortia(&[
		"key",
		"inspect",
		"--scheme",
		"sm2",
		"--output-type",
		"json",
		phrase,
	]);
	let inspected: Value = serde_json::from_slice(&output.stdout).unwrap();
	assert_eq!(inspected["ss58Address"], key["ss58Address"]);
	let output = consortia(&[
		"key",
		"inspect",
		"--scheme",
		"sm2",
		"--public",
		"--output-type",
		"json",
		&public,
	]);
	let inspected: Value = serde_json::from_slice(&output.stdout).unwrap();
	assert_eq!(inspected["ss58Address"], key["ss58Address"]);
	let output = consortia(&["key", "inspect", "--scheme", "sm2", "//Alice"]);
	let text = String::from_utf8_lossy(&output.stdout);
	assert!(
		text.contains("Secret Key URI `//Alice` is account:"),
		"{text}"
	);
	assert!(text.contains("SS58 Address:"), "{text}");

	// The other schemes are Substrate's, unchanged.
	let output = consortia(&[
		"key",
		"inspect",
		"--scheme",
		"ecdsa",
		"--output-type",
		"json",
		"//Alice",
	]);
	let inspected: Value = serde_json::from_slice(&output.stdout).unwrap();
	assert_eq!(inspected["publicKey"].as_str().unwrap().len(), 2 + 66);
	let output = run_to_completion(&["key", "generate", "--scheme", "sm3"]);
	assert!(!output.status.success());
}
