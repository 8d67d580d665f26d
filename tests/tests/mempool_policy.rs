//! The mempool policy on a running dev node: each strategy orders a burst of transfers as it
//! defines, governance switches strategy without a restart, each admission rule refuses at
//! `author_submitExtrinsic` with its own error, and a flood past `--pool-limit` is refused while
//! the node keeps producing blocks.

use consortia_runtime::{
	pallet_mempool_policy::{self, Policy, Refusal, Strategy},
	pallet_sudo, Balance, RuntimeCall, UncheckedExtrinsic, UNIT,
};
use consortia_tests::{params, tx, Node, NodeBuilder};
use polkadot_sdk::{
	pallet_utility,
	sp_core::sr25519,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		traits::{BlakeTwo256, Hash},
		AccountId32,
	},
};
use serde_json::Value;
use std::{collections::HashMap, time::Duration};

const TIMEOUT: Duration = Duration::from_secs(60);

/// Funded dev accounts that send the bursts; Alice holds sudo and stays out of them.
const SENDERS: [Sr25519Keyring; 8] = [
	Sr25519Keyring::Bob,
	Sr25519Keyring::Charlie,
	Sr25519Keyring::Dave,
	Sr25519Keyring::Eve,
	Sr25519Keyring::Ferdie,
	Sr25519Keyring::BobStash,
	Sr25519Keyring::CharlieStash,
	Sr25519Keyring::DaveStash,
];

fn alice() -> AccountId32 {
	Sr25519Keyring::Alice.to_account_id()
}

/// A transfer to Alice, with `padding` bytes of remark beside it to change its size.
fn padded_transfer(padding: usize) -> RuntimeCall {
	let transfer = tx::transfer(&alice(), UNIT);
	if padding == 0 {
		return transfer;
	}
	let remark = RuntimeCall::System(polkadot_sdk::frame_system::Call::remark {
		remark: vec![7; padding],
	});
	RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![transfer, remark] })
}

/// One transaction of a burst, and what the strategies weigh of it.
struct Entry {
	xt: UncheckedExtrinsic,
	hash: String,
	len: u128,
	fee: u128,
	birth: Option<u32>,
}

/// Signs a burst: sender `i` sends `(tip, padding, age)`, where `age` is how many blocks before
/// the best block its mortal era starts (`None`: immortal).
async fn sign_burst(node: &Node, spec: &[(Balance, usize, Option<u32>)]) -> Vec<Entry> {
	let rpc = node.rpc();
	let genesis = rpc.genesis_hash().await;
	let best = rpc.best_number().await.unwrap();
	let mut burst = Vec::new();
	for (sender, &(tip, padding, age)) in SENDERS.iter().zip(spec) {
		let nonce = rpc.next_nonce(&sender.to_account_id()).await;
		let mut terms = tx::Terms::immortal(nonce, genesis).tip(tip);
		let birth = age.map(|age| best - age);
		if let Some(birth) = birth {
			let hash = rpc.block_hash(birth).await.unwrap().parse().unwrap();
			terms = terms.mortal(64, birth, hash);
		}
		let xt = tx::sign_with(padded_transfer(padding), &sender.pair(), &terms, genesis);
		let hex = tx::hex(&xt);
		let info = rpc.expect("payment_queryInfo", params![&hex]).await;
		let partial_fee = number(&info["partialFee"]);
		burst.push(Entry {
			len: tx::from_hex(&hex).len() as u128,
			fee: partial_fee + tip,
			birth,
			hash: String::new(),
			xt,
		});
	}
	burst
}

/// A JSON number or decimal string as u128 (fees come as either).
fn number(value: &Value) -> u128 {
	match value {
		Value::Number(n) => n.as_u64().expect("an integer") as u128,
		Value::String(s) if s.starts_with("0x") => u128::from_str_radix(&s[2..], 16).unwrap(),
		Value::String(s) => s.parse().expect("a decimal string"),
		other => panic!("not a number: {other}"),
	}
}

/// Waits for a new best block, so that a burst submitted right after lands between two.
async fn just_after_a_block(node: &Node) {
	let start = node.rpc().best_number().await.unwrap();
	node.wait_until("a new block", TIMEOUT, || async {
		let best = node.rpc().best_number().await.ok()?;
		(best > start).then_some(())
	})
	.await;
}

