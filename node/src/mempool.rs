//! The node's side of the mempool policy: the pool that RPC and the network submit to.
//!
//! The runtime decides admission and priority (pallet-mempool-policy); this wrapper adds what
//! only the node can see:
//! - a full pool refuses newcomers under `Timeline`. Substrate's pool, when full, evicts the
//!   oldest of the lowest priority, and under `Timeline` every transaction has the same
//!   priority: it would silently drop what it accepted first. Chain33's timeline refuses the
//!   new transaction instead, which its sender hears about. (Under `Price` and `Score` the pool's
//!   own rule stands: the lowest priority goes, which is the newcomer if it offers least.)
//!   The rule is for signed transactions: bare ones (validators' heartbeats) always reach the
//!   pool, where their priority puts them ahead of any transfer.
//! - Prometheus counts every refused submission by reason
//!   (`consortia_mempool_refusals_total{reason}`).
//! - the single-state pool revalidates lightly, and the transactions of blocks that a reorg
//!   retracts are put back here (see [`build_pool`]).

use crate::{
	service::{FullClient, FullPool},
	validation::{BatchedChainApi, BatchedPool},
};
use consortia_runtime::{
	opaque::Block, pallet_health::Refusal as HeartbeatRefusal, pallet_mempool_policy,
	pallet_wallet::Refusal as WalletRefusal, Balance, BlockNumber,
};
use pallet_mempool_policy::{runtime_api::MempoolPolicyApi, Refusal, Strategy};
use polkadot_sdk::{
	sc_client_api::{BlockBackend, UsageProvider},
	sc_service::Configuration,
	sc_transaction_pool::{
		BasicPool, Builder, Options, Pool, PoolLimit, RevalidationType,
		TimedTransactionSource, TransactionPoolType, TransactionPoolWrapper,
		ValidateTransactionPriority,
	},
	sc_transaction_pool_api::{
		error::{Error as PoolError, IntoPoolError},
		ChainEvent, ImportNotificationStream, MaintainedTransactionPool, PoolStatus,
		ReadyTransactions, TransactionFor, TransactionPool, TransactionSource,
		TransactionStatusStreamFor, TxHash, TxInvalidityReportMap,
	},
	sp_api::ProvideRuntimeApi,
	sp_blockchain::{tree_route, HashAndNumber, HeaderBackend},
	sp_core::traits::SpawnEssentialNamed,
	sp_runtime::{
		traits::{Block as BlockT, Header as _},
		transaction_validity::InvalidTransaction,
		OpaqueExtrinsic,
	},
	substrate_prometheus_endpoint::{register, CounterVec, Opts, PrometheusError, Registry, U64},
};
use std::{
	collections::{HashMap, HashSet},
	pin::Pin,
	sync::{Arc, Mutex},
	time::Duration,
};

type Hash = <Block as BlockT>::Hash;

const LOG_TARGET: &str = "txpool";

/// The pool's settings from the command line: `--pool-type`, `--pool-limit`, `--pool-kbytes`
/// and `--tx-ban-seconds`.
#[derive(Clone, Debug)]
pub struct PoolSettings {
	pub kind: TransactionPoolType,
	pub options: Options,
}

impl PoolSettings {
	/// Reads the flags as sc-cli does (the options it builds keep them private): the future
	/// queue holds a tenth of the ready queue's limits, and a transaction a block included or
	/// the pool found invalid is refused again for `--tx-ban-seconds`, by default for 30
	/// minutes, and not at all on a `--dev` chain.
	pub fn from_params(params: &polkadot_sdk::sc_cli::TransactionPoolParams, is_dev: bool) -> Self {
		let mut options = Options::default();
		options.ready.count = params.pool_limit;
		options.ready.total_bytes = params.pool_kbytes * 1024;
		options.future.count = params.pool_limit / 10;
		options.future.total_bytes = params.pool_kbytes * 1024 / 10;
		options.ban_time = Duration::from_secs(
			params.tx_ban_seconds.unwrap_or(if is_dev { 0 } else { 30 * 60 }),
		);
		Self { kind: params.pool_type.into(), options }
	}
}

