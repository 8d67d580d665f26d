//! Transaction gossip paced to what a peer connection can queue.
//!
//! Substrate's transactions protocol sends each transaction to each peer as a notification of
//! its own and never waits: once 2,048 notifications are queued for one peer, the network
//! (litep2p and libp2p alike) closes the whole connection to it, and the node loses that
//! peer's blocks and GRANDPA votes until it reconnects. Two paths overflowed that queue:
//!
//! - Every 2.9 s the protocol offers the whole ready queue again to each peer, less what it
//!   remembers the peer to have. It remembers the last 10,240 per peer, so a peer new to the
//!   node, or any peer once the ready queue holds more than that (a pass through too small a
//!   memory misses every time), was sent the whole queue at once. A four-validator network
//!   under load partitioned this way, and a validator joining a busy network was cut off
//!   again at every round.
//! - Each transaction new to the pool is sent at once, and a reorg puts thousands back
//!   together.
//!
//! [`Paced`] is the pool as the transactions protocol sees it, and bounds both. A periodic
//! round offers the first [`ROUND`] transactions of the ready queue: those a block takes first,
//! in the order a peer can validate them (a transaction whose predecessor a peer lacks
//! would wait in its small future queue, or be dropped there). New transactions go out at up to
//! [`RATE`] a second after a burst of [`BURST`]; one held back goes out in a round once it nears
//! the front. A burst to a peer is at most `ROUND + BURST`, well inside its queue; beyond that
//! the connection must drain [`RATE`] a second, which it does many times over even on loopback
//! between busy nodes. A token is spent per transaction offered, whether or not a peer lacks it,
//! so a reorg's resubmissions can hold back new transactions for a second. Everything else,
//! block production and RPC included, uses the pool directly.

use consortia_runtime::opaque::Block;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use polkadot_sdk::{
	sc_transaction_pool_api::{
		ImportNotificationStream, PoolStatus, ReadyTransactions, TransactionFor, TransactionPool,
		TransactionSource, TransactionStatusStreamFor, TxHash, TxInvalidityReportMap,
	},
	sp_runtime::traits::Block as BlockT,
	substrate_prometheus_endpoint::{register, Counter, PrometheusError, Registry, U64},
};
use std::{collections::HashMap, num::NonZeroU32, pin::Pin, sync::Arc};

type Hash = <Block as BlockT>::Hash;

/// The most transactions one periodic round offers a peer.
const ROUND: usize = 512;

/// New transactions gossiped at once before [`RATE`] applies.
const BURST: NonZeroU32 = NonZeroU32::new(1024).expect("not zero; qed");

/// New transactions gossiped per second after a burst: above what a node admits under load
/// (about 3,100 a second on this project's 2-core reference machine), so steady gossip is not
/// held back.
const RATE: NonZeroU32 = NonZeroU32::new(4096).expect("not zero; qed");

/// The budget for gossiping new transactions: [`BURST`], refilled at [`RATE`].
fn new_transactions_budget() -> DefaultDirectRateLimiter {
	RateLimiter::direct(Quota::per_second(RATE).allow_burst(BURST))
}

/// A periodic round: the front of the ready queue.
struct Round<T> {
	queue: Box<dyn ReadyTransactions<Item = T> + Send>,
	left: usize,
}

impl<T> Iterator for Round<T> {
	type Item = T;

	fn next(&mut self) -> Option<T> {
		self.left = self.left.checked_sub(1)?;
		self.queue.next()
	}
}

impl<T> ReadyTransactions for Round<T> {
	fn report_invalid(&mut self, tx: &T) {
		self.queue.report_invalid(tx)
	}
}

/// The transaction pool as the network's transactions protocol sees it: the same pool, with
/// what it offers for gossip paced (see the module's documentation).
pub struct Paced<P> {
	pool: Arc<P>,
	/// What new transactions may still go out at once.
	budget: DefaultDirectRateLimiter,
	/// New transactions not gossiped at once, left to a later round.
	deferred: Option<Counter<U64>>,
}

impl<P> Paced<P> {
	/// `pool` as the transactions protocol should see it.
	pub fn new(pool: Arc<P>, registry: Option<&Registry>) -> Result<Self, PrometheusError> {
		let deferred = registry
			.map(|registry| {
				let counter = Counter::new(
					"consortia_txpool_gossip_deferred_total",
					"New transactions not gossiped at once, over the pace, left to a later round",
				)?;
				register(counter, registry)
			})
			.transpose()?;
		Ok(Self { pool, budget: new_transactions_budget(), deferred })
	}
}

