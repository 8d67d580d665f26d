//! How the single-state pool validates transactions: in batches, one runtime call for all that
//! wait, and below the chain's own work in CPU priority.
//!
//! Substrate's pool calls the runtime once per transaction. Each call takes a fresh Wasm
//! instance whose memory is reset afterwards and faulted in again page by page; on a 2-core
//! machine each reset also interrupts the other core to flush its TLB. Under load that overhead
//! cost more than the validation it wrapped. [`BatchedChainApi`] queues what the pool asks and
//! one thread validates everything queued in one call of
//! [`BatchValidationApi`](consortia_primitives::batch::BatchValidationApi). A request that comes
//! while a batch runs waits for the next: with nothing else queued, a batch is one transaction
//! and costs what Substrate's call does.

use crate::service::FullClient;
use codec::{DecodeLimit, Encode};
use consortia_primitives::batch::BatchValidationApi;
use consortia_runtime::{opaque::Block, BlockNumber};
use futures::{
	channel::{mpsc, oneshot},
	future::BoxFuture,
	FutureExt, StreamExt,
};
use polkadot_sdk::{
	sc_transaction_pool::{
		BasicPool, ChainApi, FullChainApi, TimedTransactionSource, ValidateTransactionPriority,
	},
	sc_transaction_pool_api::{
		ChainEvent, ImportNotificationStream, LocalTransactionPool, MaintainedTransactionPool,
		PoolStatus, ReadyTransactions, TransactionFor, TransactionPool, TransactionSource,
		TransactionStatusStreamFor, TxHash, TxInvalidityReportMap,
	},
	sp_api::{ApiExt, ProvideRuntimeApi},
	sp_blockchain::{Error as BlockchainError, HashAndNumber, TreeRoute},
	sp_core::traits::SpawnEssentialNamed,
	sp_runtime::{
		generic::BlockId, traits::Block as BlockT, transaction_validity::TransactionValidity,
		OpaqueExtrinsic,
	},
	substrate_prometheus_endpoint::{
		register, Counter, Histogram, HistogramOpts, PrometheusError, Registry, U64,
	},
};
use std::{
	collections::{HashMap, VecDeque},
	pin::Pin,
	sync::Arc,
};

type Hash = <Block as BlockT>::Hash;
type Inner = FullChainApi<FullClient, Block>;
type Error = <Inner as ChainApi>::Error;

const LOG_TARGET: &str = "txpool";

/// The most transactions one runtime call validates. A batch holds up one thread's reply to
/// its first submitter until the last is validated; at about 100 µs each, 256 take some 25 ms.
const MAX_BATCH: usize = 256;

/// The most bytes of transactions one runtime call validates, so that a few large ones cannot
/// take the call past the runtime's memory (then each would be validated again, alone).
const MAX_BATCH_BYTES: usize = 1 << 20;

/// A transaction waiting for validation, and where its answer goes.
struct Request {
	at: Hash,
	source: TransactionSource,
	xt: Arc<OpaqueExtrinsic>,
	/// Maintenance (pruning a block's transactions that the pool did not hold, a reorg's
	/// resubmissions, offchain workers' local submissions), which the pool or its caller waits
	/// for, goes ahead of new submissions.
	maintained: bool,
	reply: oneshot::Sender<Result<TransactionValidity, Error>>,
}

/// Substrate's [`FullChainApi`], with validation batched on a thread of its own.
pub struct BatchedChainApi {
	inner: Arc<Inner>,
	requests: mpsc::UnboundedSender<Request>,
}

impl BatchedChainApi {
	/// Starts the validation thread, at [`VALIDATION_NICENESS`], as an essential task of
	/// `spawner`: the node stops if it ends.
	pub fn new(
		client: Arc<FullClient>,
		registry: Option<&Registry>,
		spawner: impl SpawnEssentialNamed + Clone,
	) -> Result<Self, PrometheusError> {
		let spawner = ValidationSpawner(spawner);
		// Answers what is not validation, and validates one by one when a batch fails (on the
		// caller's thread: its own two validation threads stay idle).
		let inner = Arc::new(FullChainApi::new(client.clone(), None, &spawner));
		let metrics = registry.map(Metrics::register).transpose()?;
		let (requests, queue) = mpsc::unbounded();
		let validator = Validator { client, inner: inner.clone(), metrics };
		spawner.spawn_essential_blocking(
			"txpool-batch-validation",
			Some("transaction-pool"),
			validator.run(queue).boxed(),
		);
		Ok(Self { inner, requests })
	}
}

