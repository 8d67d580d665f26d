//! `mempool_*`: the mempool policy in force and the pool's state under it (Chain33's
//! `GetMempool`, `GetProperFee`).

use consortia_runtime::{
	opaque::Block, pallet_mempool_policy, AccountId, Balance, UncheckedExtrinsic,
};
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};
use pallet_mempool_policy::{runtime_api::MempoolPolicyApi, Policy, Refusal, ScoreParams, Strategy};
use polkadot_sdk::{
	sc_transaction_pool_api::{InPoolTransaction, TransactionPool},
	sp_api::ProvideRuntimeApi,
	sp_blockchain::HeaderBackend,
	sp_core::crypto::Ss58Codec,
	sp_rpc::number::NumberOrHex,
	sp_runtime::traits::Block as BlockT,
};
use serde::Serialize;
use std::{collections::BTreeMap, sync::Arc};

/// The policy as JSON. Balances are `NumberOrHex`, as in `payment_queryInfo`.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyView {
	pub strategy: Strategy,
	pub score: ScoreParams,
	pub min_fee_per_kb: NumberOrHex,
	pub max_fee: NumberOrHex,
	pub max_tx_size: u32,
	pub max_pending_per_account: u32,
	/// The codes a refused transaction carries (`Custom error: <code>`), with their names.
	pub refusals: Vec<RefusalView>,
}

#[derive(Clone, Serialize)]
pub struct RefusalView {
	pub code: u8,
	pub name: &'static str,
}

/// The pool under the policy.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusView {
	/// Transactions ready for the next block.
	pub ready: usize,
	/// Transactions waiting for an earlier nonce.
	pub future: usize,
	/// Waiting transactions per sender, most first.
	pub pending: Vec<PendingView>,
	/// The fee Chain33 would suggest under the current strategy for `tx_size` bytes.
	pub suggested_fee: NumberOrHex,
	pub tx_size: u32,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingView {
	/// SS58 address.
	pub account: String,
	pub ready: u32,
	pub future: u32,
}

/// Length `mempool_status` suggests a fee for when none is given: Chain33 quotes per kB.
const DEFAULT_TX_SIZE: u32 = 1_000;

#[rpc(server, namespace = "mempool")]
pub trait MempoolApi<BlockHash> {
	/// The mempool policy in force at `at` (the best block when omitted).
	#[method(name = "policy")]
	fn policy(&self, at: Option<BlockHash>) -> RpcResult<PolicyView>;

	/// Ready and future counts, waiting transactions per sender, and the fee to offer for a
	/// transaction of `tx_size` bytes (1,000 when omitted).
	#[method(name = "status")]
	fn status(&self, tx_size: Option<u32>) -> RpcResult<StatusView>;
}

/// Serves `mempool_*` from the client and the pool.
pub struct Mempool<C, P> {
	client: Arc<C>,
	pool: Arc<P>,
}

impl<C, P> Mempool<C, P> {
	pub fn new(client: Arc<C>, pool: Arc<P>) -> Self {
		Self { client, pool }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(
		jsonrpsee::types::error::INTERNAL_ERROR_CODE,
		"Runtime API call failed",
		Some(e.to_string()),
	)
}

fn balance(value: Balance) -> NumberOrHex {
	NumberOrHex::from(value)
}

/// The signer of a pooled transaction, if it is signed.
fn signer(xt: &<Block as BlockT>::Extrinsic) -> Option<AccountId> {
	let xt: UncheckedExtrinsic = codec::Decode::decode(&mut &codec::Encode::encode(xt)[..]).ok()?;
	match xt.preamble {
		polkadot_sdk::sp_runtime::generic::Preamble::Signed(address, ..) => match address {
			polkadot_sdk::sp_runtime::MultiAddress::Id(who) => Some(who),
			_ => None,
		},
		_ => None,
	}
}

impl<C, P> MempoolApiServer<<Block as BlockT>::Hash> for Mempool<C, P>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: MempoolPolicyApi<Block, Balance>,
	P: TransactionPool<Block = Block> + 'static,
{
	fn policy(&self, at: Option<<Block as BlockT>::Hash>) -> RpcResult<PolicyView> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let Policy {
			strategy,
			score,
			min_fee_per_kb,
			max_fee,
			max_tx_size,
			max_pending_per_account,
		} = self.client.runtime_api().policy(at).map_err(runtime_error)?;
		Ok(PolicyView {
			strategy,
			score,
			min_fee_per_kb: balance(min_fee_per_kb),
			max_fee: balance(max_fee),
			max_tx_size,
			max_pending_per_account,
			refusals: Refusal::ALL
				.into_iter()
				.map(|refusal| RefusalView { code: refusal.code(), name: refusal.name() })
				.collect(),
		})
	}

	fn status(&self, tx_size: Option<u32>) -> RpcResult<StatusView> {
		let tx_size = tx_size.unwrap_or(DEFAULT_TX_SIZE);
		let status = self.pool.status();
		let mut per_account: BTreeMap<AccountId, (u32, u32)> = BTreeMap::new();
		let mut best = Vec::with_capacity(pallet_mempool_policy::SUGGESTION_SAMPLE);
		// The ready iterator yields in the order the next block would take them.
		for tx in self.pool.ready() {
			if best.len() < pallet_mempool_policy::SUGGESTION_SAMPLE {
				best.push(tx.data().as_ref().clone());
			}
			if let Some(who) = signer(tx.data()) {
				per_account.entry(who).or_default().0 += 1;
			}
		}
		for tx in self.pool.futures() {
			if let Some(who) = signer(tx.data()) {
				per_account.entry(who).or_default().1 += 1;
			}
		}
		let mut pending: Vec<PendingView> = per_account
			.into_iter()
			.map(|(who, (ready, future))| PendingView { account: who.to_ss58check(), ready, future })
			.collect();
		pending.sort_by_key(|p| std::cmp::Reverse(p.ready + p.future));

		let at = self.client.info().best_hash;
		let suggested = self
			.client
			.runtime_api()
			.suggested_fee(at, tx_size, best)
			.map_err(runtime_error)?;
		Ok(StatusView {
			ready: status.ready,
			future: status.future,
			pending,
			suggested_fee: balance(suggested),
			tx_size,
		})
	}
}