#[async_trait::async_trait]
impl<P> TransactionPool for Paced<P>
where
	P: TransactionPool<Block = Block> + 'static,
	P::InPoolTransaction: Send + Sync,
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
		self.pool.submit_at(at, source, xts).await
	}

	async fn submit_one(
		&self,
		at: Hash,
		source: TransactionSource,
		xt: TransactionFor<Self>,
	) -> Result<TxHash<Self>, Self::Error> {
		self.pool.submit_one(at, source, xt).await
	}

	async fn submit_and_watch(
		&self,
		at: Hash,
		source: TransactionSource,
		xt: TransactionFor<Self>,
	) -> Result<Pin<Box<TransactionStatusStreamFor<Self>>>, Self::Error> {
		self.pool.submit_and_watch(at, source, xt).await
	}

	async fn ready_at(
		&self,
		at: Hash,
	) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		self.pool.ready_at(at).await
	}

	/// What a periodic round offers: the front of the ready queue.
	fn ready(&self) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		Box::new(Round { queue: self.pool.ready(), left: ROUND })
	}

	async fn report_invalid(
		&self,
		at: Option<Hash>,
		invalid_tx_errors: TxInvalidityReportMap<TxHash<Self>>,
	) -> Vec<Arc<Self::InPoolTransaction>> {
		self.pool.report_invalid(at, invalid_tx_errors).await
	}

	fn futures(&self) -> Vec<Self::InPoolTransaction> {
		self.pool.futures()
	}

	fn status(&self) -> PoolStatus {
		self.pool.status()
	}

	fn import_notification_stream(&self) -> ImportNotificationStream<TxHash<Self>> {
		self.pool.import_notification_stream()
	}

	fn on_broadcasted(&self, propagations: HashMap<TxHash<Self>, Vec<String>>) {
		self.pool.on_broadcasted(propagations)
	}

	fn hash_of(&self, xt: &TransactionFor<Self>) -> TxHash<Self> {
		self.pool.hash_of(xt)
	}

	/// A transaction new to the pool, for gossip now; `None` over the pace.
	fn ready_transaction(&self, hash: &TxHash<Self>) -> Option<Arc<Self::InPoolTransaction>> {
		let transaction = self.pool.ready_transaction(hash)?;
		if self.budget.check().is_ok() {
			return Some(transaction);
		}
		if let Some(deferred) = &self.deferred {
			deferred.inc();
		}
		None
	}

	async fn ready_at_with_timeout(
		&self,
		at: Hash,
		timeout: std::time::Duration,
	) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		self.pool.ready_at_with_timeout(at, timeout).await
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A ready queue of numbers that keeps what is reported invalid.
	struct Queue(std::ops::Range<usize>, Arc<std::sync::Mutex<Vec<usize>>>);

	impl Iterator for Queue {
		type Item = usize;

		fn next(&mut self) -> Option<usize> {
			self.0.next()
		}
	}

	impl ReadyTransactions for Queue {
		fn report_invalid(&mut self, tx: &usize) {
			self.1.lock().unwrap().push(*tx)
		}
	}

	fn round(len: usize) -> (Round<usize>, Arc<std::sync::Mutex<Vec<usize>>>) {
		let reported = Arc::default();
		let queue = Box::new(Queue(0..len, Arc::clone(&reported)));
		(Round { queue, left: ROUND }, reported)
	}

	#[test]
	fn a_round_offers_the_front_of_the_ready_queue() {
		assert!(round(1_300).0.eq(0..ROUND));
		assert!(round(300).0.eq(0..300));
		let (mut front, reported) = round(1_300);
		front.report_invalid(&7);
		assert_eq!(*reported.lock().unwrap(), [7], "reports reach the queue");
	}

	#[test]
	fn new_transactions_go_out_in_a_burst_then_at_the_rate() {
		let budget = new_transactions_budget();
		let admitted = (0..BURST.get() * 2).filter(|_| budget.check().is_ok()).count() as u32;
		// The burst, and the little the rate refilled while counting, but not all.
		assert!((BURST.get()..BURST.get() * 2).contains(&admitted), "{admitted}");
		std::thread::sleep(std::time::Duration::from_millis(10));
		assert!(budget.check().is_ok(), "the rate refills the budget");
	}
}