/// Submits the burst one by one, in order, between two blocks; returns the first block that
/// may hold it.
async fn submit_burst(node: &Node, burst: &mut [Entry]) -> u32 {
	just_after_a_block(node).await;
	let from = node.rpc().best_number().await.unwrap() + 1;
	for entry in burst.iter_mut() {
		entry.hash = node.rpc().submit(&entry.xt).await.expect("the burst is admitted");
	}
	from
}

/// Where each transaction of the burst landed: (block number, index in the block).
async fn positions(node: &Node, burst: &[Entry], from: u32) -> Vec<(u32, usize)> {
	node.wait_until("the whole burst in blocks", TIMEOUT, || async {
		let best = node.rpc().best_number().await.ok()?;
		let mut found = HashMap::new();
		for number in from..=best {
			let hash = node.rpc().block_hash(number).await?;
			let block = node.rpc().expect("chain_getBlock", params![&hash]).await;
			for (index, xt) in block["block"]["extrinsics"].as_array()?.iter().enumerate() {
				let xt_hash = BlakeTwo256::hash(&tx::from_hex(xt.as_str()?));
				found.insert(format!("{xt_hash:?}"), (number, index));
			}
		}
		burst.iter().map(|entry| found.get(&entry.hash).copied()).collect()
	})
	.await
}

/// The burst's indices in the order the chain included them.
async fn included_order(node: &Node, burst: &[Entry], from: u32) -> Vec<usize> {
	let places = positions(node, burst, from).await;
	let mut order: Vec<usize> = (0..burst.len()).collect();
	order.sort_by_key(|&i| places[i]);
	order
}

/// The order a strategy defines: by key, highest first, ties by arrival.
fn expected_order(burst: &[Entry], key: impl Fn(&Entry) -> i128) -> Vec<usize> {
	let mut order: Vec<usize> = (0..burst.len()).collect();
	order.sort_by_key(|&i| (std::cmp::Reverse(key(&burst[i])), i));
	order
}

fn price(entry: &Entry) -> i128 {
	(entry.fee / entry.len) as i128
}

/// Submits `call` as Alice through sudo and waits until it is in a block.
async fn sudo(node: &Node, call: RuntimeCall) {
	let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) });
	node.execute(&Sr25519Keyring::Alice.pair(), sudo, TIMEOUT).await;
}

async fn set_policy(node: &Node, policy: Policy<Balance>) {
	sudo(node, RuntimeCall::MempoolPolicy(pallet_mempool_policy::Call::set_policy { policy }))
		.await;
}

/// The policy in force, decoded from `mempool_policy`.
async fn policy(node: &Node) -> Policy<Balance> {
	let view = node.rpc().expect("mempool_policy", params![]).await;
	Policy {
		strategy: serde_json::from_value(view["strategy"].clone()).unwrap(),
		score: serde_json::from_value(view["score"].clone()).unwrap(),
		min_fee_per_kb: number(&view["minFeePerKb"]),
		max_fee: number(&view["maxFee"]),
		max_tx_size: view["maxTxSize"].as_u64().unwrap() as u32,
		max_pending_per_account: view["maxPendingPerAccount"].as_u64().unwrap() as u32,
	}
}

/// Tips (in planck), remark padding and era age of the ordering bursts: tip order, size order
/// and arrival order all differ, so each strategy's order is distinct.
const BURST: [(Balance, usize, Option<u32>); 8] = [
	(0, 0, None),
	(5_000_000_000, 300, None),
	(100_000_000, 0, None),
	(9_000_000_000, 100, None),
	(0, 600, None),
	(3_000_000_000, 0, None),
	(7_000_000_000, 50, None),
	(1_000_000_000, 0, None),
];

/// Under score, pairs with the same fee and size but different entry blocks: the newer of each
/// pair arrives first, yet waiting ranks the older one higher.
const SCORE_BURST: [(Balance, usize, Option<u32>); 8] = [
	(0, 0, Some(0)),
	(0, 0, Some(6)),
	(2_000_000_000, 0, Some(1)),
	(2_000_000_000, 0, Some(5)),
	(9_000_000_000, 200, Some(2)),
	(9_000_000_000, 200, Some(4)),
	(400_000_000, 40, Some(0)),
	(400_000_000, 40, Some(3)),
];

