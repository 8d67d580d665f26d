//! A consortium from `consortia consortium init`: four validators on loopback author in turn and
//! finalize with GRANDPA; one killed, the other three go on and it catches up when restarted;
//! two killed, authoring goes on while finality waits for a third. Governance: a node outside
//! the authorised list gets no blocks; the council authorises it and adds its organisation as a
//! fifth validator, which then authors and votes; the council removes one; a non-member's
//! proposal is refused.

use codec::{Decode, Encode};
use consortia_runtime::{
	configs::CouncilCollective, frame_system, pallet_collective, pallet_consortium, pallet_session,
	AccountId, Runtime, RuntimeCall, RuntimeEvent, SessionKeys, UNIT,
};
use consortia_tests::{
	node::{run_to_completion, Rpc},
	params, Node, NodeBuilder,
};
use polkadot_sdk::{
	frame_support::dispatch::GetDispatchInfo,
	pallet_utility,
	sc_network_types::PeerId,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_core::{sr25519, Pair},
	sp_runtime::{DigestItem, DispatchError},
};
use serde_json::Value;
use std::{
	path::Path,
	time::{Duration, Instant},
};

const VALIDATORS: u64 = 4;
const TIMEOUT: Duration = Duration::from_secs(120);

/// The multi-node tests take turns: two networks at once on two cores would starve each other.
static ONE_NETWORK_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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

/// Block `number`'s Aura slot and its parent's hash.
async fn slot_and_parent(rpc: &Rpc, number: u32) -> Option<(u64, String)> {
	let hash = rpc.block_hash(number).await?;
	let header = rpc.expect("chain_getHeader", params![hash]).await;
	let slot = header["digest"]["logs"].as_array()?.iter().find_map(|log| {
		let bytes = consortia_tests::tx::from_hex(log.as_str()?);
		match DigestItem::decode(&mut &bytes[..]).ok()? {
			DigestItem::PreRuntime(engine, slot) if engine == *b"aura" => u64::decode(&mut &slot[..]).ok(),
			_ => None,
		}
	})?;
	Some((slot, header["parentHash"].as_str()?.to_string()))
}

