//! Health on real nodes: heartbeats and the chain's liveness table on a 3-validator network
//! with a killed validator, the `health_status` RPC, and the probe port opening and closing
//! with the node's peers.

use consortia_tests::{
	node::{run_to_completion, HealthReport},
	params, Node, NodeBuilder,
};
use polkadot_sdk::{
	sp_core::crypto::Ss58Codec,
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};
use serde_json::{json, Value};
use std::{
	net::{SocketAddr, TcpListener, TcpStream},
	path::Path,
	time::{Duration, Instant},
};

const TIMEOUT: Duration = Duration::from_secs(120);

/// A loopback address no one listens on now, below Linux's ephemeral range (32768-60999) so
/// that no node's outgoing connection or `:0` listener takes it while the probe is closed.
fn free_address() -> SocketAddr {
	// Tests in this binary run in parallel: each call takes its own stride of candidates.
	static CALLS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
	let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
	let seed = std::process::id() ^ std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
	(0..2_000u32)
		.map(|i| seed.wrapping_add(call * 6_000 + i * 7) % 12_000)
		.map(|offset| SocketAddr::from(([127, 0, 0, 1], 20_000 + offset as u16)))
		.find(|address| TcpListener::bind(address).is_ok())
		.expect("a free port between 20000 and 32000")
}

fn probe_accepts(address: SocketAddr) -> bool {
	TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok()
}

/// Waits until the probe at `address` is open (`true`) or closed (`false`), and the node's
/// `health_status` says the same; returns that status.
async fn wait_probe(node: &Node, address: SocketAddr, open: bool, timeout: Duration) -> Value {
	let what = format!("the probe on {address} to be {}", if open { "open" } else { "closed" });
	node.wait_until(&what, timeout, || async {
		let status = node.rpc().health_status().await;
		(status["probe"]["open"] == json!(open) && probe_accepts(address) == open).then_some(status)
	})
	.await
}

fn aura_address(keyring: Sr25519Keyring) -> String {
	keyring.public().to_ss58check()
}

fn row<'a>(report: &'a HealthReport, keyring: Sr25519Keyring) -> &'a consortia_runtime::pallet_health::AuthorityHealth<
	polkadot_sdk::sp_consensus_aura::sr25519::AuthorityId,
	u32,
