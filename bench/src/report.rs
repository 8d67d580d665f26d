//! Figures computed from a run: the JSON report, the terminal summary and the plot.

use crate::{
	run::{Audit, Outcome},
	Args,
};
use anyhow::Result;
use consortia_runtime::{
	configs::RuntimeBlockWeights, MAXIMUM_BLOCK_LENGTH, MILLI_SECS_PER_BLOCK, NORMAL_DISPATCH_RATIO,
};
use plotters::prelude::*;
use polkadot_sdk::frame_support::dispatch::DispatchClass;
use serde::Serialize;
use std::{collections::BTreeMap, path::Path};

/// Counters are turned into rates over this window: one block time, so a rate does not swing
/// between zero and double at every block.
const RATE_WINDOW_SECONDS: f64 = MILLI_SECS_PER_BLOCK as f64 / 1000.0;

#[derive(Serialize)]
pub struct Report {
	pub config: Config,
	pub chain: String,
	pub spec_version: u32,
	pub submission: SubmissionStats,
	/// Transfers in blocks per second of chain time (block timestamps), over the blocks that
	/// carry bench transfers.
	pub included: Throughput,
	/// Finalized transfers per second of wall time, from the first submission to the last
	/// transfer known final: the end-to-end figure.
	pub finalized: Throughput,
	/// From sending a transfer to learning its block is final.
	pub latency_ms: Distribution,
	/// From the node announcing a block as its best to the block being final, over the blocks
	/// of the run: how far finality trails the chain, apart from any wait in the pool.
	pub block_to_finality_ms: Distribution,
	pub block_time_ms: Distribution,
	pub block_fill: BlockFill,
	/// Peak of accepted transfers not yet in a block.
	pub pool_peak: u32,
	/// The node's peak resident memory (`VmHWM`), when `--node-pid` was given.
	pub node_peak_memory_mib: Option<f64>,
	/// Transfers the node accepted that were never finalized.
	pub lost: u32,
	pub audit: Audit,
	pub series: Vec<Point>,
	pub blocks: Vec<BlockPoint>,
}

#[derive(Serialize)]
pub struct Config {
	pub url: String,
	pub transfers: u32,
	pub accounts: u32,
	/// The senders' signature scheme.
	pub scheme: consortia_primitives::Scheme,
	pub connections: usize,
	pub in_flight: usize,
	pub max_pending: u32,
}

#[derive(Serialize)]
pub struct SubmissionStats {
	pub submitted: u32,
	pub accepted: u32,
	pub refused: u32,
	pub refused_by_reason: BTreeMap<String, u32>,
	/// Submissions sent again because the pool was full.
	pub retries_on_full_pool: u64,
	pub seconds: f64,
	pub per_second: f64,
}

#[derive(Serialize, Default)]
pub struct Throughput {
	pub transfers: u32,
	pub seconds: f64,
	pub tps: f64,
}

#[derive(Serialize, Default)]
pub struct Distribution {
	pub p50: f64,
	pub p99: f64,
	pub max: f64,
	pub mean: f64,
}

#[derive(Serialize, Default)]
pub struct BlockFill {
	/// Blocks from the first to the last that carry bench transfers.
	pub blocks: u32,
	pub transfers_per_block: Distribution,
	/// Normal-class weight used, in percent of what the normal class may use.
	pub weight_percent: Distribution,
	/// Encoded extrinsics, in percent of what the normal class may use.
	pub length_percent: Distribution,
}

#[derive(Serialize)]
pub struct Point {
	pub t: f64,
	pub accepted: u32,
	pub included: u32,
	pub finalized: u32,
	pub pool: u32,
	pub included_tps: f64,
	pub finalized_tps: f64,
	pub node_memory_mib: Option<f64>,
}

#[derive(Serialize)]
pub struct BlockPoint {
	pub number: u32,
	pub timestamp_ms: u64,
	pub finalized_at: f64,
	pub extrinsics: usize,
	pub transfers: u32,
	pub weight_percent: f64,
	pub length: usize,
}

fn distribution(mut values: Vec<f64>) -> Distribution {
	if values.is_empty() {
		return Distribution::default();
	}
	values.sort_by(f64::total_cmp);
	let at = |p: f64| values[((values.len() - 1) as f64 * p).round() as usize];
	Distribution {
		p50: at(0.50),
		p99: at(0.99),
		max: values[values.len() - 1],
		mean: values.iter().sum::<f64>() / values.len() as f64,
	}
}

fn mib(bytes: u64) -> f64 {
	bytes as f64 / (1024.0 * 1024.0)
}

fn per_second(count: u32, seconds: f64) -> f64 {
	if seconds > 0.0 {
		count as f64 / seconds
	} else {
		0.0
	}
}

