//! The standard node subcommands work on Consortia's database: `export-blocks`,
//! `import-blocks`, `purge-chain`, and `key`.

use consortia_tests::{node::run_to_completion, NodeBuilder};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn blocks_export_import_and_the_chain_purges() {
	let dir = tempfile::tempdir().unwrap();
	let source = dir.path().join("source");
	let copy = dir.path().join("copy");
	let blocks = dir.path().join("blocks.bin");

	let mut node = NodeBuilder::dev().base_path(&source).start().await;
	let finalized = node.wait_finalized(3, Duration::from_secs(90)).await;
	let hash = node.rpc().block_hash(finalized).await.unwrap();
	node.kill();

	let run = |args: &[&str]| {
		let output = run_to_completion(args);
		assert!(
			output.status.success(),
			"{args:?}: {}",
			String::from_utf8_lossy(&output.stderr)
		);
	};
	let to = finalized.to_string();
	run(&[
		"export-blocks",
		"--dev",
		"--base-path",
		source.to_str().unwrap(),
		"--binary",
		"--to",
		&to,
		blocks.to_str().unwrap(),
	]);
	run(&[
		"import-blocks",
		"--dev",
		"--base-path",
		copy.to_str().unwrap(),
		"--binary",
		blocks.to_str().unwrap(),
	]);

	// The imported copy holds the same chain.
	let node = NodeBuilder::dev().base_path(&copy).start().await;
	assert_eq!(
		node.rpc().block_hash(finalized).await.as_deref(),
		Some(hash.as_str())
	);
	drop(node);

	let database = source.join("chains/consortia_dev/paritydb");
	assert!(
		database.exists(),
		"the node keeps its ParityDB at {}",
		database.display()
	);
	run(&[
		"purge-chain",
		"--dev",
		"--base-path",
		source.to_str().unwrap(),
		"-y",
	]);
	assert!(!database.exists(), "the database is gone");
}

#[test]
fn keys_are_generated_and_inspected() {
	let output = run_to_completion(&[
		"key",
		"generate",
		"--scheme",
		"sr25519",
		"--output-type",
		"json",
	]);
	assert!(output.status.success());
	let key: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
	let phrase = key["secretPhrase"].as_str().expect("a mnemonic");
	assert_eq!(phrase.split_whitespace().count(), 12);

	let output = run_to_completion(&["key", "inspect", "--output-type", "json", phrase]);
	assert!(output.status.success());
	let inspected: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
	assert_eq!(
		inspected["ss58Address"], key["ss58Address"],
		"the same key from the same phrase"
	);
}
