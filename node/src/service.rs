//! The node's wiring: client, transaction pool, networking, Aura block authoring, GRANDPA
//! finality and RPC.

use crate::{health, mempool, rpc, verify_ahead};
use consortia_runtime::{apis::RuntimeApi, opaque::Block};
use futures::FutureExt;
use polkadot_sdk::{
	sc_client_api::{Backend, BlockBackend},
	sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams},
	sc_consensus_grandpa::SharedVoterState,
	sc_executor::WasmExecutor,
	sc_service::{
		error::Error as ServiceError, ChainType, Configuration, TaskManager, WarpSyncConfig,
	},
	sc_telemetry::{Telemetry, TelemetryWorker},
	sc_transaction_pool_api::OffchainTransactionPoolFactory,
	sp_consensus_aura::sr25519::AuthorityPair as AuraPair,
	sp_runtime::traits::Block as BlockT,
	*,
};
use std::{sync::Arc, time::Duration};

/// Host functions the runtime may call: the standard Substrate set, and SM2 verification, which
/// the runtime would otherwise run in wasm about eight times slower.
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	consortia_primitives::HostFunctions,
);

pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, WasmExecutor<HostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type FullGrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;
pub type FullPool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;

/// GRANDPA writes a justification to the database every this many blocks (and at every
/// authority-set change), so a syncing node can verify finality without replaying votes.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// What a node has before networking starts; database commands stop here.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	(),
	(
		FullGrandpaBlockImport,
		sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
		Option<Telemetry>,
	),
>;

/// Aura's inherents: the timestamp, and the slot it falls in.
fn aura_inherents(
	slot_duration: sp_consensus_aura::SlotDuration,
) -> (
	sp_consensus_aura::inherents::InherentDataProvider,
	sp_timestamp::InherentDataProvider,
) {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
		*timestamp,
		slot_duration,
	);
	(slot, timestamp)
}

/// The share of its slot an author spends building a block: `percent` if given, else 90 % on
/// a development chain (one authority) and 50 % on any other.
///
/// With several validators, the rest of the slot is for the block to reach the next author and
/// be imported (about two thirds of the build time) before that author builds on it; otherwise
/// the two blocks fork. A 4-validator network on one machine forked every other slot at 2/3
/// (block time 4 s), and at 50 % made a block every 2 s with more throughput. A sole authority
/// waits for nobody, and the longer build is most of its throughput: on a 2-core dev node, 66 %
/// gave 1,220 finalized transfers/s and 92 % 1,563 (README, "Throughput"). The choice goes by
/// the chain's type, fixed in its spec, rather than the authority count at start-up, which a
/// node that has not synced yet reads from genesis and which governance may change later.
fn proposal_slot_portion(chain_type: ChainType, percent: Option<u8>) -> f32 {
	let percent = percent.unwrap_or(match chain_type {
		ChainType::Development => 90,
		_ => 50,
	});
	log::info!("🧱 Building blocks for {percent} % of each slot");
	f32::from(percent) / 100.0
}

/// Builds the client, database, transaction pool and block import queue.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager
			.spawn_handle()
			.spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;

	let slot_duration = sc_consensus_aura::slot_duration(&*client)?;
	let import_queue =
		sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
			// Blocks from the network: their signatures are checked ahead of execution.
			block_import: verify_ahead::VerifyAhead::new(
				grandpa_block_import.clone(),
				client.clone(),
				task_manager.spawn_handle(),
			),
			justification_import: Some(Box::new(grandpa_block_import.clone())),
			client: client.clone(),
			create_inherent_data_providers: move |_, ()| async move {
				Ok(aura_inherents(slot_duration))
			},
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			check_for_equivocation: Default::default(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		// Only a running node has a pool: `new_full` builds it.
		transaction_pool: Arc::new(()),
		other: (grandpa_block_import, grandpa_link, telemetry),
	})
}