impl Report {
	pub fn new(args: &Args, outcome: &Outcome) -> Self {
		let max_weight = RuntimeBlockWeights::get()
			.get(DispatchClass::Normal)
			.max_total
			.unwrap_or(RuntimeBlockWeights::get().max_block)
			.ref_time() as f64;
		let max_length = (NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_LENGTH) as f64;

		// Blocks from the first to the last carrying bench transfers, and the one before them
		// (its timestamp opens the window).
		let blocks = &outcome.blocks;
		let first = blocks.iter().position(|b| b.transfers > 0);
		let last = blocks.iter().rposition(|b| b.transfers > 0);
		let (busy, opening) = match (first, last) {
			(Some(first), Some(last)) => (&blocks[first..=last], first.checked_sub(1)),
			_ => (&blocks[..0], None),
		};
		// Block times of the busy blocks: each against the block before it.
		let timed = match (first, last) {
			(Some(first), Some(last)) => &blocks[first.saturating_sub(1)..=last],
			_ => &blocks[..0],
		};
		let block_times: Vec<f64> = timed
			.windows(2)
			.map(|pair| pair[1].timestamp_ms.saturating_sub(pair[0].timestamp_ms) as f64)
			.collect();
		let included_transfers = busy.iter().map(|b| b.transfers).sum();
		let included_seconds = match (opening, busy.last()) {
			(Some(opening), Some(last)) => {
				last.timestamp_ms
					.saturating_sub(blocks[opening].timestamp_ms) as f64
					/ 1000.0
			}
			(None, Some(last)) => {
				(last.timestamp_ms.saturating_sub(busy[0].timestamp_ms) + MILLI_SECS_PER_BLOCK)
					as f64 / 1000.0
			}
			_ => 0.0,
		};

		let latencies: Vec<f64> = outcome
			.sent_at
			.iter()
			.zip(&outcome.finalized_at)
			.filter_map(|(sent, done)| Some((done.as_ref()? - sent.as_ref()?) * 1000.0))
			.collect();
		let finalized = latencies.len() as u32;
		let first_sent = outcome.sent_at.iter().flatten().copied().reduce(f64::min);
		let last_final = outcome
			.finalized_at
			.iter()
			.flatten()
			.copied()
			.reduce(f64::max);
		let finalized_seconds = match (first_sent, last_final) {
			(Some(first), Some(last)) => last - first,
			_ => 0.0,
		};
		let refused = outcome.refused_by_reason.values().sum();

		Report {
			config: Config {
				url: args.url.clone(),
				transfers: args.transfers,
				accounts: args.accounts,
				scheme: args.scheme,
				connections: args.connections,
				in_flight: args.in_flight,
				max_pending: args.max_pending,
			},
			chain: outcome.chain.clone(),
			spec_version: outcome.spec_version,
			submission: SubmissionStats {
				submitted: outcome.sent_at.len() as u32,
				accepted: outcome.accepted,
				refused,
				refused_by_reason: outcome.refused_by_reason.clone(),
				retries_on_full_pool: outcome.retries,
				seconds: outcome.submission_seconds,
				per_second: per_second(outcome.accepted + refused, outcome.submission_seconds),
			},
			included: Throughput {
				transfers: included_transfers,
				seconds: included_seconds,
				tps: per_second(included_transfers, included_seconds),
			},
			finalized: Throughput {
				transfers: finalized,
				seconds: finalized_seconds,
				tps: per_second(finalized, finalized_seconds),
			},
			latency_ms: distribution(latencies),
			block_to_finality_ms: distribution(
				blocks
					.iter()
					.filter_map(|b| Some((b.finalized_at - b.imported_at?) * 1000.0))
					.collect(),
			),
			block_time_ms: distribution(block_times),
			block_fill: BlockFill {
				blocks: busy.len() as u32,
				transfers_per_block: distribution(
					busy.iter().map(|b| b.transfers as f64).collect(),
				),
				weight_percent: distribution(
					busy.iter()
						.map(|b| 100.0 * b.normal_ref_time as f64 / max_weight)
						.collect(),
				),
				length_percent: distribution(
					busy.iter()
						.map(|b| 100.0 * b.length as f64 / max_length)
						.collect(),
				),
			},
			pool_peak: outcome
				.samples
				.iter()
				.map(|s| s.pool)
				.max()
				.unwrap_or_default(),
			node_peak_memory_mib: outcome.peak_rss_bytes.map(mib),
			lost: outcome.accepted.saturating_sub(finalized),
			audit: outcome.audit,
			series: series(outcome),
			blocks: blocks
				.iter()
				.map(|b| BlockPoint {
					number: b.number,
					timestamp_ms: b.timestamp_ms,
					finalized_at: b.finalized_at,
					extrinsics: b.extrinsics,
					transfers: b.transfers,
					weight_percent: 100.0 * b.normal_ref_time as f64 / max_weight,
					length: b.length,
				})
				.collect(),
		}
	}