/// Builds the node's transaction pool: Substrate's, of the kind `settings` names, behind the
/// policy's node-side rules.
///
/// The single-state pool validates in batches, below the chain's own work in CPU priority (see
/// [`crate::validation`]), and is built with light revalidation. Substrate's full revalidation
/// queues every ready transaction after each block and revalidates a quarter of the queue
/// every 200 ms. Under sustained load, with the pool holding a block's worth or more, that
/// re-ran the runtime's validation for 75 % as many transactions again as were submitted, on
/// the same two cores that validate submissions and build blocks. Light revalidation goes over
/// the ready queue every 20 blocks or 60 seconds instead. What a stale entry would cost is
/// small: the block builder skips a transaction that no longer applies and the pool drops it.
///
/// Light revalidation runs inside the pool's maintenance, which waits for it: once every 20
/// blocks, the next block may be built from a ready queue not yet cleared of the previous
/// block's transactions (they fail on their nonce and are skipped). The standard run's figures
/// include this.
///
/// Light revalidation also leaves out putting back the transactions of blocks that a reorg
/// retracts; [`PolicedPool`] does that itself, so nothing a retracted block held is lost.
///
/// The fork-aware pool is built from the options sc-cli made of the same flags.
pub fn build_pool(
	settings: &PoolSettings,
	config: &Configuration,
	client: Arc<FullClient>,
	spawner: impl SpawnEssentialNamed + Clone + 'static,
) -> Result<PolicedPool<FullPool, FullClient>, PrometheusError> {
	let registry = config.prometheus_registry();
	let is_validator = config.role.is_authority().into();
	let (inner, reorgs) = match settings.kind {
		TransactionPoolType::SingleState => {
			let api = Arc::new(BatchedChainApi::new(client.clone(), registry, spawner.clone())?);
			let chain = client.usage_info().chain;
			let pool = BasicPool::with_revalidation_type(
				settings.options.clone(),
				is_validator,
				api,
				registry,
				RevalidationType::Light,
				spawner,
				chain.best_number,
				chain.best_hash,
				chain.finalized_hash,
			);
			let reorgs = Reorgs {
				graph: pool.pool().clone(),
				client: client.clone(),
				best: Mutex::new((chain.best_hash, chain.best_number)),
			};
			(TransactionPoolWrapper(Box::new(BatchedPool(pool))), Some(reorgs))
		},
		TransactionPoolType::ForkAware => {
			let pool = Builder::new(spawner, client.clone(), is_validator)
				.with_options(config.transaction_pool.clone())
				.with_prometheus(registry)
				.build();
			(pool, None)
		},
	};
	log::info!(
		target: LOG_TARGET,
		"💸 Transaction pool: {:?}, ready up to {} transactions or {} KiB",
		settings.kind,
		settings.options.ready.count,
		settings.options.ready.total_bytes / 1024,
	);
	PolicedPool::new(Arc::new(inner), client, settings.options.ready.clone(), registry, reorgs)
}

/// The single-state pool, and the chain it follows, for putting back what reorgs retract.
struct Reorgs {
	graph: Arc<Pool<BatchedChainApi, ()>>,
	client: Arc<FullClient>,
	/// The best block the pool last followed.
	best: Mutex<(Hash, BlockNumber)>,
}

/// A new best block more than this far above the last one means the node was catching up (no
/// best-block notices come during a major sync), not that a fork replaced its blocks: its
/// transactions are not replayed, as Substrate's pool skips maintenance then.
const MAX_CATCH_UP: BlockNumber = 20;

impl Reorgs {
	/// Before the pool follows the chain to `best`: resubmits the transactions of the blocks that
	/// the move from the last best block retracts, except those the new best chain holds, as
	/// Substrate's pool does under full revalidation. Resubmission skips the ban on included
	/// transactions, and the runtime validates each again at `best`, so one the new chain has
	/// already spent fails on its nonce. Done before the pool releases its ready queue for
	/// `best`, so the next block can include them.
	async fn follow(&self, best: Hash) {
		let Ok(Some(header)) = self.client.header(best) else { return };
		let number = *header.number();
		let (previous, previous_number) =
			std::mem::replace(&mut *self.best.lock().expect("no panics while held; qed"), (best, number));
		// The usual case, a child of the last best block, retracts nothing.
		if previous == best
			|| previous == *header.parent_hash()
			|| number > previous_number.saturating_add(MAX_CATCH_UP)
		{
			return;
		}
		let route = match tree_route(&*self.client, previous, best) {
			Ok(route) => route,
			Err(e) => {
				log::debug!(target: LOG_TARGET, "no route from {previous} to {best}: {e}");
				return;
			},
		};
		let retracted = route.retracted();
		if retracted.is_empty() {
			return;
		}
		let body = |block: &HashAndNumber<Block>| {
			self.client.block_body(block.hash).ok().flatten().unwrap_or_default()
		};
		let kept: HashSet<_> = route
			.enacted()
			.iter()
			.flat_map(body)
			.map(|xt| self.graph.hash_of(&xt))
			.collect();
		let returning: Vec<_> = retracted
			.iter()
			.flat_map(body)
			.filter(|xt| !kept.contains(&self.graph.hash_of(xt)))
			.map(|xt| (TimedTransactionSource::new_external(false), Arc::from(xt)))
			.collect();
		let offered = returning.len();
		let at = HashAndNumber { hash: best, number };
		let back = self
			.graph
			.resubmit_at(&at, returning, ValidateTransactionPriority::Maintained)
			.await
			.into_iter()
			.filter(Result::is_ok)
			.count();
		log::info!(
			target: LOG_TARGET,
			"♻️  Reorg retracted {} blocks: {back} of their {offered} transactions back in the pool",
			retracted.len(),
		);
	}
}

