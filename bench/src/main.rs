//! `consortia-bench`: measures the throughput of a running Consortia node.
//!
//! It funds K sender accounts (derived from the funder's secret), pre-signs N
//! `transfer_keep_alive` transactions among them, submits them over WebSocket with many requests
//! in flight, and follows the chain to see each one included and finalized. It prints a summary
//! and writes `bench.json` and `bench.svg` (throughput and pool size over time) to `--out`.
//!
//! Nothing is assumed about the chain beyond the runtime the tool is built with: the spec
//! versions must match, or every signature would be refused.

mod chain;
mod import;
mod report;
mod run;

use anyhow::{bail, Result};
use clap::Parser;
use std::path::PathBuf;

/// Measures a Consortia node's transfer throughput, latency, pool size and memory.
#[derive(Parser, Debug, Clone)]
#[command(name = "consortia-bench", version)]
pub struct Args {
	/// WebSocket RPC endpoint of the node under test.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// Transfers to submit.
	#[arg(long, default_value_t = 100_000)]
	pub transfers: u32,
	/// Sending accounts. Account i is `<funder>//bench//<i>`; the funder tops it up when short.
	#[arg(long, default_value_t = 1_000)]
	pub accounts: u32,
	/// Signature scheme of the senders' keys: sr25519, ed25519, ecdsa or sm2.
	#[arg(long, default_value = "sr25519", value_parser = <consortia_primitives::Scheme as std::str::FromStr>::from_str)]
	pub scheme: consortia_primitives::Scheme,
	/// Secret URI of the account (sr25519) that funds the senders.
	#[arg(long, default_value = "//Alice")]
	pub funder: String,
	/// WebSocket connections that submit.
	#[arg(long, default_value_t = 4)]
	pub connections: usize,
	/// Submissions awaiting the node's answer at any moment, over all connections.
	#[arg(long, default_value_t = 512)]
	pub in_flight: usize,
	/// Most accepted transfers waiting for a block at once; submission pauses at this mark.
	/// Keep it under the node's `--pool-limit` (16,384 by default): a full pool evicts
	/// transactions it had accepted.
	#[arg(long, default_value_t = 12_000)]
	pub max_pending: u32,
	/// Folder for `bench.json` and `bench.svg`; created if missing.
	#[arg(long, default_value = "bench-results")]
	pub out: PathBuf,
	/// Process id of the node, to sample its resident memory (Linux only).
	#[arg(long)]
	pub node_pid: Option<u32>,
	/// Stop waiting once nothing new is finalized for this many seconds; transfers still
	/// unfinalized then are reported lost.
	#[arg(long, default_value_t = 60)]
	pub stall_timeout: u64,
	/// Measure block import instead of running: follow the node at `--url`, a node that does
	/// not author and is syncing the chain a previous run filled, until it has imported the
	/// blocks listed in that run's `bench.json`; then add its import throughput to that file.
	#[arg(long, value_name = "BENCH_JSON")]
	pub import_of: Option<PathBuf>,
	/// Print no progress bar.
	#[arg(long)]
	pub quiet: bool,
}

#[tokio::main]
async fn main() -> Result<()> {
	let args = Args::parse();
	if args.transfers == 0 || args.accounts < 2 {
		bail!("--transfers must be at least 1 and --accounts at least 2");
	}
	if args.connections == 0 || args.in_flight == 0 {
		bail!("--connections and --in-flight must be at least 1");
	}
	if let Some(report) = &args.import_of {
		let timeout = std::time::Duration::from_secs(args.stall_timeout * 10);
		let import = import::measure(&args.url, report, timeout).await?;
		println!(
			"  import      {:.0} transfers/s: {} blocks with {} transfers in {:.1} s",
			import.tps, import.blocks, import.transfers, import.seconds
		);
		return Ok(());
	}
	let outcome = run::run(&args).await?;
	let report = report::Report::new(&args, &outcome);
	std::fs::create_dir_all(&args.out)?;
	let json = args.out.join("bench.json");
	std::fs::write(&json, serde_json::to_string_pretty(&report)?)?;
	let svg = args.out.join("bench.svg");
	report::plot(&report, &svg)?;
	println!("{}", report.summary());
	println!("Wrote {} and {}", json.display(), svg.display());
	if report.lost > 0 || report.audit.mismatches > 0 {
		bail!(
			"{} transfers lost and {} accounts whose balance does not add up",
			report.lost,
			report.audit.mismatches
		);
	}
	Ok(())
}