	/// The figures a person reads at the end of a run.
	pub fn summary(&self) -> String {
		let s = &self.submission;
		let mut text = format!(
			"Consortia bench: {} transfers from {} {:?} accounts on \"{}\" ({})\n",
			self.config.transfers, self.config.accounts, self.config.scheme, self.chain, self.config.url
		);
		text += &format!(
			"  submitted   {} accepted, {} refused in {:.1} s ({:.0}/s); {} resent on a full pool\n",
			s.accepted, s.refused, s.seconds, s.per_second, s.retries_on_full_pool
		);
		for (reason, count) in &s.refused_by_reason {
			text += &format!("              refused {count}×: {reason}\n");
		}
		text += &format!(
			"  included    {:.0} transfers/s over {} blocks; block time p50 {:.0} ms; {:.0} \
			 transfers a block (max {:.0}), weight {:.0}% (max {:.0}%)\n",
			self.included.tps,
			self.block_fill.blocks,
			self.block_time_ms.p50,
			self.block_fill.transfers_per_block.mean,
			self.block_fill.transfers_per_block.max,
			self.block_fill.weight_percent.mean,
			self.block_fill.weight_percent.max,
		);
		text += &format!(
			"  finalized   {:.0} transfers/s end to end ({} in {:.1} s); latency p50 {:.0} ms, \
			 p99 {:.0} ms\n",
			self.finalized.tps,
			self.finalized.transfers,
			self.finalized.seconds,
			self.latency_ms.p50,
			self.latency_ms.p99
		);
		text += &format!(
			"  finality    a block is final p50 {:.0} ms, p99 {:.0} ms after the node announces \
			 it as best ({:.1} block times at p50)\n",
			self.block_to_finality_ms.p50,
			self.block_to_finality_ms.p99,
			self.block_to_finality_ms.p50 / self.block_time_ms.p50.max(MILLI_SECS_PER_BLOCK as f64)
		);
		text += &format!("  pool        peak {} transfers waiting\n", self.pool_peak);
		if let Some(memory) = self.node_peak_memory_mib {
			text += &format!("  node        peak memory {memory:.0} MiB\n");
		}
		text += &format!(
			"  audit       {} lost; {} of {} accounts do not add up; fees paid {}",
			self.lost, self.audit.mismatches, self.audit.accounts, self.audit.fees_paid
		);
		text
	}
}

/// The samples, with included and finalized rates over the last block time.
fn series(outcome: &Outcome) -> Vec<Point> {
	let samples = &outcome.samples;
	samples
		.iter()
		.enumerate()
		.map(|(i, sample)| {
			let back = samples[..=i]
				.iter()
				.rev()
				.find(|earlier| sample.t - earlier.t >= RATE_WINDOW_SECONDS)
				.unwrap_or(&samples[0]);
			let dt = sample.t - back.t;
			Point {
				t: sample.t,
				accepted: sample.accepted,
				included: sample.included,
				finalized: sample.finalized,
				pool: sample.pool,
				included_tps: per_second(sample.included - back.included, dt),
				finalized_tps: per_second(sample.finalized - back.finalized, dt),
				node_memory_mib: sample.rss_bytes.map(mib),
			}
		})
		.collect()
}

/// Draws throughput (included and finalized per second) and the pool size over time as SVG.
pub fn plot(report: &Report, path: &Path) -> Result<()> {
	let root = SVGBackend::new(path, (960, 640)).into_drawing_area();
	root.fill(&WHITE)?;
	let (top, bottom) = root.split_vertically(340);
	let points = &report.series;
	let line = |value: fn(&Point) -> f64| points.iter().map(|p| (p.t, value(p))).collect();
	panel(
		&top,
		"Transfers per second",
		"transfers/s",
		&[
			("included", BLUE, line(|p| p.included_tps)),
			("finalized", RED, line(|p| p.finalized_tps)),
		],
	)?;
	panel(
		&bottom,
		"Transfers waiting in the pool",
		"transfers",
		&[("pending", GREEN, line(|p| p.pool as f64))],
	)?;
	root.present()?;
	Ok(())
}

/// One chart over time: a line per `(label, colour, points)`, with a legend.
fn panel(
	area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
	caption: &str,
	y_desc: &str,
	lines: &[(&str, RGBColor, Vec<(f64, f64)>)],
) -> Result<()> {
	let all = || lines.iter().flat_map(|(_, _, points)| points.iter());
	let t_max = all().map(|(t, _)| *t).fold(1.0, f64::max);
	let y_max = all().map(|(_, y)| *y).fold(1.0, f64::max) * 1.1;
	let mut chart = ChartBuilder::on(area)
		.caption(caption, ("sans-serif", 20))
		.margin(10)
		.x_label_area_size(30)
		.y_label_area_size(70)
		.build_cartesian_2d(0.0..t_max, 0.0..y_max)?;
	chart
		.configure_mesh()
		.x_desc("seconds")
		.y_desc(y_desc)
		.draw()?;
	for (label, color, points) in lines {
		let color = *color;
		chart
			.draw_series(LineSeries::new(points.iter().copied(), &color))?
			.label(*label)
			.legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
	}
	chart
		.configure_series_labels()
		.background_style(WHITE.mix(0.8))
		.border_style(BLACK)
		.draw()?;
	Ok(())
}
