//! What the node asks the runtime about the policy: the `mempool_*` RPC methods use it.

use crate::Policy;
use alloc::vec::Vec;
use codec::Codec;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// The mempool policy in force, and the fee it suggests.
	pub trait MempoolPolicyApi<Balance: Codec> {
		/// The policy in force.
		fn policy() -> Policy<Balance>;

		/// The fee to offer for a transaction of `len` bytes, given the best waiting
		/// transactions in pool order (Chain33's suggested fee; at most the first
		/// [`SUGGESTION_SAMPLE`](crate::SUGGESTION_SAMPLE) are read).
		fn suggested_fee(len: u32, best: Vec<Block::Extrinsic>) -> Balance;
	}
}
