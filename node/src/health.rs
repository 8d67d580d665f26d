//! Is this node still serving? One check, three outputs: Chain33's probe port (a TCP listener
//! that is open while the node is healthy, for load balancers), the `health_status` RPC, and
//! the `consortia_health_*` Prometheus metrics.
//!
//! Healthy means: not in a major sync, at least one peer if the node should have peers (it has
//! bootnodes or reserved peers), and a block imported within `max_block_age`. The probe opens at
//! the first healthy check and closes after `unhealthy_checks` failed checks in a row; it
//! reopens at the next healthy check. It never stops a service.

use crate::service::FullClient;
use consortia_runtime::{opaque::Block, pallet_health::runtime_api::HealthApi};
use futures::StreamExt;
use polkadot_sdk::{
	sc_client_api::BlockchainEvents,
	sc_network_sync::{SyncState, SyncingService},
	sp_api::ProvideRuntimeApi,
	sp_blockchain::HeaderBackend,
	sp_core::{crypto::Ss58Codec, sr25519},
	substrate_prometheus_endpoint::{register, Gauge, PrometheusError, Registry, F64, U64},
};
use serde::Serialize;
use std::{
	net::SocketAddr,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};
use tokio::net::TcpListener;

const LOG_TARGET: &str = "health";

/// What the operator chose on the command line (`--health-*`).
#[derive(Clone, Debug)]
pub struct HealthConfig {
	/// Where the probe listens; no probe if `None`.
	pub probe: Option<SocketAddr>,
	/// Failed checks in a row that close the probe.
	pub unhealthy_checks: u32,
	/// Time between checks.
	pub check_interval: Duration,
	/// A node whose last import is older than this is unhealthy.
	pub max_block_age: Duration,
}

/// The node's health, as `health_status` returns it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthStatus {
	pub healthy: bool,
	/// Why the node is not healthy; empty when it is.
	pub problems: Vec<String>,
	/// `idle`, `downloading` or `importing` (a major sync).
	pub sync_state: &'static str,
	/// The best block number any peer has shown.
	pub best_seen: Option<u32>,
	pub peers: usize,
	/// Has bootnodes or reserved peers, so having no peer is a fault.
	pub should_have_peers: bool,
	pub best_number: u32,
	pub finalized_number: u32,
	/// Best minus finalized.
	pub finality_lag: u32,
	/// Since a block was last imported (since the node started, before the first).
	pub seconds_since_import: f64,
	/// Authorities the chain marks offline at the best block (SS58 of their Aura keys).
	pub offline_authorities: Vec<String>,
	/// The probe's state; `None` without `--health-probe`.
	pub probe: Option<ProbeStatus>,
}

#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeStatus {
	pub address: SocketAddr,
	pub open: bool,
	/// Failed checks in a row so far.
	pub failed_checks: u32,
}

/// Checks the node's health; shared by the probe loop and the RPC.
pub struct Monitor {
	client: Arc<FullClient>,
	sync: Arc<SyncingService<Block>>,
	should_have_peers: bool,
	config: HealthConfig,
	started: Instant,
	/// When the last block was imported; `None` before the first.
	last_import: Mutex<Option<Instant>>,
	probe: Mutex<Option<ProbeStatus>>,
}

impl Monitor {
	pub fn new(
		client: Arc<FullClient>,
		sync: Arc<SyncingService<Block>>,
		should_have_peers: bool,
		config: HealthConfig,
	) -> Arc<Self> {
		let probe = config
			.probe
			.map(|address| ProbeStatus { address, open: false, failed_checks: 0 });
		Arc::new(Self {
			client,
			sync,
			should_have_peers,
			config,
			started: Instant::now(),
			last_import: Mutex::new(None),
			probe: Mutex::new(probe),
		})
	}

	/// The node's health now.
	pub async fn status(&self) -> HealthStatus {
		let mut problems = Vec::new();
		// A stuck sync engine must fail the check, not hang it with the probe left open.
		let sync_status = tokio::time::timeout(self.config.check_interval, self.sync.status()).await;
		let (sync_state, best_seen) = match sync_status {
			Ok(Ok(status)) => {
				let state = match status.state {
					SyncState::Idle => "idle",
					SyncState::Downloading { .. } => "downloading",
					SyncState::Importing { .. } => "importing",
				};
				if status.state.is_major_syncing() {
					problems.push(format!(
						"catching up with the network (best seen #{})",
						status.best_seen_block.unwrap_or_default()
					));
				}
				(state, status.best_seen_block)
			},
			Ok(Err(_)) | Err(_) => {
				problems.push("the sync engine does not answer".into());
				("unknown", None)
			},
		};
		let peers = self.sync.num_connected_peers();
		if peers == 0 && self.should_have_peers {
			problems.push("no peers, though the node has bootnodes or reserved peers".into());
		}
		let last_import = *self.last_import.lock().expect("never poisoned");
		let since_import = last_import.unwrap_or(self.started).elapsed();
		if last_import.is_none() {
			problems.push("no block imported since the node started".into());
		} else if since_import > self.config.max_block_age {
			problems.push(format!(
				"no block imported for {} s (limit {} s)",
				since_import.as_secs(),
				self.config.max_block_age.as_secs()
			));
		}
		let info = self.client.info();
		HealthStatus {
			healthy: problems.is_empty(),
			problems,
			sync_state,
			best_seen,
			peers,
			should_have_peers: self.should_have_peers,
			best_number: info.best_number,
			finalized_number: info.finalized_number,
			finality_lag: info.best_number.saturating_sub(info.finalized_number),
			seconds_since_import: since_import.as_secs_f64(),
			offline_authorities: self.offline_authorities(info.best_hash),
			probe: *self.probe.lock().expect("never poisoned"),
		}
	}

