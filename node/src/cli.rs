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
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

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

	/// Measure the runtime's weights (`benchmark pallet`) or this machine (`benchmark machine`).
	/// Only in a build with `--features runtime-benchmarks`.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(polkadot_sdk::frame_benchmarking_cli::BenchmarkCmd),
}