#[tokio::test(flavor = "multi_thread")]
async fn strategies_order_bursts_and_governance_switches_them_live() {
	let node = NodeBuilder::dev().start().await;
	node.wait_finalized(2, TIMEOUT).await;

	// Genesis: Chain33's default, timeline.
	let mut policy = policy(&node).await;
	assert_eq!(policy.strategy, Strategy::Timeline);

	// Timeline: arrival order, whatever the tips and sizes.
	let mut burst = sign_burst(&node, &BURST).await;
	let from = submit_burst(&node, &mut burst).await;
	let timeline: Vec<usize> = (0..burst.len()).collect();
	assert_eq!(included_order(&node, &burst, from).await, timeline, "timeline");

	// Governance switches to price on the running node: the next burst goes by fee per byte.
	policy.strategy = Strategy::Price;
	set_policy(&node, policy.clone()).await;
	let mut burst = sign_burst(&node, &BURST).await;
	let by_price = expected_order(&burst, price);
	assert_ne!(by_price, timeline, "the burst tells price from timeline");
	let from = submit_burst(&node, &mut burst).await;
	assert_eq!(included_order(&node, &burst, from).await, by_price, "price");

	// Score: fee per byte against entry block.
	policy.strategy = Strategy::Score;
	set_policy(&node, policy.clone()).await;
	let mut burst = sign_burst(&node, &SCORE_BURST).await;
	let score = policy.score;
	let by_score = expected_order(&burst, |entry| {
		score.price_constant as i128 * price(entry) * score.price_power as i128 -
			score.time_param as i128 * entry.birth.unwrap() as i128
	});
	assert_ne!(by_score, expected_order(&burst, price), "the burst tells score from price");
	let from = submit_burst(&node, &mut burst).await;
	assert_eq!(included_order(&node, &burst, from).await, by_score, "score");
	assert_eq!(self::policy(&node).await, policy, "mempool_policy reports the switch");
}

/// The JSON-RPC error of a refused submission, as text.
async fn refusal(node: &Node, xt: &UncheckedExtrinsic) -> String {
	node.rpc().submit(xt).await.expect_err("the transaction is refused").to_string()
}

fn custom(refusal: Refusal) -> String {
	format!("Custom error: {}", refusal.code())
}

