//! One bench run: fund the senders, pre-sign, submit, follow the chain, audit the balances.

use crate::{
	chain::{parse_number, Account, Block, Chain, Submission},
	Args,
};
use anyhow::{bail, Context, Result};
use codec::Encode;
use consortia_client::{self as tx, AnyPair, TxSigner};
use consortia_primitives::Scheme;
use consortia_runtime::{
	AccountId, Balance, Hash, Nonce, RuntimeCall, RuntimeEvent, EXISTENTIAL_DEPOSIT, UNIT,
};
use indicatif::{ProgressBar, ProgressStyle};
use polkadot_sdk::{
	pallet_transaction_payment, pallet_utility,
	sp_core::{sr25519, Pair},
	sp_runtime::traits::{BlakeTwo256, Hash as _},
};
use std::{
	collections::{BTreeMap, HashMap},
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};
use tokio::sync::watch;

/// Each transfer moves the existential deposit to the next sender in the ring.
pub const AMOUNT: Balance = EXISTENTIAL_DEPOSIT;
/// Transfers a funding transaction batches.
const FUNDING_BATCH: usize = 500;
/// How often the pool size, counters and memory are sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(250);

/// A finalized block seen during the run.
pub struct BlockRecord {
	pub number: u32,
	pub hash: Hash,
	/// Seconds since the run started when the node first announced it as its best block.
	pub imported_at: Option<f64>,
	/// Seconds since the run started when the bench learnt of its finality.
	pub finalized_at: f64,
	pub timestamp_ms: u64,
	pub extrinsics: usize,
	/// Bench transfers in the block.
	pub transfers: u32,
	/// Reference time of its normal-class extrinsics.
	pub normal_ref_time: u64,
	pub length: usize,
}

/// Counters at one moment of the run.
pub struct Sample {
	pub t: f64,
	pub accepted: u32,
	pub included: u32,
	pub finalized: u32,
	/// Accepted and not yet in a block: the bench's share of the pool.
	pub pool: u32,
	pub rss_bytes: Option<u64>,
}

/// Whether the balances at the end are what the finalized transfers and their fees make them.
#[derive(Clone, Copy, Default, serde::Serialize)]
pub struct Audit {
	pub accounts: u32,
	pub mismatches: u32,
	pub fees_paid: Balance,
}

/// Everything a run observed.
pub struct Outcome {
	pub chain: String,
	pub spec_version: u32,
	/// Per transfer: seconds since start when the accepted submission was sent.
	pub sent_at: Vec<Option<f64>>,
	/// Per transfer: seconds since start when its block was known finalized.
	pub finalized_at: Vec<Option<f64>>,
	pub accepted: u32,
	pub refused_by_reason: BTreeMap<String, u32>,
	pub retries: u64,
	/// Seconds from the first submission to the last answer.
	pub submission_seconds: f64,
	pub blocks: Vec<BlockRecord>,
	pub samples: Vec<Sample>,
	pub peak_rss_bytes: Option<u64>,
	pub audit: Audit,
}

/// What the submitters and the chain follower share.
struct State {
	start: Instant,
	sent_at: Vec<Option<f64>>,
	included: Vec<bool>,
	finalized_at: Vec<Option<f64>>,
	accepted: u32,
	included_count: u32,
	finalized_count: u32,
	retries: u64,
	refused_by_reason: BTreeMap<String, u32>,
	last_answer: f64,
	blocks: Vec<BlockRecord>,
	last_finalized: Option<Hash>,
}

impl State {
	fn new(count: usize, last_finalized: Option<Hash>) -> Self {
		State {
			start: Instant::now(),
			sent_at: vec![None; count],
			included: vec![false; count],
			finalized_at: vec![None; count],
			accepted: 0,
			included_count: 0,
			finalized_count: 0,
			retries: 0,
			refused_by_reason: BTreeMap::new(),
			last_answer: 0.0,
			blocks: Vec::new(),
			last_finalized,
		}
	}

	/// Transfers the node refused for good.
	fn refused(&self) -> u32 {
		self.refused_by_reason.values().sum()
	}

	/// Accepted transfers not yet seen in a block.
	fn pending(&self) -> u32 {
		self.accepted.saturating_sub(self.included_count)
	}

