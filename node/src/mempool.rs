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

use consortia_runtime::{
	opaque::Block, pallet_health::Refusal as HeartbeatRefusal, pallet_mempool_policy,
	pallet_wallet::Refusal as WalletRefusal, Balance,
};
use pallet_mempool_policy::{runtime_api::MempoolPolicyApi, Refusal, Strategy};
use polkadot_sdk::{
	sc_transaction_pool_api::{
		error::{Error as PoolError, IntoPoolError},
		ChainEvent, ImportNotificationStream, MaintainedTransactionPool, PoolStatus,
		ReadyTransactions, TransactionFor, TransactionPool, TransactionSource,
		TransactionStatusStreamFor, TxHash, TxInvalidityReportMap,
	},
	sp_api::ProvideRuntimeApi,
	sp_blockchain::HeaderBackend,
	sp_runtime::{traits::Block as BlockT, transaction_validity::InvalidTransaction, OpaqueExtrinsic},
	substrate_prometheus_endpoint::{register, CounterVec, Opts, PrometheusError, Registry, U64},
};
use std::{collections::HashMap, pin::Pin, sync::Arc, sync::Mutex};

type Hash = <Block as BlockT>::Hash;

/// The ready queue's limits (`--pool-limit`, `--pool-kbytes`).
#[derive(Clone, Copy, Debug)]
pub struct ReadyLimit {
	pub count: usize,
	pub bytes: usize,
}

/// The node's transaction pool: Substrate's, behind the policy's node-side rules.
pub struct PolicedPool<P, C> {
	inner: Arc<P>,
	client: Arc<C>,
	limit: ReadyLimit,
	refusals: Option<CounterVec<U64>>,
	/// The strategy read at a best block, so a burst of submissions asks the runtime once.
	strategy: Mutex<Option<(Hash, Strategy)>>,
}

impl<P, C> PolicedPool<P, C>
where
	P: TransactionPool<Block = Block>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
	C::Api: MempoolPolicyApi<Block, Balance>,
{
	pub fn new(
		inner: Arc<P>,
		client: Arc<C>,
		limit: ReadyLimit,
		registry: Option<&Registry>,
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
		Ok(Self { inner, client, limit, refusals, strategy: Mutex::new(None) })
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
		let full = ready >= self.limit.count || ready_bytes >= self.limit.bytes;
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
		self.inner.maintain(event).await
	}
}

