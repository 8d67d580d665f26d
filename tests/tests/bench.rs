//! The bench tool end to end on a small load: it must produce every figure, lose nothing and
//! balance the books. Its speed is not asserted here; `scripts/bench.sh` measures it.

use consortia_tests::{
	node::{bench_binary, run_bounded},
	NodeBuilder,
};
use serde_json::Value;
use std::time::Duration;

/// More than a dev block holds (about 5,600 transfers), so the transfers span several blocks and
/// every per-block figure, block time included, has something to measure. From 200 accounts:
/// 60 each, under the mempool policy's 100 waiting per sender.
const TRANSFERS: u32 = 12_000;

fn number(report: &Value, path: &str) -> f64 {
	report
		.pointer(path)
		.and_then(Value::as_f64)
		.unwrap_or_else(|| panic!("bench.json has no number at {path}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn bench_reports_every_figure_and_loses_nothing() {
	let node = NodeBuilder::dev().start().await;
	let out = tempfile::tempdir().unwrap();
	let url = format!("ws://127.0.0.1:{}", node.rpc().port());
	let pid = node.pid().to_string();
	let transfers = TRANSFERS.to_string();
	let output = run_bounded(
		&bench_binary(),
		&[
			"--url",
			&url,
			"--transfers",
			&transfers,
			"--accounts",
			"200",
			"--node-pid",
			&pid,
			"--out",
			out.path().to_str().unwrap(),
			"--quiet",
		],
		Duration::from_secs(240),
	);
	let stdout = String::from_utf8_lossy(&output.stdout);
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(
		output.status.success(),
		"the bench failed\n{stdout}\n{stderr}\n{}",
		node.log_tail()
	);
	assert!(
		stdout.contains("finalized"),
		"no summary printed:\n{stdout}"
	);

	let report: Value =
		serde_json::from_slice(&std::fs::read(out.path().join("bench.json")).unwrap()).unwrap();
	assert_eq!(number(&report, "/submission/accepted"), TRANSFERS as f64);
	assert_eq!(number(&report, "/finalized/transfers"), TRANSFERS as f64);
	assert_eq!(number(&report, "/included/transfers"), TRANSFERS as f64);
	assert_eq!(number(&report, "/lost"), 0.0);
	assert_eq!(number(&report, "/audit/accounts"), 200.0);
	assert_eq!(
		number(&report, "/audit/mismatches"),
		0.0,
		"balances do not add up"
	);
	for figure in [
		"/submission/per_second",
		"/included/tps",
		"/finalized/tps",
		"/latency_ms/p50",
		"/latency_ms/p99",
		"/block_to_finality_ms/p50",
		"/block_time_ms/p50",
		"/block_fill/transfers_per_block/max",
		"/block_fill/weight_percent/max",
		"/block_fill/length_percent/max",
		"/pool_peak",
		"/node_peak_memory_mib",
		"/audit/fees_paid",
	] {
		assert!(number(&report, figure) > 0.0, "{figure} is zero");
	}
	assert!(number(&report, "/latency_ms/p99") >= number(&report, "/latency_ms/p50"));
	assert!(
		number(&report, "/block_to_finality_ms/p99")
			>= number(&report, "/block_to_finality_ms/p50")
	);
	let series = report["series"].as_array().expect("a time series");
	assert!(series.iter().any(|p| p["pool"].as_u64() > Some(0)));
	assert!(series
		.iter()
		.any(|p| p["finalized_tps"].as_f64() > Some(0.0)));
	assert!(series
		.iter()
		.any(|p| p["node_memory_mib"].as_f64() > Some(0.0)));

	let svg = std::fs::read_to_string(out.path().join("bench.svg")).unwrap();
	assert!(svg.starts_with("<svg") && svg.contains("Transfers per second"));
}

#[test]
fn bench_refuses_bad_arguments_and_unreachable_nodes() {
	let output = run_bounded(
		&bench_binary(),
		&["--accounts", "1"],
		Duration::from_secs(30),
	);
	assert!(!output.status.success());
	assert!(String::from_utf8_lossy(&output.stderr).contains("--accounts"));

	// Port 1 on loopback: nothing listens there.
	let output = run_bounded(
		&bench_binary(),
		&["--url", "ws://127.0.0.1:1", "--transfers", "10"],
		Duration::from_secs(30),
	);
	assert!(!output.status.success());
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(
		stderr.contains("cannot connect to the node at ws://127.0.0.1:1"),
		"{stderr}"
	);
}