	fn now(&self) -> f64 {
		self.start.elapsed().as_secs_f64()
	}
}

type Shared = Arc<Mutex<State>>;

fn lock(state: &Shared) -> std::sync::MutexGuard<'_, State> {
	state
		.lock()
		.unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The key pair of a secret URI given as `--funder`, or derived from it.
fn pair(uri: &str) -> Result<sr25519::Pair> {
	sr25519::Pair::from_string(uri, None)
		.map_err(|e| anyhow::anyhow!("bad --funder secret URI: {e:?}"))
}

/// The sender accounts: `<funder>//bench//<i>`, keys of `scheme`.
fn senders(funder: &str, count: u32, scheme: Scheme) -> Result<Vec<AnyPair>> {
	(0..count)
		.map(|i| {
			AnyPair::from_uri(scheme, &format!("{funder}//bench//{i}"))
				.map_err(|e| anyhow::anyhow!("bad --funder secret URI: {e:?}"))
		})
		.collect()
}

pub async fn run(args: &Args) -> Result<Outcome> {
	let chain = Chain::connect(&args.url, args.in_flight).await?;
	let spec_version = chain.spec_version().await?;
	if spec_version != consortia_runtime::VERSION.spec_version {
		bail!(
			"the node runs spec version {spec_version}, this tool signs for {}: rebuild the \
			 bench from the node's source",
			consortia_runtime::VERSION.spec_version
		);
	}
	let name = chain.chain_name().await?;
	let genesis = chain.genesis_hash().await?;
	let funder = pair(&args.funder)?;
	let pairs = senders(&args.funder, args.accounts, args.scheme)?;
	let ids: Vec<AccountId> = pairs.iter().map(TxSigner::account).collect();

	fund(&chain, &funder, &ids, args, genesis).await?;
	let initial_hash = chain.finalized_head().await?;
	let initial = chain.accounts(&ids, initial_hash).await?;

	let mut nonces = Vec::with_capacity(ids.len());
	for id in &ids {
		nonces.push(chain.next_nonce(id).await?);
	}
	let (txs, index) = presign(&pairs, &ids, &nonces, args.transfers, genesis);
	eprintln!("Signed {} transfers from {} accounts", txs.len(), ids.len());

	let count = txs.len();
	let state: Shared = Arc::new(Mutex::new(State::new(count, Some(initial_hash))));
	let (stop, stopped) = watch::channel(false);

	// Follow the chain from here on.
	let follower = {
		let chain = Chain::connect(&args.url, 64).await?;
		let best = chain.best_number().await?;
		let finalized = chain.number_of(initial_hash).await?;
		let (state, index, stopped) = (state.clone(), index.clone(), stopped.clone());
		tokio::spawn(follow(chain, state, index, best, finalized, stopped))
	};
	let progress = progress_bar(count as u64, args.quiet);
	let sampler = tokio::spawn(sample(
		state.clone(),
		args.node_pid,
		progress.clone(),
		stopped,
	));

	submit(args, &state, Arc::new(txs)).await?;
	wait_for_finality(
		&state,
		count,
		Duration::from_secs(args.stall_timeout),
		&follower,
	)
	.await;
	let _ = stop.send(true);
	let samples = sampler.await?;
	if follower.is_finished() {
		follower.await??;
	} else {
		follower.abort();
	}
	progress.finish_and_clear();

	let mut state = std::mem::replace(&mut *lock(&state), State::new(0, None));
	let final_hash = state.last_finalized.unwrap_or(initial_hash);
	let audit = audit(&chain, &state, &ids, &initial, final_hash).await?;
	let submission_seconds = state.last_answer;
	Ok(Outcome {
		chain: name,
		spec_version,
		sent_at: std::mem::take(&mut state.sent_at),
		finalized_at: std::mem::take(&mut state.finalized_at),
		accepted: state.accepted,
		refused_by_reason: std::mem::take(&mut state.refused_by_reason),
		retries: state.retries,
		submission_seconds,
		blocks: std::mem::take(&mut state.blocks),
		peak_rss_bytes: args.node_pid.and_then(|pid| proc_status(pid, "VmHWM")),
		samples,
		audit,
	})
}