#[derive(Clone)]
struct Metrics {
	batches: Counter<U64>,
	batch_size: Histogram,
	one_by_one: Counter<U64>,
}

impl Metrics {
	fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		Ok(Self {
			batches: register(
				Counter::new(
					"consortia_txpool_validation_batches_total",
					"Runtime calls that validated a batch of transactions",
				)?,
				registry,
			)?,
			batch_size: register(
				Histogram::with_opts(
					HistogramOpts::new(
						"consortia_txpool_validation_batch_size",
						"Transactions validated in one runtime call",
					)
					.buckets(vec![1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0]),
				)?,
				registry,
			)?,
			one_by_one: register(
				Counter::new(
					"consortia_txpool_validations_one_by_one_total",
					"Transactions validated alone: undecodable, or in a batch that failed",
				)?,
				registry,
			)?,
		})
	}
}

/// The validation thread.
struct Validator {
	client: Arc<FullClient>,
	inner: Arc<Inner>,
	metrics: Option<Metrics>,
}

impl Validator {
	/// Validates what is queued in batches of requests at the same block, maintenance first:
	/// before each batch it takes in what arrived meanwhile, so a maintenance request waits
	/// for one batch at most. Ends when the pool is dropped.
	async fn run(self, mut queue: mpsc::UnboundedReceiver<Request>) {
		let (mut maintained, mut submitted) = (VecDeque::new(), VecDeque::new());
		loop {
			if maintained.is_empty() && submitted.is_empty() {
				let Some(request) = queue.next().await else { return };
				sort(request, &mut maintained, &mut submitted);
			}
			while let Ok(request) = queue.try_recv() {
				sort(request, &mut maintained, &mut submitted);
			}
			let next = if maintained.is_empty() { &mut submitted } else { &mut maintained };
			self.validate(next_batch(next));
		}
	}

	/// Validates `batch`, all at one block, in one runtime call. A runtime without the batch
	/// API, or a call that fails, has each validated alone, as Substrate does, so each gets its
	/// own answer. Bytes that are no transaction of this node's runtime would fail the whole
	/// call (the runtime cannot decode its input), so they are validated alone from the start:
	/// a stream of malformed submissions cannot turn every batch into single calls.
	fn validate(&self, batch: Vec<Request>) {
		let (batch, malformed): (Vec<_>, Vec<_>) =
			batch.into_iter().partition(|request| decodes(&request.xt));
		self.validate_one_by_one(malformed);
		let Some(at) = batch.first().map(|request| request.at) else { return };
		let transactions = batch.iter().map(|r| (r.source, (*r.xt).clone())).collect();
		let api = self.client.runtime_api();
		let validities = match api.has_api::<dyn BatchValidationApi<Block>>(at) {
			Ok(true) => api
				.validate_transactions(at, transactions, at)
				.inspect_err(|e| log::warn!(target: LOG_TARGET, "batch validation failed: {e}"))
				.ok()
				.filter(|validities| validities.len() == batch.len()),
			_ => None,
		};
		match validities {
			Some(validities) => {
				if let Some(metrics) = &self.metrics {
					metrics.batches.inc();
					metrics.batch_size.observe(batch.len() as f64);
				}
				for (request, validity) in batch.into_iter().zip(validities) {
					let _ = request.reply.send(Ok(validity));
				}
			},
			None => self.validate_one_by_one(batch),
		}
	}

	/// Validates each of `requests` in a runtime call of its own.
	fn validate_one_by_one(&self, requests: Vec<Request>) {
		if let Some(metrics) = &self.metrics {
			metrics.one_by_one.inc_by(requests.len() as u64);
		}
		for Request { at, source, xt, reply, .. } in requests {
			let _ = reply.send(self.inner.validate_transaction_blocking(at, source, xt));
		}
	}
}

/// Puts `request` in the queue of its priority.
fn sort(request: Request, maintained: &mut VecDeque<Request>, submitted: &mut VecDeque<Request>) {
	if request.maintained { maintained } else { submitted }.push_back(request)
}

/// Takes from the front of `queue` the requests at the block of the first, up to
/// [`MAX_BATCH`] of them and [`MAX_BATCH_BYTES`].
fn next_batch(queue: &mut VecDeque<Request>) -> Vec<Request> {
	let mut batch: Vec<Request> = Vec::new();
	let mut bytes = 0;
	while let Some(next) = queue.front() {
		let size = next.xt.inner().len();
		let full = batch.len() == MAX_BATCH || bytes + size > MAX_BATCH_BYTES;
		if batch.first().is_some_and(|first| first.at != next.at || full) {
			break;
		}
		bytes += size;
		batch.extend(queue.pop_front());
	}
	batch
}