/// The node's transaction pool: Substrate's, behind the policy's node-side rules.
pub struct PolicedPool<P, C> {
	inner: Arc<P>,
	client: Arc<C>,
	/// The ready queue's limits (`--pool-limit`, `--pool-kbytes`).
	limit: PoolLimit,
	refusals: Option<CounterVec<U64>>,
	/// The strategy read at a best block, so a burst of submissions asks the runtime once.
	strategy: Mutex<Option<(Hash, Strategy)>>,
	/// Set when the pool leaves reorgs to its owner (see [`build_pool`]).
	reorgs: Option<Reorgs>,
}

impl<P, C> PolicedPool<P, C>
where
	P: TransactionPool<Block = Block>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
	C::Api: MempoolPolicyApi<Block, Balance>,
{
	fn new(
		inner: Arc<P>,
		client: Arc<C>,
		limit: PoolLimit,
		registry: Option<&Registry>,
		reorgs: Option<Reorgs>,
	) -> Result<Self, PrometheusError> {
		let refusals = registry
			.map(|registry| {
				register(
					CounterVec::new(
						Opts::new(
							"consortia_mempool_refusals_total",
							"Transactions the pool refused at submission, by reason",
						),
						&["reason"],
					)?,
					registry,
				)
			})
			.transpose()?;
		Ok(Self { inner, client, limit, refusals, strategy: Mutex::new(None), reorgs })
	}

	/// The pool as the runtime sees it: its submissions, counted.
	pub fn inner(&self) -> &Arc<P> {
		&self.inner
	}

	fn strategy(&self) -> Option<Strategy> {
		let best = self.client.info().best_hash;
		let mut cached = self.strategy.lock().expect("no panics while held; qed");
		match *cached {
			Some((at, strategy)) if at == best => Some(strategy),
			_ => {
				let strategy = self.client.runtime_api().policy(best).ok()?.strategy;
				*cached = Some((best, strategy));
				Some(strategy)
			},
		}
	}

	/// Under `Timeline`, a full ready queue takes nobody new.
	fn refuses_newcomers(&self) -> bool {
		let PoolStatus { ready, ready_bytes, .. } = self.inner.status();
		let full = ready >= self.limit.count || ready_bytes >= self.limit.total_bytes;
		full && self.strategy() == Some(Strategy::Timeline)
	}

	/// Submits through `submit` unless a full timeline pool refuses a `signed` transaction;
	/// counts refusals.
	async fn guarded<T>(
		&self,
		signed: bool,
		submit: impl std::future::Future<Output = Result<T, P::Error>>,
	) -> Result<T, P::Error> {
		if signed && self.refuses_newcomers() {
			return self.count(Err(PoolError::ImmediatelyDropped.into()));
		}
		self.count(submit.await)
	}

	/// Counts a refusal under the reason its sender reads.
	fn count<T>(&self, result: Result<T, P::Error>) -> Result<T, P::Error> {
		let Some(refusals) = &self.refusals else { return result };
		let error = match result {
			Ok(value) => return Ok(value),
			Err(error) => error,
		};
		match error.into_pool_error() {
			Ok(error) => {
				refusals.with_label_values(&[&reason(&error)]).inc();
				Err(error.into())
			},
			Err(other) => {
				refusals.with_label_values(&["Other"]).inc();
				Err(other)
			},
		}
	}
}

/// Whether `xt` is signed (it pays a fee and the timeline rule applies) rather than bare: the
/// top two bits of its version byte are the signed and general flags. Bare transactions, such
/// as validators' heartbeats and GRANDPA's equivocation reports, always go on to the pool, to be
/// judged by the runtime and placed by their priority.
fn is_signed(xt: &OpaqueExtrinsic) -> bool {
	xt.inner().first().is_none_or(|version| version & 0b1100_0000 != 0)
}