/// Tops up every sender below what its share of the transfers and their fees needs, in
/// batches from the funder, and waits until the top-ups are finalized.
async fn fund(
	chain: &Chain,
	funder: &sr25519::Pair,
	ids: &[AccountId],
	args: &Args,
	genesis: Hash,
) -> Result<()> {
	let per_account = args.transfers.div_ceil(args.accounts) as Balance;
	// A transfer's fee is well under a hundredth of a unit; one unit more keeps them alive.
	let target = per_account * (AMOUNT + UNIT / 100) + UNIT;
	let at = chain.finalized_head().await?;
	let accounts = chain.accounts(ids, at).await?;
	let short: Vec<&AccountId> = ids
		.iter()
		.zip(&accounts)
		.filter(|(_, account)| account.free < target)
		.map(|(id, _)| id)
		.collect();
	if short.is_empty() {
		return Ok(());
	}
	eprintln!("Funding {} accounts with {} each", short.len(), target);
	let funder_id: AccountId = funder.public().into();
	let mut nonce = chain.next_nonce(&funder_id).await?;
	for batch in short.chunks(FUNDING_BATCH) {
		let calls = batch.iter().map(|id| tx::transfer(id, target)).collect();
		let call = RuntimeCall::Utility(pallet_utility::Call::batch_all { calls });
		let xt = tx::sign(call, funder, nonce, genesis);
		match chain.submit(&tx::hex(&xt)).await {
			Submission::Accepted => nonce += 1,
			Submission::PoolFull => bail!("the pool is full: cannot fund the senders"),
			Submission::Refused(reason) => bail!("funding refused: {reason}"),
		}
	}
	let deadline = Instant::now() + Duration::from_secs(120);
	loop {
		let at = chain.finalized_head().await?;
		let accounts = chain.accounts(ids, at).await?;
		if accounts.iter().all(|account| account.free >= target) {
			return Ok(());
		}
		if Instant::now() > deadline {
			bail!("the senders' funding was not finalized within 2 minutes");
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

/// Signs `count` transfers on all cores: transfer j goes from sender j mod K to the next sender
/// in the ring, so consecutive submissions come from different senders and each sender's nonces
/// arrive in order. Returns them hex-encoded for `author_submitExtrinsic`, and an index from
/// extrinsic hash to position.
fn presign(
	pairs: &[AnyPair],
	ids: &[AccountId],
	nonces: &[Nonce],
	count: u32,
	genesis: Hash,
) -> (Vec<String>, Arc<HashMap<Hash, u32>>) {
	let k = pairs.len() as u32;
	let sign = |j: u32| {
		let from = (j % k) as usize;
		let to = &ids[((j + 1) % k) as usize];
		let nonce = nonces[from] + j / k;
		let xt = tx::sign(tx::transfer(to, AMOUNT), &pairs[from], nonce, genesis);
		let bytes = xt.encode();
		(BlakeTwo256::hash(&bytes), tx::hex(&xt))
	};
	let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u32;
	let chunk = count.div_ceil(threads);
	let signed: Vec<(Hash, String)> = std::thread::scope(|scope| {
		let handles: Vec<_> = (0..threads)
			.map(|t| {
				let range = (t * chunk)..((t + 1) * chunk).min(count);
				scope.spawn(move || range.map(sign).collect::<Vec<_>>())
			})
			.collect();
		handles
			.into_iter()
			.flat_map(|h| h.join().expect("signing does not panic"))
			.collect()
	});
	let index = signed
		.iter()
		.enumerate()
		.map(|(j, (hash, _))| (*hash, j as u32))
		.collect();
	let txs = signed.into_iter().map(|(_, hex)| hex).collect();
	(txs, Arc::new(index))
}

/// Submits every transfer with `in_flight` requests outstanding over `connections` sockets;
/// when the pool is full, waits and sends the same transfer again.
async fn submit(args: &Args, state: &Shared, txs: Arc<Vec<String>>) -> Result<()> {
	let per_connection = args.in_flight.div_ceil(args.connections);
	let mut connections = Vec::new();
	for _ in 0..args.connections {
		connections.push(Arc::new(Chain::connect(&args.url, per_connection).await?));
	}
	let next = Arc::new(AtomicUsize::new(0));
	let max_pending = args.max_pending;
	let workers: Vec<_> = (0..args.in_flight)
		.map(|w| {
			let (chain, state, txs, next) = (
				connections[w % connections.len()].clone(),
				state.clone(),
				txs.clone(),
				next.clone(),
			);
			tokio::spawn(async move {
				loop {
					let j = next.fetch_add(1, Ordering::Relaxed);
					let Some(signed) = txs.get(j) else { break };
					// Keep the pool under its limit: a transaction the pool evicts to make room
					// was accepted and is then never included.
					while lock(&state).pending() >= max_pending {
						tokio::time::sleep(Duration::from_millis(10)).await;
					}
					loop {
						let sent = lock(&state).now();
						let answer = chain.submit(signed).await;
						let pool_full = {
							let mut state = lock(&state);
							state.last_answer = state.now();
							match answer {
								Submission::Accepted => {
									state.sent_at[j] = Some(sent);
									state.accepted += 1;
									false
								}
								Submission::PoolFull => {
									state.retries += 1;
									true
								}
								Submission::Refused(reason) => {
									*state.refused_by_reason.entry(reason).or_default() += 1;
									false
								}
							}
						};
						if !pool_full {
							break;
						}
						tokio::time::sleep(Duration::from_millis(50)).await;
					}
				}
			})
		})
		.collect();
	for worker in workers {
		worker.await.context("a submitter failed")?;
	}
	Ok(())
}

/// Waits until every accepted transfer is finalized, or nothing new is finalized for `stall`.
async fn wait_for_finality(
	state: &Shared,
	count: usize,
	stall: Duration,
	follower: &tokio::task::JoinHandle<Result<()>>,
) {
	let mut last = (0, Instant::now());
	loop {
		let (settled, finalized) = {
			let state = lock(state);
			(
				state.finalized_count + state.refused(),
				state.finalized_count,
			)
		};
		if settled as usize >= count || follower.is_finished() {
			return;
		}
		if finalized != last.0 {
			last = (finalized, Instant::now());
		} else if last.1.elapsed() > stall {
			return;
		}
		tokio::time::sleep(Duration::from_millis(100)).await;
	}
}

/// Follows new best blocks (inclusion) and finalized blocks (finality) until told to stop.
async fn follow(
	chain: Chain,
	state: Shared,
	index: Arc<HashMap<Hash, u32>>,
	mut best: u32,
	mut finalized: u32,
	mut stop: watch::Receiver<bool>,
) -> Result<()> {
	let mut new_heads = chain.subscribe_heads(false).await?;
	let mut final_heads = chain.subscribe_heads(true).await?;
	// Blocks announced as best and not yet final, with when they were announced.
	let mut seen: HashMap<Hash, (Block, f64)> = HashMap::new();
	let include = |block: &Block| {
		let mut state = lock(&state);
		for j in block.extrinsics.iter().filter_map(|h| index.get(h)) {
			if !std::mem::replace(&mut state.included[*j as usize], true) {
				state.included_count += 1;
			}
		}
	};
	loop {
		tokio::select! {
			// A block announced and finalized at once is counted as imported first.
			biased;
			head = new_heads.next() => {
				let head = head.context("the new-heads subscription ended")??;
				let announced = lock(&state).now();
				let number = parse_number(&head["number"])?;
				for n in (best + 1)..=number {
					let hash = chain.block_hash(n).await?;
					let block = chain.block(hash).await?;
					include(&block);
					seen.insert(hash, (block, announced));
				}
				best = best.max(number);
			},
			head = final_heads.next() => {
				let head = head.context("the finalized-heads subscription ended")??;
				let finalized_at = lock(&state).now();
				let number = parse_number(&head["number"])?;
				for n in (finalized + 1)..=number {
					let hash = chain.block_hash(n).await?;
					let (block, imported_at) = match seen.remove(&hash) {
						Some((block, imported_at)) => (block, Some(imported_at)),
						None => {
							let block = chain.block(hash).await?;
							include(&block);
							(block, None)
						},
					};
					let timestamp_ms = chain.timestamp(hash).await?;
					let normal_ref_time = chain.normal_weight(hash).await?.ref_time();
					let mut state = lock(&state);
					let mut transfers = 0;
					for j in block.extrinsics.iter().filter_map(|h| index.get(h)) {
						if state.finalized_at[*j as usize].replace(finalized_at).is_none() {
							state.finalized_count += 1;
							transfers += 1;
						}
					}
					state.blocks.push(BlockRecord {
						number: block.number,
						hash,
						imported_at,
						finalized_at,
						timestamp_ms,
						extrinsics: block.extrinsics.len(),
						transfers,
						normal_ref_time,
						length: block.length,
					});
					state.last_finalized = Some(hash);
				}
				finalized = finalized.max(number);
				seen.retain(|_, (block, _)| block.number > finalized);
			},
			_ = stop.changed() => return Ok(()),
		}
	}
}

/// Samples the counters (and the node's memory) until told to stop, and once more then, so the
/// series ends with the run's final state even when the last block settled everything at once;
/// drives the progress bar.
async fn sample(
	state: Shared,
	node_pid: Option<u32>,
	progress: ProgressBar,
	mut stop: watch::Receiver<bool>,
) -> Vec<Sample> {
	let mut samples = Vec::new();
	let mut ticker = tokio::time::interval(SAMPLE_EVERY);
	loop {
		let stopping = tokio::select! {
			_ = ticker.tick() => false,
			_ = stop.changed() => true,
		};
		let rss_bytes = node_pid.and_then(|pid| proc_status(pid, "VmRSS"));
		let state = lock(&state);
		let sample = Sample {
			t: state.now(),
			accepted: state.accepted,
			included: state.included_count,
			finalized: state.finalized_count,
			pool: state.pending(),
			rss_bytes,
		};
		progress.set_position(sample.finalized as u64);
		progress.set_message(format!(
			"accepted {} · in pool {} · refused {}",
			sample.accepted,
			sample.pool,
			state.refused()
		));
		samples.push(sample);
		if stopping {
			return samples;
		}
	}
}

fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
	if quiet {
		return ProgressBar::hidden();
	}
	let bar = ProgressBar::new(len);
	bar.set_style(
		ProgressStyle::with_template(
			"{elapsed_precise} [{bar:30}] {pos}/{len} finalized ({per_sec}) {msg}",
		)
		.expect("a valid template")
		.progress_chars("=> "),
	);
	bar
}

/// A memory figure (`VmRSS`, `VmHWM`) of process `pid`, in bytes, from `/proc/<pid>/status`.
fn proc_status(pid: u32, field: &str) -> Option<u64> {
	let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
	let line = status.lines().find(|line| line.starts_with(field))?;
	let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
	Some(kib * 1024)
}

/// Checks every sender's nonce and balance at the last finalized block against its state
/// before the run, the finalized transfers it sent and received, and the fees it paid.
async fn audit(
	chain: &Chain,
	state: &State,
	ids: &[AccountId],
	initial: &[Account],
	at: Hash,
) -> Result<Audit> {
	let k = ids.len();
	let position: HashMap<&AccountId, usize> =
		ids.iter().enumerate().map(|(i, id)| (id, i)).collect();
	let mut sent = vec![0 as Nonce; k];
	let mut received = vec![0 as Balance; k];
	for (j, finalized) in state.finalized_at.iter().enumerate() {
		if finalized.is_some() {
			sent[j % k] += 1;
			received[(j + 1) % k] += AMOUNT;
		}
	}
	let mut fees = vec![0 as Balance; k];
	for block in state.blocks.iter().filter(|block| block.transfers > 0) {
		for event in chain.events(block.hash).await? {
			if let RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid {
					who, actual_fee, ..
				},
			) = event
			{
				if let Some(&i) = position.get(&who) {
					fees[i] += actual_fee;
				}
			}
		}
	}
	let end = chain.accounts(ids, at).await?;
	let mut mismatches = 0;
	for i in 0..k {
		let expected_free = initial[i].free + received[i] - sent[i] as Balance * AMOUNT - fees[i];
		let expected_nonce = initial[i].nonce + sent[i];
		if end[i].free != expected_free || end[i].nonce != expected_nonce {
			mismatches += 1;
		}
	}
	Ok(Audit {
		accounts: k as u32,
		mismatches,
		fees_paid: fees.iter().sum(),
	})
}
