//! The node's JSON-RPC methods beyond the Substrate client's own (chain, state, author, system):
//! every namespace the node adds is merged here, in `create_full`.

mod health;
mod mempool;
mod wallet;

use consortia_runtime::{opaque::Block, AccountId, Balance, Nonce};
use health::{Health, HealthApiServer};
use jsonrpsee::RpcModule;
use mempool::{Mempool, MempoolApiServer};
use polkadot_sdk::{
	pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer},
	sc_transaction_pool_api::TransactionPool,
	sp_api::ProvideRuntimeApi,
	sp_block_builder::BlockBuilder,
	sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata},
	substrate_frame_rpc_system::{System, SystemApiServer},
};
use std::sync::Arc;
use wallet::{WalletApiServer, WalletRpc};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client, to read chain state and call runtime APIs.
	pub client: Arc<C>,
	/// The transaction pool: account nonces that count pending transactions, mempool status.
	pub pool: Arc<P>,
	/// The node's health check, for `health_status`.
	pub health: Arc<crate::health::Monitor>,
	/// The node wallet, for `wallet_*`.
	pub wallet: Arc<consortia_wallet::Wallet>,
}

/// Builds the node's own RPC methods.
pub fn create_full<C, P>(
	FullDeps {
		client,
		pool,
		health,
		wallet,
	}: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: polkadot_sdk::substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ polkadot_sdk::pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ consortia_runtime::pallet_mempool_policy::runtime_api::MempoolPolicyApi<Block, Balance>
		+ BlockBuilder<Block>
		+ polkadot_sdk::sp_api::Core<Block>,
	P: TransactionPool<Block = Block, Hash = polkadot_sdk::sp_core::H256> + 'static,
{
	let mut module = RpcModule::new(());
	// `system_accountNextIndex`, `system_dryRun`.
	module.merge(System::new(client.clone(), pool.clone()).into_rpc())?;
	// `payment_queryInfo`, `payment_queryFeeDetails`.
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	// `mempool_policy`, `mempool_status`.
	module.merge(Mempool::new(client.clone(), pool.clone()).into_rpc())?;
	// `wallet_*` (unsafe methods).
	module.merge(WalletRpc::new(wallet, client, pool).into_rpc())?;
	// `health_status`.
	module.merge(Health::new(health).into_rpc())?;
	Ok(module)
}