/// The metric label of a refusal: the policy's name for its own, the pool's error otherwise.
fn reason(error: &PoolError) -> String {
	match error {
		PoolError::InvalidTransaction(InvalidTransaction::Custom(code)) => Refusal::from_code(*code)
			.map(Refusal::name)
			.or_else(|| HeartbeatRefusal::from_code(*code).map(HeartbeatRefusal::name))
			.or_else(|| WalletRefusal::from_code(*code).map(WalletRefusal::name))
			.map_or_else(|| format!("Custom{code}"), Into::into),
		PoolError::InvalidTransaction(invalid) => {
			let label: &'static str = (*invalid).into();
			label.into()
		},
		other => other.as_ref().into(),
	}
}

#[async_trait::async_trait]
impl<P, C> TransactionPool for PolicedPool<P, C>
where
	P: TransactionPool<Block = Block> + 'static,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: MempoolPolicyApi<Block, Balance>,
{
	type Block = Block;
	type Hash = P::Hash;
	type InPoolTransaction = P::InPoolTransaction;
	type Error = P::Error;

	async fn submit_at(
		&self,
		at: Hash,
		source: TransactionSource,
		xts: Vec<TransactionFor<Self>>,
	) -> Result<Vec<Result<TxHash<Self>, Self::Error>>, Self::Error> {
		if !self.refuses_newcomers() {
			let results = self.inner.submit_at(at, source, xts).await?;
			return Ok(results.into_iter().map(|result| self.count(result)).collect());
		}
		// Full: only bare transactions go on to the pool; results keep the order given.
		let (bare, signed): (Vec<_>, Vec<_>) =
			xts.into_iter().enumerate().partition(|(_, xt)| !is_signed(xt));
		let (positions, bare): (Vec<usize>, Vec<_>) = bare.into_iter().unzip();
		let mut results: Vec<_> = signed
			.into_iter()
			.map(|(i, _)| (i, self.count(Err(PoolError::ImmediatelyDropped.into()))))
			.collect();
		if !bare.is_empty() {
			let admitted = self.inner.submit_at(at, source, bare).await?;
			results.extend(positions.into_iter().zip(admitted.into_iter().map(|r| self.count(r))));
		}
		results.sort_by_key(|(i, _)| *i);
		Ok(results.into_iter().map(|(_, result)| result).collect())
	}

	async fn submit_one(
		&self,
		at: Hash,
		source: TransactionSource,
		xt: TransactionFor<Self>,
	) -> Result<TxHash<Self>, Self::Error> {
		self.guarded(is_signed(&xt), self.inner.submit_one(at, source, xt)).await
	}

	async fn submit_and_watch(
		&self,
		at: Hash,
		source: TransactionSource,
		xt: TransactionFor<Self>,
	) -> Result<Pin<Box<TransactionStatusStreamFor<Self>>>, Self::Error> {
		self.guarded(is_signed(&xt), self.inner.submit_and_watch(at, source, xt)).await
	}

	async fn ready_at(
		&self,
		at: Hash,
	) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		self.inner.ready_at(at).await
	}

	fn ready(&self) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		self.inner.ready()
	}

	async fn report_invalid(
		&self,
		at: Option<Hash>,
		invalid_tx_errors: TxInvalidityReportMap<TxHash<Self>>,
	) -> Vec<Arc<Self::InPoolTransaction>> {
		self.inner.report_invalid(at, invalid_tx_errors).await
	}

	fn futures(&self) -> Vec<Self::InPoolTransaction> {
		self.inner.futures()
	}

	fn status(&self) -> PoolStatus {
		self.inner.status()
	}

	fn import_notification_stream(&self) -> ImportNotificationStream<TxHash<Self>> {
		self.inner.import_notification_stream()
	}

	fn on_broadcasted(&self, propagations: HashMap<TxHash<Self>, Vec<String>>) {
		self.inner.on_broadcasted(propagations)
	}

	fn hash_of(&self, xt: &TransactionFor<Self>) -> TxHash<Self> {
		self.inner.hash_of(xt)
	}

	fn ready_transaction(&self, hash: &TxHash<Self>) -> Option<Arc<Self::InPoolTransaction>> {
		self.inner.ready_transaction(hash)
	}

	async fn ready_at_with_timeout(
		&self,
		at: Hash,
		timeout: std::time::Duration,
	) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		self.inner.ready_at_with_timeout(at, timeout).await
	}
}

#[async_trait::async_trait]
impl<P, C> MaintainedTransactionPool for PolicedPool<P, C>
where
	P: MaintainedTransactionPool<Block = Block> + 'static,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: MempoolPolicyApi<Block, Balance>,
{
	async fn maintain(&self, event: ChainEvent<Block>) {
		if let (Some(reorgs), ChainEvent::NewBestBlock { hash, .. }) = (&self.reorgs, &event) {
			reorgs.follow(*hash).await;
		}
		self.inner.maintain(event).await
	}
}

