//! Block import throughput: how fast a node that does not author imports the blocks a run
//! filled, while it syncs them from the node that did.

use crate::chain::Chain;
use anyhow::{bail, Context, Result};
use serde::Serialize;
use serde_json::Value;
use std::{
	path::Path,
	time::{Duration, Instant},
};

/// How often the syncing node's best block is read.
const POLL_EVERY: Duration = Duration::from_millis(50);

#[derive(Serialize)]
pub struct ImportFigures {
	/// Blocks imported while the clock ran.
	pub blocks: u32,
	/// Bench transfers in those blocks.
	pub transfers: u64,
	pub seconds: f64,
	pub tps: f64,
}

/// Follows the node at `url` until it has imported the last block of the run recorded in
/// `report_path`, then adds an `import` section to that report.
pub async fn measure(url: &str, report_path: &Path, timeout: Duration) -> Result<ImportFigures> {
	let text = std::fs::read_to_string(report_path)
		.with_context(|| format!("cannot read {}", report_path.display()))?;
	let mut report: Value = serde_json::from_str(&text)
		.with_context(|| format!("{} is not a bench report", report_path.display()))?;
	// (number, transfers) of every finalized block the run saw.
	let blocks: Vec<(u32, u64)> = report["blocks"]
		.as_array()
		.with_context(|| format!("{} lists no blocks", report_path.display()))?
		.iter()
		.filter_map(|b| Some((b["number"].as_u64()? as u32, b["transfers"].as_u64()?)))
		.collect();
	let filled = || blocks.iter().filter(|(_, t)| *t > 0).map(|(n, _)| *n);
	let (Some(first), Some(last)) = (filled().min(), filled().max()) else {
		bail!("the run in {} filled no blocks", report_path.display());
	};

	let chain = Chain::connect(url, 8).await?;
	let connected = Instant::now();
	let best = chain.best_number().await?;
	if best >= last {
		bail!(
			"the node at {url} had already imported block {last}: start it just before measuring"
		);
	}
	// The clock starts once the node has the block before the first filled one (block 0 when
	// the first block was filled): by then it has found its peer and compiled the runtime
	// (seconds on 2 cores), which a follower does once, not for every block.
	let before = first.saturating_sub(1);
	let first_seen = imported_up_to(&chain, before, best, url, connected, timeout).await?;
	if first_seen >= last {
		bail!(
			"the node at {url} imported past block {last} while starting: too few filled blocks \
			 to time"
		);
	}
	let start = Instant::now();
	imported_up_to(&chain, last, first_seen, url, connected, timeout).await?;
	let seconds = start.elapsed().as_secs_f64();
	let transfers = blocks
		.iter()
		.filter(|(n, _)| *n > first_seen && *n <= last)
		.map(|(_, t)| t)
		.sum();
	let figures = ImportFigures {
		blocks: last - first_seen,
		transfers,
		seconds,
		tps: transfers as f64 / seconds,
	};
	report["import"] = serde_json::to_value(&figures)?;
	std::fs::write(report_path, serde_json::to_string_pretty(&report)?)?;
	Ok(figures)
}

/// Polls the node at `url` until its best block is `target` or later (it was `best`); returns
/// its best block then. Fails `timeout` after `connected`.
async fn imported_up_to(
	chain: &Chain,
	target: u32,
	mut best: u32,
	url: &str,
	connected: Instant,
	timeout: Duration,
) -> Result<u32> {
	while best < target {
		if connected.elapsed() > timeout {
			bail!("the node at {url} imported only up to block {best} of {target} in {timeout:?}");
		}
		tokio::time::sleep(POLL_EVERY).await;
		best = chain.best_number().await?;
	}
	Ok(best)
}