> {
	let key = keyring.public().into();
	report.authorities.iter().find(|row| row.authority == key).expect("an authority")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lone_dev_node_is_healthy_opens_its_probe_and_sends_heartbeats() {
	let probe = free_address();
	let node = NodeBuilder::dev()
		.prometheus()
		.args(["--health-probe", &probe.to_string(), "--health-check-interval", "1"])
		.start()
		.await;

	// No bootnodes: no peers is no fault.
	let status = wait_probe(&node, probe, true, TIMEOUT).await;
	assert_eq!(status["healthy"], json!(true), "{status}");
	assert_eq!(status["problems"], json!([]));
	assert_eq!(status["peers"], json!(0));
	assert_eq!(status["shouldHavePeers"], json!(false));
	assert_eq!(status["syncState"], json!("idle"));
	assert_eq!(status["offlineAuthorities"], json!([]));
	assert!(status["secondsSinceImport"].as_f64().unwrap() < 30.0);
	let lag = status["finalityLag"].as_u64().unwrap();
	assert_eq!(
		status["bestNumber"].as_u64().unwrap() - status["finalizedNumber"].as_u64().unwrap(),
		lag
	);

	// Alice's offchain worker sends her heartbeat; it lands and the table shows it.
	let report = node
		.wait_until("Alice's first heartbeat", TIMEOUT, || async {
			let report = node.rpc().health_report().await;
			row(&report, Sr25519Keyring::Alice).last_heartbeat.is_some().then_some(report)
		})
		.await;
	assert_eq!((report.heartbeat_interval, report.offline_threshold), (5, 3));
	let alice = row(&report, Sr25519Keyring::Alice);
	assert!(alice.online);
	assert_eq!(alice.missed, 0);
	// The heartbeat is a bare transaction in the block the table names.
	let block_hash = node.rpc().block_hash(alice.last_heartbeat.unwrap()).await.unwrap();
	let block = node.rpc().expect("chain_getBlock", params![&block_hash]).await;
	let heartbeats = block["block"]["extrinsics"]
		.as_array()
		.unwrap()
		.iter()
		.filter_map(|xt| {
			let bytes = consortia_tests::tx::from_hex(xt.as_str().unwrap());
			codec::Decode::decode(&mut &bytes[..]).ok()
		})
		.filter(|xt: &consortia_runtime::UncheckedExtrinsic| {
			matches!(xt.function, consortia_runtime::RuntimeCall::Health(_))
		})
		.count();
	assert_eq!(heartbeats, 1);

	// The same figures on the Prometheus endpoint (each line `name{chain="..."} value`).
	let metrics = node.metrics();
	let gauge = |name: &str| -> f64 {
		metrics
			.lines()
			.find(|line| line.starts_with(&format!("{name}{{")))
			.and_then(|line| line.rsplit(' ').next()?.parse().ok())
			.unwrap_or_else(|| panic!("no {name} in:\n{metrics}"))
	};
	assert_eq!(gauge("consortia_health_healthy"), 1.0);
	assert_eq!(gauge("consortia_health_probe_open"), 1.0);
	assert_eq!(gauge("consortia_health_failed_checks"), 0.0);
	assert_eq!(gauge("consortia_health_offline_authorities"), 0.0);
	assert!(gauge("consortia_health_seconds_since_import") < 30.0);
}

/// `--chain local`'s two validators; each node keeps its database in `base` so it can
/// restart with the same peer id.
fn local_validator(who: &str, base: &Path) -> NodeBuilder {
	NodeBuilder::new()
		.base_path(base)
		.args(["--chain", "local", who, "--unsafe-force-node-key-generation"])
}

#[tokio::test(flavor = "multi_thread")]
async fn the_probe_closes_when_the_node_loses_its_peers_and_reopens_when_they_return() {
	let (alice_base, bob_base) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
	let mut alice = local_validator("--alice", alice_base.path()).start().await;
	let probe = free_address();
	let bob = local_validator("--bob", bob_base.path())
		.args(["--bootnodes", &alice.rpc().p2p_address().await])
		.args(["--health-probe", &probe.to_string()])
		.args(["--health-unhealthy-checks", "2", "--health-check-interval", "1"])
		.start()
		.await;

	let status = wait_probe(&bob, probe, true, TIMEOUT).await;
	assert_eq!(status["shouldHavePeers"], json!(true));
	assert_eq!(status["peers"], json!(1));

	// Alice dies: Bob goes on authoring his own slots, but has no peer left.
	let bob_address = bob.rpc().p2p_address().await;
	alice.kill();
	let status = wait_probe(&bob, probe, false, TIMEOUT).await;
	assert_eq!(status["healthy"], json!(false));
	assert_eq!(status["peers"], json!(0));
	assert!(status["probe"]["failedChecks"].as_u64().unwrap() >= 2);
	assert!(
		status["problems"][0].as_str().unwrap().contains("no peers"),
		"{status}"
	);

	// She comes back and dials Bob: his probe reopens.
	let _alice = local_validator("--alice", alice_base.path())
		.args(["--bootnodes", &bob_address])
		.start()
		.await;
	let status = wait_probe(&bob, probe, true, TIMEOUT).await;
	assert_eq!(status["healthy"], json!(true));
	assert_eq!(status["probe"]["failedChecks"], json!(0));
}

/// `--chain local` with Charlie as a third validator, written to `dir`.
fn three_validator_spec(dir: &Path) -> String {
	let output = run_to_completion(&["build-spec", "--chain", "local"]);
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let mut spec: Value = serde_json::from_slice(&output.stdout).expect("a JSON chain spec");
	let validators = [
		(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
	];
	// Aura's and GRANDPA's authorities come from the session keys of the chosen validators.
	let patch = &mut spec["genesis"]["runtimeGenesis"]["patch"];
	patch["session"]["keys"] = validators
		.iter()
		.map(|(aura, grandpa)| {
			let account = aura_address(*aura);
			json!([account, account, { "aura": account, "grandpa": grandpa.public().to_ss58check() }])
		})
		.collect();
	patch["consortium"]["validators"] = validators.iter().map(|(aura, _)| json!(aura_address(*aura))).collect();
	spec["id"] = json!("health_three");
	let path = dir.join("three.json");
	std::fs::write(&path, serde_json::to_vec_pretty(&spec).unwrap()).unwrap();
	path.to_str().unwrap().to_string()
}

/// The block numbers and hashes from `from` to the best block where `wanted` was emitted.
async fn find_health_event(
	node: &Node,
	from: u32,
	wanted: impl Fn(&consortia_runtime::pallet_health::Event<consortia_runtime::Runtime>) -> bool,
) -> Option<u32> {
	let best = node.rpc().best_number().await.ok()?;
	for number in from..=best {
		let hash = node.rpc().block_hash(number).await?;
		let found = node.rpc().events(&hash).await.into_iter().any(|record| match record {
			consortia_runtime::RuntimeEvent::Health(event) => wanted(&event),
			_ => false,
		});
		if found {
			return Some(number);
		}
	}
	None
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_validator_is_marked_offline_by_the_others_and_back_online_after_restart() {
	let dir = tempfile::tempdir().unwrap();
	let spec = three_validator_spec(dir.path());
	let charlie_base = tempfile::tempdir().unwrap();
	let validator = |who: &str| {
		NodeBuilder::new().args(["--chain", spec.as_str(), who, "--unsafe-force-node-key-generation"])
	};
	let alice = validator("--alice").start().await;
	let bootnode = alice.rpc().p2p_address().await;
	let bob = validator("--bob").args(["--bootnodes", &bootnode]).start().await;
	let mut charlie = validator("--charlie")
		.base_path(charlie_base.path())
		.args(["--bootnodes", &bootnode])
		.start()
		.await;

	// All three send heartbeats, and all three nodes call themselves healthy.
	let everyone = [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie];
	alice
		.wait_until("a heartbeat from each validator", TIMEOUT, || async {
			let report = alice.rpc().health_report().await;
			everyone
				.iter()
				.all(|who| row(&report, *who).online && row(&report, *who).last_heartbeat.is_some())
				.then_some(())
		})
		.await;
	for node in [&alice, &bob, &charlie] {
		node.wait_until("a healthy node", TIMEOUT, || async {
			(node.rpc().health_status().await["healthy"] == json!(true)).then_some(())
		})
		.await;
	}

	// SIGKILL Charlie. The other two keep authoring; within the threshold their table marks
	// him offline, and the block that did so carries the event.
	let killed_at = alice.rpc().best_number().await.unwrap();
	let killed = Instant::now();
	charlie.kill();
	let charlie_key = Sr25519Keyring::Charlie.public().into();
	alice
		.wait_until("Charlie marked offline", Duration::from_secs(180), || async {
			(!row(&alice.rpc().health_report().await, Sr25519Keyring::Charlie).online).then_some(())
		})
		.await;
	let detected = killed.elapsed();
	let offline_at = find_health_event(&alice, killed_at, |event| {
		matches!(event, consortia_runtime::pallet_health::Event::AuthorityOffline { authority, missed: 3, .. }
			if *authority == charlie_key)
	})
	.await
	.expect("an AuthorityOffline event for Charlie");
	println!(
		"Charlie killed at block #{killed_at}, marked offline at block #{offline_at}, {:.1} s later",
		detected.as_secs_f64()
	);
	let report = bob.rpc().health_report().await;
	assert!(!row(&report, Sr25519Keyring::Charlie).online, "Bob's node reads the same table");
	assert!(row(&report, Sr25519Keyring::Alice).online && row(&report, Sr25519Keyring::Bob).online);
	let status = alice.rpc().health_status().await;
	assert_eq!(status["offlineAuthorities"], json!([aura_address(Sr25519Keyring::Charlie)]));

	// Restart him on the same database: he catches up, beats, and is back online.
	let restarted_at = alice.rpc().best_number().await.unwrap();
	let _charlie = validator("--charlie")
		.base_path(charlie_base.path())
		.args(["--bootnodes", &bootnode])
		.start()
		.await;
	alice
		.wait_until("Charlie back online", TIMEOUT, || async {
			row(&alice.rpc().health_report().await, Sr25519Keyring::Charlie).online.then_some(())
		})
		.await;
	let back_at = find_health_event(&alice, restarted_at, |event| {
		matches!(event, consortia_runtime::pallet_health::Event::AuthorityBackOnline { authority }
			if *authority == charlie_key)
	})
	.await
	.expect("an AuthorityBackOnline event for Charlie");
	println!("Charlie restarted at block #{restarted_at}, back online at block #{back_at}");
	assert_eq!(alice.rpc().health_status().await["offlineAuthorities"], json!([]));
}
