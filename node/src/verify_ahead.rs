//! Block import that checks the block's signatures on a second core while the block executes.
//!
//! Executing a block verifies each transaction's signature in turn on the importing thread. A
//! node that saw the transactions in its pool has them in its cache of verified signatures
//! (`consortia_primitives::verified`); a node that did not (one catching up, or a follower the
//! transactions were not gossiped to) verifies each one there. This import checks them all
//! through the runtime's `SignatureCheckApi` on another thread as soon as the block arrives.
//! The two start together and race, but the check does less per transaction, so execution
//! mostly finds the answers in the cache. The result is not used: execution verifies what the
//! check has not reached, and rejects what does not hold. One check runs at a time; a block
//! that arrives while one runs (a node catching up) is executed without one.

use consortia_primitives::verified::SignatureCheckApi;
use consortia_runtime::opaque::Block;
use polkadot_sdk::{
	sc_consensus::{BlockCheckParams, BlockImport, BlockImportParams, ImportResult, StateAction},
	sp_api::{ApiExt, ProvideRuntimeApi},
	sp_core::traits::SpawnNamed,
	sp_runtime::traits::Header as _,
};
use std::sync::{
	atomic::{AtomicBool, Ordering},
	Arc,
};

/// Blocks with fewer transactions than this are executed without a check ahead: the second
/// thread would not get far before execution ends.
const MIN_TRANSACTIONS: usize = 64;

/// `inner`, with the signatures of each block it executes checked ahead (see the module docs).
#[derive(Clone)]
pub struct VerifyAhead<I, C, S> {
	inner: I,
	client: Arc<C>,
	spawner: S,
	/// Whether a check is running.
	busy: Arc<AtomicBool>,
}

impl<I, C, S> VerifyAhead<I, C, S> {
	pub fn new(inner: I, client: Arc<C>, spawner: S) -> Self {
		Self { inner, client, spawner, busy: Arc::default() }
	}
}

#[async_trait::async_trait]
impl<I, C, S> BlockImport<Block> for VerifyAhead<I, C, S>
where
	I: BlockImport<Block> + Send + Sync,
	C: ProvideRuntimeApi<Block> + Send + Sync + 'static,
	C::Api: SignatureCheckApi<Block>,
	S: SpawnNamed,
{
	type Error = I::Error;

	async fn check_block(
		&self,
		block: BlockCheckParams<Block>,
	) -> Result<ImportResult, Self::Error> {
		self.inner.check_block(block).await
	}

	async fn import_block(
		&self,
		block: BlockImportParams<Block>,
	) -> Result<ImportResult, Self::Error> {
		// Only blocks this node executes: its own come with their state already computed.
		let executes =
			matches!(block.state_action, StateAction::Execute | StateAction::ExecuteIfPossible);
		if let (true, Some(body)) = (executes, &block.body) {
			if body.len() >= MIN_TRANSACTIONS && !self.busy.swap(true, Ordering::AcqRel) {
				let (client, busy) = (self.client.clone(), self.busy.clone());
				let (header, body) = (block.header.clone(), body.clone());
				self.spawner.spawn_blocking(
					"verify-ahead",
					Some("block-import"),
					Box::pin(async move {
						let parent = *header.parent_hash();
						let api = client.runtime_api();
						// A runtime from before the API (an old block during sync) has none.
						if api.has_api::<dyn SignatureCheckApi<Block>>(parent).unwrap_or(false) {
							if let Err(e) = api.check_signatures(parent, header, body) {
								log::debug!(target: "verify-ahead", "check at {parent}: {e}");
							}
						}
						busy.store(false, Ordering::Release);
					}),
				);
			}
		}
		self.inner.import_block(block).await
	}
}