	/// The authorities `pallet-health` marks offline at block `at`.
	fn offline_authorities(&self, at: <Block as polkadot_sdk::sp_runtime::traits::Block>::Hash) -> Vec<String> {
		match self.client.runtime_api().health_report(at) {
			Ok(report) => report
				.authorities
				.into_iter()
				.filter(|row| !row.online)
				.map(|row| sr25519::Public::from(row.authority).to_ss58check())
				.collect(),
			Err(e) => {
				log::debug!(target: LOG_TARGET, "health_report at {at}: {e}");
				Vec::new()
			},
		}
	}

	/// Notes every block import, the node's own blocks included.
	async fn track_imports(self: Arc<Self>) {
		let mut imports = self.client.every_import_notification_stream();
		while imports.next().await.is_some() {
			*self.last_import.lock().expect("never poisoned") = Some(Instant::now());
		}
	}

	/// Checks every `check_interval`, updates the metrics, and opens or closes the probe.
	async fn run(self: Arc<Self>, metrics: Option<Metrics>) {
		let mut ticker = tokio::time::interval(self.config.check_interval);
		ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
		let mut listener: Option<TcpListener> = None;
		let mut failed_checks = 0u32;
		let mut bind_failed = false;
		loop {
			tokio::select! {
				_ = ticker.tick() => {},
				// Load balancers only connect; the connection is closed at once.
				_ = accept(&listener) => continue,
			}
			let status = self.status().await;
			if status.healthy {
				failed_checks = 0;
			} else {
				failed_checks = failed_checks.saturating_add(1);
			}
			if let Some(address) = self.config.probe {
				if status.healthy && listener.is_none() {
					match TcpListener::bind(address).await {
						Ok(bound) => {
							bind_failed = false;
							log::info!(target: LOG_TARGET, "💚 Healthy: probe open on {address}");
							listener = Some(bound);
						},
						// Said once, not at every check, until a bind succeeds.
						Err(e) if !bind_failed => {
							bind_failed = true;
							log::warn!(target: LOG_TARGET, "health probe cannot listen on {address}: {e}");
						},
						Err(_) => {},
					}
				} else if failed_checks >= self.config.unhealthy_checks && listener.take().is_some() {
					log::warn!(
						target: LOG_TARGET,
						"💔 Unhealthy for {failed_checks} checks: probe on {address} closed ({})",
						status.problems.join("; ")
					);
				}
				*self.probe.lock().expect("never poisoned") =
					Some(ProbeStatus { address, open: listener.is_some(), failed_checks });
			}
			if let Some(metrics) = &metrics {
				metrics.update(&status, failed_checks, listener.is_some());
			}
		}
	}
}

async fn accept(listener: &Option<TcpListener>) {
	match listener {
		Some(listener) => {
			if let Err(e) = listener.accept().await {
				// Out of file descriptors, say: wait rather than spin on the error.
				log::debug!(target: LOG_TARGET, "health probe accept: {e}");
				tokio::time::sleep(Duration::from_secs(1)).await;
			}
		},
		None => futures::future::pending().await,
	}
}

/// The `consortia_health_*` gauges.
struct Metrics {
	healthy: Gauge<U64>,
	failed_checks: Gauge<U64>,
	probe_open: Gauge<U64>,
	finality_lag: Gauge<U64>,
	seconds_since_import: Gauge<F64>,
	offline_authorities: Gauge<U64>,
}

impl Metrics {
	fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		Ok(Self {
			healthy: register(
				Gauge::new("consortia_health_healthy", "1 if the last health check passed")?,
				registry,
			)?,
			failed_checks: register(
				Gauge::new("consortia_health_failed_checks", "Failed health checks in a row")?,
				registry,
			)?,
			probe_open: register(
				Gauge::new("consortia_health_probe_open", "1 while the health probe port is open")?,
				registry,
			)?,
			finality_lag: register(
				Gauge::new("consortia_health_finality_lag_blocks", "Best minus finalized block number")?,
				registry,
			)?,
			seconds_since_import: register(
				Gauge::new("consortia_health_seconds_since_import", "Seconds since a block was last imported")?,
				registry,
			)?,
			offline_authorities: register(
				Gauge::new(
					"consortia_health_offline_authorities",
					"Authorities the chain marks offline at the best block",
				)?,
				registry,
			)?,
		})
	}

	fn update(&self, status: &HealthStatus, failed_checks: u32, probe_open: bool) {
		self.healthy.set(status.healthy.into());
		self.failed_checks.set(failed_checks.into());
		self.probe_open.set(probe_open.into());
		self.finality_lag.set(status.finality_lag.into());
		self.seconds_since_import.set(status.seconds_since_import);
		self.offline_authorities.set(status.offline_authorities.len() as u64);
	}
}

/// Starts the import tracker and the check loop on the node's task manager.
pub fn spawn(
	monitor: &Arc<Monitor>,
	spawner: &polkadot_sdk::sc_service::SpawnTaskHandle,
	registry: Option<&Registry>,
) -> Result<(), PrometheusError> {
	let metrics = registry.map(Metrics::register).transpose()?;
	spawner.spawn("health-imports", Some("health"), monitor.clone().track_imports());
	spawner.spawn("health-checks", Some("health"), monitor.clone().run(metrics));
	Ok(())
}