/// Whether `xt` decodes as a transaction of the runtime this node was built with, nested no
/// deeper than the runtime decodes (a deeper call would exhaust this thread's stack). The
/// chain's runtime may have moved on (an upgrade), so this only chooses how to validate: the
/// runtime at the block decides.
fn decodes(xt: &OpaqueExtrinsic) -> bool {
	xt.using_encoded(|bytes| {
		consortia_runtime::UncheckedExtrinsic::decode_all_with_depth_limit(
			polkadot_sdk::frame_support::MAX_EXTRINSIC_DEPTH,
			&mut &bytes[..],
		)
		.is_ok()
	})
}

#[async_trait::async_trait]
impl ChainApi for BatchedChainApi {
	type Block = Block;
	type Error = Error;

	async fn validate_transaction(
		&self,
		at: Hash,
		source: TransactionSource,
		xt: Arc<OpaqueExtrinsic>,
		priority: ValidateTransactionPriority,
	) -> Result<TransactionValidity, Error> {
		let (reply, answer) = oneshot::channel();
		let maintained = priority == ValidateTransactionPriority::Maintained;
		// Should the validation thread have stopped, the request is dropped and so is `reply`.
		let _ = self.requests.unbounded_send(Request { at, source, xt, maintained, reply });
		answer.await.map_err(BlockchainError::from)?
	}

	fn validate_transaction_blocking(
		&self,
		at: Hash,
		source: TransactionSource,
		xt: Arc<OpaqueExtrinsic>,
	) -> Result<TransactionValidity, Error> {
		self.inner.validate_transaction_blocking(at, source, xt)
	}

	fn block_id_to_number(&self, at: &BlockId<Block>) -> Result<Option<BlockNumber>, Error> {
		self.inner.block_id_to_number(at)
	}

	fn block_id_to_hash(&self, at: &BlockId<Block>) -> Result<Option<Hash>, Error> {
		self.inner.block_id_to_hash(at)
	}

	fn hash_and_length(&self, xt: &OpaqueExtrinsic) -> (Hash, usize) {
		self.inner.hash_and_length(xt)
	}

	async fn block_body(&self, at: Hash) -> Result<Option<Vec<OpaqueExtrinsic>>, Error> {
		self.inner.block_body(at).await
	}

	fn block_header(&self, at: Hash) -> Result<Option<<Block as BlockT>::Header>, Error> {
		self.inner.block_header(at)
	}

	fn tree_route(&self, from: Hash, to: Hash) -> Result<TreeRoute<Block>, Error> {
		self.inner.tree_route(from, to)
	}
}

/// Substrate's single-state pool on [`BatchedChainApi`].
///
/// Substrate gives local submission (offchain workers') only to the pool on its own
/// `FullChainApi`; this type adds it and passes everything else through, so the pool takes the
/// same place in the node as Substrate's.
pub struct BatchedPool(pub BasicPool<BatchedChainApi, Block>);

impl LocalTransactionPool for BatchedPool {
	type Block = Block;
	type Hash = Hash;
	type Error = Error;

	/// Validates and submits `xt` at `at` ahead of submissions waiting for validation,
	/// blocking the caller (an offchain worker's thread) until the validation thread has
	/// answered. Not to be called from that thread, nor from an async task.
	fn submit_local(&self, at: Hash, xt: OpaqueExtrinsic) -> Result<Hash, Error> {
		let number = self.0.api().resolve_block_number(at)?;
		let at = HashAndNumber { hash: at, number };
		let local = (TimedTransactionSource::new_local(false), Arc::new(xt));
		let priority = ValidateTransactionPriority::Maintained;
		let submission = self.0.pool().submit_at(&at, [local], priority);
		let result = futures::executor::block_on(submission).pop();
		result.expect("one result for one transaction; qed").map(|outcome| outcome.hash())
	}
}

#[async_trait::async_trait]
impl TransactionPool for BatchedPool {
	type Block = Block;
	type Hash = Hash;
	type InPoolTransaction =
		<BasicPool<BatchedChainApi, Block> as TransactionPool>::InPoolTransaction;
	type Error = Error;

	async fn submit_at(
		&self,
		at: Hash,
		source: TransactionSource,
		xts: Vec<TransactionFor<Self>>,
	) -> Result<Vec<Result<TxHash<Self>, Error>>, Error> {
		self.0.submit_at(at, source, xts).await
	}