/// The index of the validator that authored block `number`: Aura's slot modulo the set size.
async fn author(rpc: &Rpc, number: u32) -> Option<u64> {
	Some(slot_and_parent(rpc, number).await?.0 % VALIDATORS)
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

/// Runs `consortium init` for the test network in `dir` and starts its validators; returns
/// them and their p2p addresses. Each node is given every earlier one as a bootnode, so they
/// form a full mesh (a `Live` chain does not pass on loopback addresses through discovery).
async fn start_network(dir: &Path) -> (Vec<Node>, Vec<String>) {
	let output = init(dir, &VALIDATORS.to_string());
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let (mut nodes, mut addresses) = (Vec::new(), Vec::new());
	for i in 0..VALIDATORS as usize {
		let node = start(dir, i, &addresses).await;
		addresses.push(node.rpc().p2p_address().await);
		nodes.push(node);
	}
	(nodes, addresses)
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
	assert_eq!(patch["session"]["keys"].as_array().unwrap().len(), 3, "Aura and GRANDPA keys per validator");
	assert_eq!(patch["consortium"]["validators"].as_array().unwrap().len(), 3);
	assert_eq!(patch["consortium"]["nodes"].as_array().unwrap().len(), 3, "each validator's node authorised");
	assert_eq!(patch["councilMembership"]["members"].as_array().unwrap().len(), 3, "one seat per member");
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
	assert_eq!(launch.matches("--reserved-nodes /ip4/127.0.0.1/tcp/").count(), 3 * 2, "each node knows the others");
	assert!(launch.contains("--reserved-only"));

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
	let _turn = ONE_NETWORK_AT_A_TIME.lock().await;
	let root = tempfile::tempdir().unwrap();
	let dir = root.path().join("net");
	let (nodes, addresses) = start_network(&dir).await;
	let [v0, v1, mut v2, mut v3] = <[Node; 4]>::try_from(nodes).ok().unwrap();
	let bootnodes = addresses[..2].to_vec();

	// All four author, and GRANDPA finalizes.
	for who in 0..VALIDATORS {
		wait_authored_by(&v0, who, 0).await;
	}
	v0.wait_finalized(8, TIMEOUT).await;
	// Each leaves half its slot for the next author to import its block.
	assert!(v0.logged("Building blocks for 50 % of each slot"), "{}", v0.log_tail());

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

/// A reorg loses no transaction. Two validators, kept apart, author forks of their own (with
/// `--force-authoring`, as no peer is there); validator 0 includes a transfer in a block of its
/// fork, which is the shorter. Once they connect, validator 0 follows validator 1's longer
/// fork, retracting its block, puts the transfer back in its pool, and the transfer is
/// finalized on the chain both keep, once.
#[tokio::test(flavor = "multi_thread")]
async fn a_transfer_in_a_retracted_block_is_included_again() {
	let _turn = ONE_NETWORK_AT_A_TIME.lock().await;
	let root = tempfile::tempdir().unwrap();
	let dir = root.path().join("net");
	let output = init(&dir, "2");
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	let alone = |i: usize| {
		NodeBuilder::new().base_path(&dir.join(format!("validator-{i}"))).args([
			"--chain",
			dir.join("chain-spec-raw.json").to_str().unwrap(),
			"--validator",
			"--force-authoring",
		])
	};

	// Validator 1 starts first, so its fork is the longer.
	let v1 = alone(1).start().await;
	v1.wait_until("validator 1's fork at #3", TIMEOUT, || async {
		(v1.rpc().best_number().await.ok()? >= 3).then_some(())
	})
	.await;

	let v0 = alone(0).start().await;
	// To a new account, whose balance nothing else moves.
	let sender = member(&dir, 0);
	let dest = AccountId::from(sr25519::Pair::from_string("//Reorg", None).unwrap().public());
	let amount = 7 * UNIT;
	let genesis = v0.rpc().genesis_hash().await;
	let transfer = consortia_tests::tx::sign(
		consortia_tests::tx::transfer(&dest, amount),
		&sender,
		0,
		genesis,
	);
	let tx_hash = v0.rpc().submit(&transfer).await.expect("the transfer is accepted");
	let (number, retracted) = v0
		.wait_until("the transfer in validator 0's fork", TIMEOUT, || {
			v0.rpc().find_transaction(&tx_hash, 1)
		})
		.await;
	assert!(
		v0.rpc().best_number().await.unwrap() < v1.rpc().best_number().await.unwrap(),
		"validator 0's fork must be the shorter for this test"
	);

	// Connected, validator 0 takes validator 1's fork and retracts its own block.
	let address = v1.rpc().p2p_address().await;
	v0.rpc().expect("system_addReservedPeer", params![address]).await;
	v0.wait_until("validator 0 on validator 1's fork", TIMEOUT, || async {
		(v0.rpc().block_hash(number).await? != retracted).then_some(())
	})
	.await;

	// The transfer goes back in the pool and is finalized on the common chain, once.
	let (_, block) = v0.wait_finalized_inclusion(&tx_hash, 1, TIMEOUT).await;
	assert_ne!(block, retracted);
	// (Validator 1 never saw the transfer: only validator 0's resubmission could bring it back.)
	assert!(v0.logged("Reorg retracted"), "{}", v0.log_tail());
	let paid = v1.rpc().free_balance(&dest, Some(&block)).await;
	assert_eq!(paid, amount, "the transfer is paid exactly once");
}

/// The sr25519 pair of member `i`'s account, from its secret phrase.
fn member(dir: &Path, i: usize) -> sr25519::Pair {
	let phrase = std::fs::read_to_string(dir.join(format!("validator-{i}/secret-phrase"))).unwrap();
	sr25519::Pair::from_phrase(phrase.trim(), None).unwrap().0
}

/// The Aura key that authored block `number`: the parent's authority set at Aura's slot.
async fn author_key(rpc: &Rpc, number: u32) -> Option<AuraId> {
	let (slot, parent) = slot_and_parent(rpc, number).await?;
	let authorities = rpc.expect("state_call", params!["AuraApi_authorities", "0x", parent]).await;
	let authorities =
		Vec::<AuraId>::decode(&mut &consortia_tests::tx::from_hex(authorities.as_str()?)[..]).ok()?;
	authorities.get((slot % authorities.len() as u64) as usize).cloned()
}

/// The active validators (pallet-session's set) at the best block.
async fn session_validators(rpc: &Rpc) -> Vec<AccountId> {
	let key = pallet_session::Validators::<Runtime>::hashed_key();
	let value = rpc.expect("state_getStorage", params![polkadot_sdk::sp_core::bytes::to_hex(&key, false)]).await;
	value
		.as_str()
		.map(|hex| Decode::decode(&mut &consortia_tests::tx::from_hex(hex)[..]).unwrap())
		.unwrap_or_default()
}

/// Proposes `call` to the council from member 0 with the ayes the approval threshold needs (3
/// of 4), has members 0, 1 and 2 vote aye (proposing is not voting), closes the motion, and
/// checks that the call ran.
async fn carry_motion(node: &Node, dir: &Path, call: RuntimeCall) {
	let length_bound = call.encoded_size() as u32;
	let weight_bound = call.get_dispatch_info().call_weight;
	let propose = RuntimeCall::Council(pallet_collective::Call::propose {
		threshold: 3,
		proposal: Box::new(call),
		length_bound,
	});
	let events = node.execute(&member(dir, 0), propose, TIMEOUT).await;
	let (proposal, index) = events
		.iter()
		.find_map(|event| match event {
			RuntimeEvent::Council(pallet_collective::Event::Proposed {
				proposal_hash,
				proposal_index,
				..
			}) => Some((*proposal_hash, *proposal_index)),
			_ => None,
		})
		.expect("the motion is proposed");
	for voter in [0, 1, 2] {
		let vote = RuntimeCall::Council(pallet_collective::Call::vote { proposal, index, approve: true });
		node.execute(&member(dir, voter), vote, TIMEOUT).await;
	}
	let close = RuntimeCall::Council(pallet_collective::Call::close {
		proposal_hash: proposal,
		index,
		proposal_weight_bound: weight_bound,
		length_bound,
	});
	let events = node.execute(&member(dir, 0), close, TIMEOUT).await;
	let executed = events.iter().find_map(|event| match event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => Some(*result),
		_ => None,
	});
	assert_eq!(executed, Some(Ok(())), "the motion carried and its call succeeded: {events:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_council_admits_a_node_adds_and_removes_validators() {
	let _turn = ONE_NETWORK_AT_A_TIME.lock().await;
	let root = tempfile::tempdir().unwrap();
	let dir = root.path().join("net");
	let (mut nodes, addresses) = start_network(&dir).await;
	let mut v3 = nodes.pop().unwrap();
	let v0 = &nodes[0];
	v0.wait_finalized(3, TIMEOUT).await;

	// A fifth organisation's node, not on the authorised list: it reaches the validators but
	// they do not sync with it, so it gets no blocks.
	let newcomer = NodeBuilder::new()
		.base_path(&root.path().join("newcomer"))
		.args(["--chain", dir.join("chain-spec-raw.json").to_str().unwrap(), "--validator"])
		.args(["--unsafe-force-node-key-generation"])
		.args(addresses.iter().flat_map(|a| ["--bootnodes".to_string(), a.clone()]))
		.start()
		.await;
	let best = v0.rpc().best_number().await.unwrap();
	v0.wait_until("six more blocks", TIMEOUT, || async {
		(v0.rpc().best_number().await.ok()? >= best + 6).then_some(())
	})
	.await;
	assert_eq!(newcomer.rpc().best_number().await.unwrap(), 0, "an unauthorised node got blocks");

	// Its organisation: an account funded by member 0, session keys made on its node with a
	// proof of possession for that account, and registered on chain.
	let org = sr25519::Pair::from_seed(&[5; 32]);
	let org_account = AccountId::from(org.public());
	let fund = consortia_tests::tx::transfer(&org_account, 100 * UNIT);
	v0.execute(&member(&dir, 0), fund, TIMEOUT).await;
	let generated = newcomer
		.rpc()
		.expect("author_rotateKeysWithOwner", params![consortia_tests::tx::hex(&org_account)])
		.await;
	let keys_hex = generated["keys"].as_str().unwrap();
	let keys = SessionKeys::decode(&mut &consortia_tests::tx::from_hex(keys_hex)[..]).unwrap();
	let proof = consortia_tests::tx::from_hex(generated["proof"].as_str().unwrap());
	let set_keys = RuntimeCall::Session(pallet_session::Call::set_keys { keys: keys.clone(), proof });
	let events = v0.execute(&org, set_keys, TIMEOUT).await;
	assert!(
		!events.iter().any(|e| matches!(e, RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { .. }))),
		"setKeys failed: {events:?}"
	);

	// A non-member's proposal is refused with the council's `NotMember` error.
	let propose = RuntimeCall::Council(pallet_collective::Call::propose {
		threshold: 1,
		proposal: Box::new(RuntimeCall::Consortium(pallet_consortium::Call::add_validator {
			who: org_account.clone(),
		})),
		length_bound: 100,
	});
	let events = v0.execute(&org, propose, TIMEOUT).await;
	let not_member = DispatchError::from(pallet_collective::Error::<Runtime, CouncilCollective>::NotMember);
	let failure = events.iter().find_map(|e| match e {
		RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { dispatch_error, .. }) => Some(*dispatch_error),
		_ => None,
	});
	match (failure, not_member) {
		(Some(DispatchError::Module(got)), DispatchError::Module(want)) => {
			assert_eq!((got.index, got.error), (want.index, want.error), "Council.NotMember")
		},
		other => panic!("the non-member's proposal was not refused as NotMember: {other:?}"),
	}

	// The council authorises its node and adds it as a validator, in one motion.
	let peer_id = newcomer.rpc().expect("system_localPeerId", params![]).await;
	let peer_id: PeerId = peer_id.as_str().unwrap().parse().unwrap();
	let admit = RuntimeCall::Utility(pallet_utility::Call::batch_all {
		calls: vec![
			RuntimeCall::Consortium(pallet_consortium::Call::authorize_node {
				node: peer_id.to_bytes().try_into().unwrap(),
				owner: org_account.clone(),
			}),
			RuntimeCall::Consortium(pallet_consortium::Call::add_validator { who: org_account.clone() }),
		],
	});
	let added_at = v0.rpc().best_number().await.unwrap();
	carry_motion(v0, &dir, admit).await;

	// Two blocks later the session makes it a validator; its node syncs and authors.
	v0.wait_until("five validators in the session", TIMEOUT, || async {
		(session_validators(v0.rpc()).await.len() == 5).then_some(())
	})
	.await;
	newcomer
		.wait_until("the newcomer synced", TIMEOUT, || async {
			(newcomer.rpc().best_number().await.ok()? > added_at).then_some(())
		})
		.await;
	let authored = v0
		.wait_until("a block by the newcomer", TIMEOUT, || async {
			let best = v0.rpc().best_number().await.ok()?;
			for number in (added_at + 1)..=best {
				if author_key(v0.rpc(), number).await == Some(keys.aura.clone()) {
					return Some(number);
				}
			}
			None
		})
		.await;
	println!("the newcomer, added in a motion after block #{added_at}, authored block #{authored}");

	// It votes in GRANDPA: with validator 3 killed, four of five remain, exactly the
	// supermajority, so blocks are finalized only with its votes.
	v3.kill();
	let finalized = v0.rpc().finalized_number().await.unwrap();
	v0.wait_finalized(finalized.max(authored) + 4, TIMEOUT).await;

	// The council removes the dead validator 3; the set is four again, and finality goes on.
	let removed = AccountId::from(member(&dir, 3).public());
	carry_motion(v0, &dir, RuntimeCall::Consortium(pallet_consortium::Call::remove_validator { who: removed.clone() }))
		.await;
	v0.wait_until("validator 3 out of the session", TIMEOUT, || async {
		let set = session_validators(v0.rpc()).await;
		(set.len() == 4 && !set.contains(&removed)).then_some(())
	})
	.await;
	let finalized = v0.rpc().finalized_number().await.unwrap();
	v0.wait_finalized(finalized + 4, TIMEOUT).await;
	newcomer.wait_finalized(finalized + 4, TIMEOUT).await;
}
