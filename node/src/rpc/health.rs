//! `health_status`: the node's own health (the same check as the probe port) and the
//! authorities the chain marks offline.

use crate::health::{HealthStatus, Monitor};
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use std::sync::Arc;

#[rpc(server, namespace = "health")]
pub trait HealthApi {
	/// Sync state, peers, best and finalized numbers, finality lag, time since the last
	/// import, the probe's state and the offline authorities; `healthy` with the reasons when
	/// it is not.
	#[method(name = "status")]
	async fn status(&self) -> RpcResult<HealthStatus>;
}

/// Serves `health_*` from the node's health monitor.
pub struct Health {
	monitor: Arc<Monitor>,
}

impl Health {
	pub fn new(monitor: Arc<Monitor>) -> Self {
		Self { monitor }
	}
}

#[async_trait::async_trait]
impl HealthApiServer for Health {
	async fn status(&self) -> RpcResult<HealthStatus> {
		Ok(self.monitor.status().await)
	}
}