/// Builds and starts a full node: networking, RPC, offchain workers, and, on a validator,
/// Aura authoring and the GRANDPA voter.
pub fn new_full<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	config: Configuration,
	pool_settings: mempool::PoolSettings,
	health_config: health::HealthConfig,
	proposal_portion: Option<u8>,
) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool: _,
		other: (block_import, grandpa_link, mut telemetry),
	} = new_partial(&config)?;
	// RPC and the network submit through the mempool policy's node-side rules; offchain
	// workers submit straight to the pool.
	let transaction_pool = Arc::new(mempool::build_pool(
		&pool_settings,
		&config,
		client.clone(),
		task_manager.spawn_essential_handle(),
	)?);

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as BlockT>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());
	let peer_store_handle = net_config.peer_store_handle();

	let genesis_hash = client
		.block_hash(0)?
		.expect("the genesis block is always stored; qed");
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			peer_store_handle,
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::new(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			// Gossip paced so that no peer's notification queue overflows (see gossip.rs).
			transaction_pool: Arc::new(crate::gossip::Paced::new(
				transaction_pool.clone(),
				config.prometheus_registry(),
			)?),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if config.offchain_worker.enabled {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.inner().clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers
				.run(client.clone(), task_manager.spawn_handle())
				.boxed(),
		);
	}

	// A node told whom to connect to should have peers; a lone dev node should not.
	let should_have_peers = !config.network.boot_nodes.is_empty()
		|| !config.network.default_peers_set.reserved_nodes.is_empty();
	let health = health::Monitor::new(
		client.clone(),
		sync_service.clone(),
		should_have_peers,
		health_config,
	);
	health::spawn(
		&health,
		&task_manager.spawn_handle(),
		config.prometheus_registry(),
	)?;

	// The node wallet (`wallet_*` RPC) lives beside the database. While the node runs it holds
	// the wallet's folder lock, and a timer locks the wallet when an unlock's timeout ends.
	let wallet = Arc::new(
		consortia_wallet::Wallet::open(&config.data_path.join("wallet"))
			.map_err(|e| ServiceError::Other(format!("the node wallet: {e}")))?,
	);
	task_manager
		.spawn_handle()
		.spawn("wallet-lock-timer", None, {
			let wallet = wallet.clone();
			async move {
				loop {
					tokio::time::sleep(Duration::from_secs(1)).await;
					wallet.expire();
				}
			}
		});

	let role = config.role;
	let chain_type = config.chain_spec.chain_type();
	let force_authoring = config.force_authoring;
	let node_name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	let rpc_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		Box::new(move |_| {
			rpc::create_full(rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				health: health.clone(),
				wallet: wallet.clone(),
			})
			.map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	if role.is_authority() {
		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|x| x.handle()),
		);

		let slot_duration = sc_consensus_aura::slot_duration(&*client)?;
		let proposal_portion = proposal_slot_portion(chain_type, proposal_portion);
		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client,
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |_, ()| async move {
					Ok(aura_inherents(slot_duration))
				},
				force_authoring,
				backoff_authoring_blocks: Option::<()>::None,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(proposal_portion),
				// After empty slots Aura lets the next author build for longer, doubling with
				// every two empty slots. That is what gets a block made when one transaction runs
				// past the build window (the block would otherwise be discarded in every slot),
				// so it stays uncapped, as Substrate has it.
				max_block_proposal_slot_portion: None,
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			},
		)?;
		task_manager
			.spawn_essential_handle()
			.spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		let grandpa_config = sc_consensus_grandpa::Config {
			// A third of a block: votes spread well within one 2 s block.
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(node_name),
			observer_enabled: false,
			keystore: role.is_authority().then(|| keystore_container.keystore()),
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};
		let voter = sc_consensus_grandpa::run_grandpa_voter(sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			// Vote for the best block itself. The default rules vote 2 blocks behind it, and a
			// quarter of the unfinalized chain behind, as a guard against the forks of a public
			// chain; with a consortium's few validators they only delayed finality (a 4-validator
			// network finalized blocks 5.6 s after import, 2.8 block times, at p50). GRANDPA's
			// safety does not depend on the rule.
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::new().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(
				transaction_pool.inner().clone(),
			),
		})?;
		// GRANDPA is essential: if the voter fails, the node stops.
		task_manager
			.spawn_essential_handle()
			.spawn_blocking("grandpa-voter", None, voter);
	}

	Ok(task_manager)
}
