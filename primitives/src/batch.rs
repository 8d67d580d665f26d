//! Transaction validation in batches.
//!
//! Each runtime call costs the node a fresh Wasm instance: its memory is reset and faulted in
//! again page by page, which on a 2-core machine also interrupts the other core to flush its
//! TLB. Under load, that per-call cost was a larger share of validating a transfer than the
//! validation itself. The node's pool therefore gathers the submissions waiting for validation
//! and validates them in one call through [`BatchValidationApi`].

use alloc::vec::Vec;
use polkadot_sdk::sp_runtime::{
	traits::Block as BlockT,
	transaction_validity::{TransactionSource, TransactionValidity},
};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Validates several transactions in one runtime call.
	pub trait BatchValidationApi {
		/// The validity of each of `transactions` at `block_hash`, in the order given, exactly
		/// as `TaggedTransactionQueue::validate_transaction` answers it for each alone: every
		/// validation starts from the block's state, and nothing one writes is seen by the
		/// next or kept.
		fn validate_transactions(
			transactions: Vec<(TransactionSource, <Block as BlockT>::Extrinsic)>,
			block_hash: <Block as BlockT>::Hash,
		) -> Vec<TransactionValidity>;
	}
}
