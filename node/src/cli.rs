//! Command-line interface: the standard Substrate node commands.

use polkadot_sdk::sc_cli;

#[derive(Debug, clap::Parser)]
#[command(
	name = "consortia",
	about = "Consortia: launch and run consortium blockchains on the Polkadot SDK.",
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	#[clap(flatten)]
	pub health: HealthParams,

	#[clap(flatten)]
	pub authoring: AuthoringParams,
}

/// How a validator builds its blocks.
#[derive(Debug, Clone, clap::Args)]
pub struct AuthoringParams {
	/// Percent of each Aura slot this validator may spend building its block. The rest of the
	/// slot is for the block to reach the next author and be imported before that author's slot
	/// starts. Default: 90 on a development chain (one authority, nobody else has to import in
	/// time), 50 on any other. Pass 50 on every node when you add validators to a dev chain.
	#[arg(long, value_name = "PERCENT",
		value_parser = clap::value_parser!(u8).range(10..=95))]
	pub block_proposal_portion: Option<u8>,
}

/// The health probe: Chain33's TCP port that is open while the node is healthy, for load
/// balancers. The same check serves `health_status` and the `consortia_health_*` metrics.
#[derive(Debug, Clone, clap::Args)]
pub struct HealthParams {
	/// Listen on this address while the node is healthy: not in a major sync, with a peer if it
	/// has bootnodes or reserved peers, and a block imported recently (Chain33 uses
	/// 127.0.0.1:8805). Without it, there is no probe port.
	#[arg(long, value_name = "ADDR:PORT")]
	pub health_probe: Option<std::net::SocketAddr>,

	/// Failed checks in a row after which the probe port closes.
	#[arg(long, value_name = "COUNT", default_value_t = 6,
		value_parser = clap::value_parser!(u32).range(1..))]
	pub health_unhealthy_checks: u32,

	/// Seconds between health checks.
	#[arg(long, value_name = "SECONDS", default_value_t = 5,
		value_parser = clap::value_parser!(u64).range(1..=3600))]
	pub health_check_interval: u64,

	/// A node that has imported no block for this many seconds is unhealthy.
	#[arg(long, value_name = "SECONDS", default_value_t = 30,
		value_parser = clap::value_parser!(u64).range(1..=86400))]
	pub health_max_block_age: u64,
}

impl HealthParams {
	pub fn config(&self) -> crate::health::HealthConfig {
		crate::health::HealthConfig {
			probe: self.health_probe,
			unhealthy_checks: self.health_unhealthy_checks,
			check_interval: std::time::Duration::from_secs(self.health_check_interval),
			max_block_age: std::time::Duration::from_secs(self.health_max_block_age),
		}
	}
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Set up a consortium chain: `consortium init --validators N --out DIR`.
	#[command(subcommand)]
	Consortium(crate::consortium::ConsortiumCmd),

	/// Key management: generate and inspect keys of any scheme (SM2 included), node keys, and
	/// insert keys into a keystore.
	#[command(subcommand)]
	Key(crate::key::KeyCmd),

	/// The node wallet, while no node has it open: accounts, labels, password, export.
	Wallet(crate::wallet::WalletCmd),

	/// Write a chain specification (`--raw` for the form that fixes the genesis state).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Check that a block imports correctly.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks to a file.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state at a block as a chain specification.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Show information about the database: best, finalized and genesis blocks.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Measure the runtime's weights (`benchmark pallet`), its storage weights on this machine
	/// (`benchmark storage`) or this machine (`benchmark machine`).
	/// Only in a build with `--features runtime-benchmarks`.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(polkadot_sdk::frame_benchmarking_cli::BenchmarkCmd),
}