#[tokio::test(flavor = "multi_thread")]
async fn each_admission_rule_refuses_with_its_own_error() {
	let node = NodeBuilder::dev().start().await;
	node.wait_finalized(1, TIMEOUT).await;
	let rpc = node.rpc();
	let genesis = rpc.genesis_hash().await;
	let from = rpc.best_number().await.unwrap();
	let bob = Sr25519Keyring::Bob;
	let sign = |call: RuntimeCall, who: Sr25519Keyring, nonce, tip| {
		tx::sign_with(call, &who.pair(), &tx::Terms::immortal(nonce, genesis).tip(tip), genesis)
	};
	let default = policy(&node).await;
	let mut refused = Vec::new();

	// Larger than the size cap.
	let nonce = rpc.next_nonce(&bob.to_account_id()).await;
	let big = sign(padded_transfer(default.max_tx_size as usize), bob, nonce, 0);
	let error = refusal(&node, &big).await;
	assert!(error.contains(&custom(Refusal::TooLarge)), "{error}");
	refused.push(big);

	// Above the fee ceiling: a mistyped tip.
	let fat_finger = sign(padded_transfer(0), bob, nonce, default.max_fee + 1);
	let error = refusal(&node, &fat_finger).await;
	assert!(error.contains(&custom(Refusal::FeeAboveCeiling)), "{error}");
	refused.push(fat_finger);

	// Below the floor: governance raises it to 1 CNS per kB; a tip of 1 CNS clears it.
	set_policy(&node, Policy { min_fee_per_kb: UNIT, max_fee: 1_000 * UNIT, ..default.clone() })
		.await;
	let cheap = sign(padded_transfer(0), bob, nonce, 0);
	let error = refusal(&node, &cheap).await;
	assert!(error.contains(&custom(Refusal::FeeBelowFloor)), "{error}");
	refused.push(cheap);
	rpc.submit(&sign(padded_transfer(0), bob, nonce, UNIT)).await.expect("a tip lifts the fee");
	set_policy(&node, default.clone()).await;

	// Blacklisted sender, until removed.
	let dave = Sr25519Keyring::Dave;
	let listed = |add: bool| {
		let who = dave.to_account_id();
		RuntimeCall::MempoolPolicy(if add {
			pallet_mempool_policy::Call::add_to_blacklist { who }
		} else {
			pallet_mempool_policy::Call::remove_from_blacklist { who }
		})
	};
	sudo(&node, listed(true)).await;
	let dave_nonce = rpc.next_nonce(&dave.to_account_id()).await;
	let blocked = sign(padded_transfer(0), dave, dave_nonce, 0);
	let error = refusal(&node, &blocked).await;
	assert!(error.contains(&custom(Refusal::SenderBlacklisted)), "{error}");
	refused.push(blocked);
	sudo(&node, listed(false)).await;
	rpc.submit(&sign(padded_transfer(0), dave, dave_nonce, 1))
		.await
		.expect("removed from the blacklist, Dave sends again");

	// No refused transaction reaches a block.
	let refused: Vec<String> =
		refused.iter().map(|xt| format!("{:?}", BlakeTwo256::hash_of(xt))).collect();
	just_after_a_block(&node).await;
	just_after_a_block(&node).await;
	for hash in &refused {
		assert_eq!(rpc.find_transaction(hash, from).await, None, "{hash} reached a block");
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sender_with_a_hundred_waiting_is_refused_while_others_get_in() {
	let node = NodeBuilder::dev().start().await;
	node.wait_finalized(1, TIMEOUT).await;
	let rpc = node.rpc();
	let genesis = rpc.genesis_hash().await;
	let cap = policy(&node).await.max_pending_per_account;
	let charlie = Sr25519Keyring::Charlie;

	// 101 transfers signed ahead, submitted between two blocks: the first `cap` wait in the
	// pool, the next is refused. Should a block take some of them first (the account's nonce
	// then moves on), the attempt does not count and starts over with fresh nonces.
	for attempt in 1..=3 {
		let nonce = rpc.next_nonce(&charlie.to_account_id()).await;
		let signed: Vec<_> = (0..=cap)
			.map(|i| tx::sign(padded_transfer(0), &charlie.pair(), nonce + i, genesis))
			.collect();
		just_after_a_block(&node).await;
		let start = rpc.best_number().await.unwrap();
		for xt in &signed[..cap as usize] {
			rpc.submit(xt).await.expect("up to the cap, a sender's transactions wait");
		}
		let last = rpc.submit(&signed[cap as usize]).await;
		if rpc.best_number().await.unwrap() != start {
			eprintln!("attempt {attempt}: a block came in between, again");
			continue;
		}
		let error = last.expect_err("one past the cap is refused").to_string();
		assert!(error.contains(&custom(Refusal::TooManyPending)), "{error}");

		let status = rpc.expect("mempool_status", params![]).await;
		let charlie_ss58 = charlie.to_account_id().to_string();
		let pending = status["pending"]
			.as_array()
			.unwrap()
			.iter()
			.find(|p| p["account"] == charlie_ss58.as_str())
			.cloned()
			.unwrap_or_default();
		assert!(pending["ready"].as_u64().unwrap_or(0) > 0, "mempool_status: {status}");

		// Another sender still gets in, and its transfer is finalized.
		let bob = Sr25519Keyring::Bob;
		let from = rpc.best_number().await.unwrap();
		let bob_nonce = rpc.next_nonce(&bob.to_account_id()).await;
		let hash = rpc
			.submit(&tx::sign(padded_transfer(0), &bob.pair(), bob_nonce, genesis))
			.await
			.expect("another sender is admitted");
		node.wait_finalized_inclusion(&hash, from, TIMEOUT).await;
		return;
	}
	panic!("three attempts in a row had a block in the middle of 101 submissions");
}

#[tokio::test(flavor = "multi_thread")]
async fn mempool_rpc_reports_the_policy_and_the_pool() {
	let node = NodeBuilder::dev().start().await;
	node.wait_finalized(1, TIMEOUT).await;
	let rpc = node.rpc();

	let view = rpc.expect("mempool_policy", params![]).await;
	let refusals: Vec<(u64, &str)> = view["refusals"]
		.as_array()
		.unwrap()
		.iter()
		.map(|r| (r["code"].as_u64().unwrap(), r["name"].as_str().unwrap()))
		.collect();
	assert_eq!(refusals.len(), Refusal::ALL.len());
	assert!(refusals.contains(&(104, "TooManyPending")), "{view}");
	let floor_per_kb = number(&view["minFeePerKb"]);

	// Two transactions that wait for a missing nonce: the pool holds them as future.
	let eve = Sr25519Keyring::Eve;
	let genesis = rpc.genesis_hash().await;
	let nonce = rpc.next_nonce(&eve.to_account_id()).await;
	for gap in [1, 2] {
		rpc.submit(&tx::sign(padded_transfer(0), &eve.pair(), nonce + gap, genesis))
			.await
			.expect("a future transaction waits");
	}
	let status = rpc.expect("mempool_status", params![2_500]).await;
	assert_eq!(status["future"], 2, "{status}");
	assert_eq!(status["pending"][0]["account"], eve.to_account_id().to_string());
	assert_eq!(status["pending"][0]["future"], 2);
	assert_eq!(status["txSize"], 2_500);
	// With fewer than 100 waiting, the suggestion is the floor: three started kB.
	assert_eq!(number(&status["suggestedFee"]), 3 * floor_per_kb);

	// A malformed parameter is an error that says so.
	let error = rpc.call("mempool_status", params!["a kilobyte"]).await.unwrap_err();
	assert!(error.to_string().to_lowercase().contains("invalid params"), "{error}");
}

/// Alice's heartbeat for the window of the block after the best, signed with her Aura key.
async fn alice_heartbeat(rpc: &consortia_tests::Rpc, genesis: consortia_runtime::Hash) -> UncheckedExtrinsic {
	use consortia_runtime::pallet_health::{self, heartbeat_message, Heartbeat};
	let next = rpc.best_number().await.unwrap() + 1;
	let alice = Sr25519Keyring::Alice;
	let interval = <consortia_runtime::Runtime as pallet_health::Config>::HeartbeatInterval::get();
	let payload = Heartbeat { window: next / interval, authority: alice.public().into() };
	let signature = alice.sign(&heartbeat_message(&genesis, &payload)).into();
	UncheckedExtrinsic::new_bare(RuntimeCall::Health(pallet_health::Call::heartbeat {
		heartbeat: payload,
		signature,
	}))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flood_past_the_pool_limit_is_refused_and_blocks_go_on() {
	const LIMIT: usize = 64;
	let node = NodeBuilder::dev()
		.args(["--pool-limit", &LIMIT.to_string()])
		.prometheus()
		.start()
		.await;
	node.wait_finalized(1, TIMEOUT).await;
	let rpc = node.rpc();
	let genesis = rpc.genesis_hash().await;

	// Eight senders, 40 transfers each, signed ahead and sent as fast as the node takes them.
	let mut signed = Vec::new();
	for sender in SENDERS {
		let pair: sr25519::Pair = sender.pair();
		let nonce = rpc.next_nonce(&sender.to_account_id()).await;
		for i in 0..40 {
			signed.push(tx::sign(padded_transfer(0), &pair, nonce + i, genesis));
		}
	}
	let start = rpc.best_number().await.unwrap();
	let mut full = 0;
	for xt in &signed {
		if let Err(error) = rpc.submit(xt).await {
			let error = error.to_string();
			assert!(error.contains("Immediately Dropped"), "a full pool says so: {error}");
			full += 1;
			if full == 1 {
				// A validator's heartbeat still gets through to the runtime, which judges it
				// (Alice's own may have landed already: then it is a duplicate).
				let heartbeat = alice_heartbeat(rpc, genesis).await;
				if let Err(error) = rpc.submit(&heartbeat).await {
					assert!(!error.to_string().contains("Immediately Dropped"), "{error}");
				}
			}
		}
	}
	assert!(full > 0, "{} transfers into a pool of {LIMIT}: some are refused", signed.len());
	let metrics = node.metrics();
	let counted = metrics
		.lines()
		.find(|line| {
			line.starts_with("consortia_mempool_refusals_total{") &&
				line.contains("reason=\"ImmediatelyDropped\"")
		})
		.and_then(|line| line.split_whitespace().last()?.parse::<u64>().ok());
	assert_eq!(counted, Some(full), "Prometheus counts the refusals by reason");

	// The node goes on authoring and finalizing, with its memory bounded.
	node.wait_finalized(start + 3, TIMEOUT).await;
	let status = std::fs::read_to_string(format!("/proc/{}/status", node.pid())).unwrap();
	let rss_kib: u64 = status
		.lines()
		.find_map(|line| line.strip_prefix("VmRSS:"))
		.and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
		.unwrap();
	assert!(rss_kib < 1024 * 1024, "node memory {rss_kib} KiB after the flood");
}
