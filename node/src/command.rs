//! Runs the subcommand the user chose.

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	mempool, service,
};
use consortia_runtime::opaque::Block;
use polkadot_sdk::{
	sc_cli::{self, SubstrateCli},
	sc_network::config::NetworkBackendType,
	sc_service::{self, PartialComponents},
	sp_runtime::traits::Block as BlockT,
};

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"Consortia Node".into()
	}

	fn impl_version() -> String {
		env!("CARGO_PKG_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://github.com/consortia/consortia/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(Box::new(chain_spec::load(id)?))
	}
}

/// Transactions the pool holds unless `--pool-limit` says otherwise.
const DEFAULT_POOL_LIMIT: usize = 16_384;

/// Whether the command line has `flag`, alone or as `flag=value`.
fn flag_given(flag: &str) -> bool {
	std::env::args_os().any(|arg| {
		let arg = arg.to_string_lossy();
		arg == flag || arg.strip_prefix(flag).is_some_and(|rest| rest.starts_with('='))
	})
}

/// Runs the command line.
pub fn run() -> sc_cli::Result<()> {
	let mut cli = Cli::from_args();
	// The single-state pool is our default, unless `--pool-type` says otherwise: under sustained
	// load on one author, the fork-aware pool (sc-cli's default) dropped transactions it had
	// accepted and filled fewer blocks (README, "Throughput"). A chain with one finalizing
	// authority set and no long forks gains nothing from tracking views per fork.
	if !flag_given("--pool-type") {
		cli.run.pool_config.pool_type = sc_cli::TransactionPoolType::SingleState;
	}
	// A sole author builds blocks of up to about 5,650 transfers, and a pool of sc-cli's 8,192
	// is drained by one such block, so the next holds only what arrived meanwhile. 16,384 keeps
	// a block's worth waiting (Chain33's mempool holds 10,240) at ~10 MiB of memory. (`--help`
	// still prints sc-cli's defaults for both flags.)
	if !flag_given("--pool-limit") {
		cli.run.pool_config.pool_limit = DEFAULT_POOL_LIMIT;
	}

	// The database-level subcommands each run against a partial node (client, backend and
	// import queue, no networking): this builds one and hands its parts to the command.
	macro_rules! run_on_partial {
		($cmd:expr, |$client:pat_param, $backend:pat_param, $queue:pat_param, $config:pat_param| $body:expr) => {{
			let runner = cli.create_runner($cmd)?;
			runner.async_run(|config| {
				let PartialComponents {
					client,
					backend,
					import_queue,
					task_manager,
					..
				} = service::new_partial(&config)?;
				let ($client, $backend, $queue, $config) = (client, backend, import_queue, config);
				Ok(($body, task_manager))
			})
		}};
	}

	match &cli.subcommand {
		Some(Subcommand::Consortium(cmd)) => cmd.run().map_err(sc_cli::Error::Input),
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::Wallet(cmd)) => cmd
			.run(|chain| cli.load_spec(chain).map(|spec| spec.id().to_owned()))
			.map_err(sc_cli::Error::Input),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		}
		Some(Subcommand::CheckBlock(cmd)) => {
			run_on_partial!(cmd, |client, _, queue, _| cmd.run(client, queue))
		}
		Some(Subcommand::ExportBlocks(cmd)) => {
			run_on_partial!(cmd, |client, _, _, config| cmd.run(client, config.database))
		}
		Some(Subcommand::ExportState(cmd)) => run_on_partial!(cmd, |client, _, _, config| cmd
			.run(client, config.chain_spec)),
		Some(Subcommand::ImportBlocks(cmd)) => {
			run_on_partial!(cmd, |client, _, queue, _| cmd.run(client, queue))
		}
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		}
		Some(Subcommand::Revert(cmd)) => run_on_partial!(cmd, |client, backend, _, _| {
			// GRANDPA keeps its own record of authority sets; revert it with the blocks.
			let aux_revert = Box::new(|client, _, blocks| {
				polkadot_sdk::sc_consensus_grandpa::revert(client, blocks)?;
				Ok(())
			});
			cmd.run(client, backend, Some(aux_revert))
		}),
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		}
		#[cfg(feature = "runtime-benchmarks")]
		Some(Subcommand::Benchmark(cmd)) => {
			use polkadot_sdk::{
				frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE},
				sp_runtime::traits::HashingFor,
			};
			let runner = cli.create_runner(cmd)?;
			match cmd {
				BenchmarkCmd::Pallet(cmd) => runner.sync_run(|config| {
					cmd.run_with_spec::<HashingFor<Block>, consortia_primitives::HostFunctions>(
						Some(config.chain_spec),
					)
				}),
				BenchmarkCmd::Machine(cmd) => {
					runner.sync_run(|config| cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()))
				}
				// The runtime's storage weights (`DbWeight`) on this machine and database.
				BenchmarkCmd::Storage(cmd) => runner.sync_run(|config| {
					let PartialComponents { client, backend, .. } = service::new_partial(&config)?;
					let db = backend.expose_db();
					let storage = backend.expose_storage();
					let trie_cache = backend.expose_shared_trie_cache();
					cmd.run(config, client, db, storage, trie_cache)
				}),
				_ => Err("this node offers `benchmark pallet`, `storage` and `machine`".into()),
			}
		}
		None => {
			let runner = cli.create_runner(&cli.run)?;
			let pool_settings =
				mempool::PoolSettings::from_params(&cli.run.pool_config, cli.run.shared_params.is_dev());
			let health = cli.health.config();
			let proposal_portion = cli.authoring.block_proposal_portion;
			runner.run_node_until_exit(|config| async move {
				match config.network.network_backend {
					NetworkBackendType::Libp2p => service::new_full::<
						polkadot_sdk::sc_network::NetworkWorker<Block, <Block as BlockT>::Hash>,
					>(config, pool_settings, health, proposal_portion)
					.map_err(sc_cli::Error::Service),
					NetworkBackendType::Litep2p => service::new_full::<
						polkadot_sdk::sc_network::Litep2pNetworkBackend,
					>(config, pool_settings, health, proposal_portion)
					.map_err(sc_cli::Error::Service),
				}
			})
		}
	}
}