	async fn submit_one(
		&self,
		at: Hash,
		source: TransactionSource,
		xt: TransactionFor<Self>,
	) -> Result<TxHash<Self>, Error> {
		self.0.submit_one(at, source, xt).await
	}

	async fn submit_and_watch(
		&self,
		at: Hash,
		source: TransactionSource,
		xt: TransactionFor<Self>,
	) -> Result<Pin<Box<TransactionStatusStreamFor<Self>>>, Error> {
		self.0.submit_and_watch(at, source, xt).await
	}

	async fn ready_at(
		&self,
		at: Hash,
	) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		self.0.ready_at(at).await
	}

	fn ready(&self) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		self.0.ready()
	}

	async fn report_invalid(
		&self,
		at: Option<Hash>,
		invalid_tx_errors: TxInvalidityReportMap<TxHash<Self>>,
	) -> Vec<Arc<Self::InPoolTransaction>> {
		self.0.report_invalid(at, invalid_tx_errors).await
	}

	fn futures(&self) -> Vec<Self::InPoolTransaction> {
		self.0.futures()
	}

	fn status(&self) -> PoolStatus {
		self.0.status()
	}

	fn import_notification_stream(&self) -> ImportNotificationStream<TxHash<Self>> {
		self.0.import_notification_stream()
	}

	fn on_broadcasted(&self, propagations: HashMap<TxHash<Self>, Vec<String>>) {
		self.0.on_broadcasted(propagations)
	}

	fn hash_of(&self, xt: &TransactionFor<Self>) -> TxHash<Self> {
		self.0.hash_of(xt)
	}

	fn ready_transaction(&self, hash: &TxHash<Self>) -> Option<Arc<Self::InPoolTransaction>> {
		self.0.ready_transaction(hash)
	}

	async fn ready_at_with_timeout(
		&self,
		at: Hash,
		timeout: std::time::Duration,
	) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		self.0.ready_at_with_timeout(at, timeout).await
	}
}

#[async_trait::async_trait]
impl MaintainedTransactionPool for BatchedPool {
	async fn maintain(&self, event: ChainEvent<Block>) {
		self.0.maintain(event).await
	}
}

/// Runs the pool's validation threads below the rest of the node in CPU priority.
///
/// Validation competes, on a 2-core machine, with the thread building the block. Under load,
/// each block that drained the pool was followed by a burst of submissions whose validation
/// took the author's core, and blocks alternated between about 2,700 and 4,900 transfers. At
/// nice 10 the author's thread, block import and finality take the cores first and validation
/// takes what is left: the chain's own work comes before admitting more of it, and submitters
/// wait a little longer.
#[derive(Clone)]
struct ValidationSpawner<S>(S);

/// The validation threads' niceness: CFS gives a nice-10 thread about a tenth of the CPU a
/// nice-0 thread gets when both want it, and all it can use when the others are idle.
const VALIDATION_NICENESS: i32 = 10;

impl<S: SpawnEssentialNamed + Clone> SpawnEssentialNamed for ValidationSpawner<S> {
	fn spawn_essential_blocking(
		&self,
		name: &'static str,
		group: Option<&'static str>,
		future: BoxFuture<'static, ()>,
	) {
		// A blocking task runs on a thread of its own for its whole life (sc-service hands it
		// to tokio's `spawn_blocking`): its first poll sets that thread's priority. The
		// validation loop ends only at shutdown, when the thread may go back to tokio's pool
		// still at nice 10; threads started from it would inherit that, and it starts none.
		let lowered = async move {
			lower_this_threads_priority();
			future.await
		};
		self.0.spawn_essential_blocking(name, group, lowered.boxed())
	}

	fn spawn_essential(
		&self,
		name: &'static str,
		group: Option<&'static str>,
		future: BoxFuture<'static, ()>,
	) {
		self.0.spawn_essential(name, group, future)
	}
}

/// Sets the calling thread's niceness to [`VALIDATION_NICENESS`]. Linux only; elsewhere the
/// threads keep the node's priority.
fn lower_this_threads_priority() {
	#[cfg(target_os = "linux")]
	{
		// SAFETY: `gettid` and `setpriority` only read their arguments; on Linux,
		// `PRIO_PROCESS` with a thread id sets that thread's niceness alone.
		let result = unsafe {
			libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, VALIDATION_NICENESS)
		};
		if result != 0 {
			log::debug!(
				target: LOG_TARGET,
				"validation thread keeps its priority: {}",
				std::io::Error::last_os_error()
			);
		}
	}
}
