//! What the node asks the runtime about liveness: the `health_status` RPC and polkadot.js
//! (`api.call.healthApi.healthReport()`) use it.

use crate::HealthReport;
use codec::Codec;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// The chain's record of which authorities are alive.
	pub trait HealthApi<AuthorityId: Codec, BlockNumber: Codec> {
		/// Every current authority's liveness at this block.
		fn health_report() -> HealthReport<AuthorityId, BlockNumber>;
	}
}
