//! A `consortia` process under test, and a JSON-RPC client for it.

use jsonrpsee::{
	core::{client::ClientT, params::ArrayParams},
	http_client::{HttpClient, HttpClientBuilder},
};
use polkadot_sdk::sp_runtime::traits::{BlakeTwo256, Hash as HashT};
use serde_json::Value;
use std::{
	fs::File,
	path::{Path, PathBuf},
	process::{Child, Command, Output, Stdio},
	time::{Duration, Instant},
};

/// The release binary under test: `$CONSORTIA_BIN`, or `consortia` next to the test executable's
/// profile directory (`target/release/deps/<test>` → `target/release/consortia`).
pub fn binary() -> PathBuf {
	release_binary("consortia", "CONSORTIA_BIN")
}

/// The bench tool: `$CONSORTIA_BENCH_BIN`, or `consortia-bench` beside `consortia`.
pub fn bench_binary() -> PathBuf {
	release_binary("consortia-bench", "CONSORTIA_BENCH_BIN")
}

fn release_binary(name: &str, env: &str) -> PathBuf {
	if let Some(path) = std::env::var_os(env) {
		return path.into();
	}
	let exe = std::env::current_exe().expect("the test knows its own path");
	let profile_dir = exe
		.parent()
		.and_then(Path::parent)
		.expect("tests run from target/<profile>/deps");
	let bin = profile_dir.join(name);
	assert!(
		bin.exists(),
		"{} is missing: build it first (`cargo build --release --workspace`) or set {env}",
		bin.display()
	);
	bin
}

/// Runs `consortia` with `args` to completion (for commands that exit, such as `build-spec`);
/// kills it if it runs past two minutes, so a command that wrongly starts a node cannot hang.
pub fn run_to_completion(args: &[&str]) -> Output {
	run_bounded(&binary(), args, Duration::from_secs(120))
}

/// Runs `program` with `args` to completion, killing it after `limit`.
pub fn run_bounded(program: &Path, args: &[&str], limit: Duration) -> Output {
	let mut child = Command::new(program)
		.args(args)
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.unwrap_or_else(|e| panic!("{} does not start: {e}", program.display()));
	// Drain the pipes on threads so a chatty command cannot block on a full pipe.
	let mut stdout = child.stdout.take().expect("piped");
	let mut stderr = child.stderr.take().expect("piped");
	let out = std::thread::spawn(move || read_all(&mut stdout));
	let err = std::thread::spawn(move || read_all(&mut stderr));
	let deadline = Instant::now() + limit;
	let status = loop {
		if let Some(status) = child.try_wait().expect("the child can be waited on") {
			break status;
		}
		if Instant::now() > deadline {
			let _ = child.kill();
			panic!(
				"{} {args:?} did not exit within {limit:?}",
				program.display()
			);
		}
		std::thread::sleep(Duration::from_millis(50));
	};
	Output {
		status,
		stdout: out.join().unwrap(),
		stderr: err.join().unwrap(),
	}
}

fn read_all(from: &mut impl std::io::Read) -> Vec<u8> {
	let mut bytes = Vec::new();
	let _ = from.read_to_end(&mut bytes);
	bytes
}

/// How to start a node.
pub struct NodeBuilder {
	args: Vec<String>,
	base_path: Option<PathBuf>,
	prometheus: bool,
}

impl NodeBuilder {
	/// A node with no arguments yet; see [`NodeBuilder::args`].
	pub fn new() -> Self {
		Self {
			args: Vec::new(),
			base_path: None,
			prometheus: false,
		}
	}

	/// A `--dev` node on a temporary database.
	pub fn dev() -> Self {
		Self::new().args(["--dev"])
	}

	/// Keeps the database in `path` instead of a temporary one, so it survives a restart.
	pub fn base_path(mut self, path: &Path) -> Self {
		self.base_path = Some(path.to_path_buf());
		self
	}

	/// Serves Prometheus metrics on a free loopback port (see [`Node::metrics`]).
	pub fn prometheus(mut self) -> Self {
		self.prometheus = true;
		self
	}

	/// Adds command-line arguments.
	pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
		self.args.extend(args.into_iter().map(Into::into));
		self
	}

	/// Starts the node on loopback, on ports the OS picks, and waits until its RPC answers.
	pub async fn start(self) -> Node {
		let log_dir = tempfile::Builder::new()
			.prefix("consortia-log-")
			.tempdir()
			.expect("temp dir");
		let log_path = log_dir.path().join("node.log");
		let log = File::create(&log_path).expect("log file can be created");

		// Port 0 everywhere: the OS picks free ports at bind time, so parallel tests never race
		// for one; the node logs the RPC address it got.
		let mut command = Command::new(binary());
		command
			.args(&self.args)
			.args(["--rpc-port", "0", "--listen-addr", "/ip4/127.0.0.1/tcp/0"])
			.args(if self.prometheus {
				["--prometheus-port", "0"].as_slice()
			} else {
				["--no-prometheus"].as_slice()
			})
			.args(["--no-telemetry", "--no-mdns"])
			.stdout(Stdio::null())
			.stderr(log);
		match &self.base_path {
			Some(path) => command.arg("--base-path").arg(path),
			None => command.arg("--tmp"),
		};
		let child = command.spawn().expect("consortia starts");

		let mut node = Node {
			child: Some(child),
			rpc: None,
			log_path,
			_log_dir: log_dir,
		};
		node.wait_for_rpc(Duration::from_secs(60)).await;
		node
	}
}

/// A running node; killed when dropped.
pub struct Node {
	child: Option<Child>,
	rpc: Option<Rpc>,
	log_path: PathBuf,
	_log_dir: tempfile::TempDir,
}

impl Node {
	async fn wait_for_rpc(&mut self, timeout: Duration) {
		let deadline = Instant::now() + timeout;
		loop {
			if self.rpc.is_none() {
				self.rpc = self.logged_rpc_port().map(Rpc::new);
			}
			if let Some(rpc) = &self.rpc {
				if rpc.call("system_health", ArrayParams::new()).await.is_ok() {
					return;
				}
			}
			if let Some(status) = self
				.child
				.as_mut()
				.and_then(|child| child.try_wait().ok().flatten())
			{
				panic!(
					"consortia exited before its RPC came up ({status})\n{}",
					self.log_tail()
				);
			}
			assert!(
				Instant::now() < deadline,
				"RPC did not come up in {timeout:?}\n{}",
				self.log_tail()
			);
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
	}

	/// The IPv4 RPC port from the node's `Running JSON-RPC server: addr=127.0.0.1:PORT,...` line.
	fn logged_rpc_port(&self) -> Option<u16> {
		let log = std::fs::read_to_string(&self.log_path).ok()?;
		let (_, rest) = log.split_once("Running JSON-RPC server: addr=127.0.0.1:")?;
		let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
		digits.parse().ok()
	}

	/// The node's Prometheus metrics, in the text exposition format (a node started with
	/// [`NodeBuilder::prometheus`]).
	pub fn metrics(&self) -> String {
		use std::io::{Read, Write};
		let log = std::fs::read_to_string(&self.log_path).unwrap_or_default();
		let (_, rest) = log
			.split_once("Prometheus exporter started at ")
			.expect("the node serves Prometheus metrics");
		let addr: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
		let mut stream = std::net::TcpStream::connect(&addr).expect("the metrics port answers");
		write!(stream, "GET /metrics HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
		let mut response = String::new();
		stream.read_to_string(&mut response).expect("a metrics response");
		response
	}

	/// JSON-RPC client of this node.
	pub fn rpc(&self) -> &Rpc {
		self.rpc
			.as_ref()
			.expect("the RPC is up once the node has started")
	}

	/// The node's process id.
	pub fn pid(&self) -> u32 {
		self.child.as_ref().expect("the node is running").id()
	}

	/// Whether the node has logged `text`.
	pub fn logged(&self, text: &str) -> bool {
		std::fs::read_to_string(&self.log_path).is_ok_and(|log| log.contains(text))
	}

	/// The last lines the node logged, for failure messages.
	pub fn log_tail(&self) -> String {
		let log = std::fs::read_to_string(&self.log_path).unwrap_or_default();
		let lines: Vec<&str> = log.lines().collect();
		lines[lines.len().saturating_sub(40)..].join("\n")
	}

	/// Kills the node with SIGKILL, as a crash or power loss would, and waits for it to exit.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Waits until `check` returns `Some`, polling every 200 ms; panics with the node's log
	/// after `timeout`.
	pub async fn wait_until<T, F, Fut>(&self, what: &str, timeout: Duration, mut check: F) -> T
	where
		F: FnMut() -> Fut,
		Fut: std::future::Future<Output = Option<T>>,
	{
		let deadline = Instant::now() + timeout;
		loop {
			if let Some(value) = check().await {
				return value;
			}
			assert!(
				Instant::now() < deadline,
				"timed out after {timeout:?} waiting for {what}\n{}",
				self.log_tail()
			);
			tokio::time::sleep(Duration::from_millis(200)).await;
		}
	}

	/// Waits until the finalized block number reaches `number`.
	pub async fn wait_finalized(&self, number: u32, timeout: Duration) -> u32 {
		self.wait_until(&format!("finalized block #{number}"), timeout, || async {
			let finalized = self.rpc().finalized_number().await.ok()?;
			(finalized >= number).then_some(finalized)
		})
		.await
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.kill();
	}
}

/// A JSON-RPC client over HTTP.
pub struct Rpc {
	client: HttpClient,
	port: u16,
}

impl Rpc {
	fn new(port: u16) -> Self {
		let client = HttpClientBuilder::default()
			.request_timeout(Duration::from_secs(30))
			.build(format!("http://127.0.0.1:{port}"))
			.expect("a valid URL");
		Self { client, port }
	}

	/// The node's RPC port (HTTP and WebSocket share it).
	pub fn port(&self) -> u16 {
		self.port
	}

	/// Calls `method` with positional `params`.
	pub async fn call(
		&self,
		method: &str,
		params: ArrayParams,
	) -> Result<Value, jsonrpsee::core::client::Error> {
		self.client.request(method, params).await
	}

	/// Calls `method`, panicking on an error.
	pub async fn expect(&self, method: &str, params: ArrayParams) -> Value {
		self.call(method, params)
			.await
			.unwrap_or_else(|e| panic!("{method} failed: {e}"))
	}

	/// The number of the best block.
	pub async fn best_number(&self) -> Result<u32, jsonrpsee::core::client::Error> {
		let header = self.call("chain_getHeader", ArrayParams::new()).await?;
		Ok(parse_number(&header["number"]))
	}

	/// The number of the last finalized block.
	pub async fn finalized_number(&self) -> Result<u32, jsonrpsee::core::client::Error> {
		let hash = self
			.call("chain_getFinalizedHead", ArrayParams::new())
			.await?;
		let mut params = ArrayParams::new();
		params.insert(hash).expect("a JSON value serializes");
		let header = self.call("chain_getHeader", params).await?;
		Ok(parse_number(&header["number"]))
	}
}

/// Parses a hex block number such as `"0x1a"`.
fn parse_number(value: &Value) -> u32 {
	let hex = value.as_str().expect("block numbers are hex strings");
	u32::from_str_radix(hex.trim_start_matches("0x"), 16).expect("a valid hex number")
}

/// Builds positional JSON-RPC parameters.
#[macro_export]
macro_rules! params {
	($($value:expr),* $(,)?) => {{
		#[allow(unused_mut)]
		let mut params = jsonrpsee::core::params::ArrayParams::new();
		$( params.insert($value).expect("parameters serialize"); )*
		params
	}};
}

/// Chain queries the tests share, decoded with the runtime's types.
impl Rpc {
	/// The genesis block's hash.
	pub async fn genesis_hash(&self) -> consortia_runtime::Hash {
		let hash = self.expect("chain_getBlockHash", crate::params![0]).await;
		hash.as_str()
			.expect("a hash string")
			.parse()
			.expect("a valid hash")
	}

	/// The next nonce of `who`, counting transactions in the pool.
	pub async fn next_nonce(&self, who: &consortia_runtime::AccountId) -> consortia_runtime::Nonce {
		let nonce = self
			.expect("system_accountNextIndex", crate::params![who.to_string()])
			.await;
		nonce.as_u64().expect("a number") as consortia_runtime::Nonce
	}

	/// The free balance of `who` at block `at` (the best block when `None`).
	pub async fn free_balance(
		&self,
		who: &consortia_runtime::AccountId,
		at: Option<&str>,
	) -> consortia_runtime::Balance {
		let value = self
			.expect(
				"state_getStorage",
				crate::params![crate::tx::account_key(who), at],
			)
			.await;
		match value.as_str() {
			Some(hex) => {
				crate::tx::decode_account(&crate::tx::from_hex(hex))
					.data
					.free
			}
			None => 0,
		}
	}

	/// The events of block `at`.
	pub async fn events(&self, at: &str) -> Vec<consortia_runtime::RuntimeEvent> {
		let value = self
			.expect(
				"state_getStorage",
				crate::params![crate::tx::events_key(), at],
			)
			.await;
		value
			.as_str()
			.map(|hex| crate::tx::decode_events(&crate::tx::from_hex(hex)))
			.unwrap_or_default()
	}

	/// Submits a transaction; returns its hash, or the node's JSON-RPC error.
	pub async fn submit(
		&self,
		xt: &consortia_runtime::UncheckedExtrinsic,
	) -> Result<String, jsonrpsee::core::client::Error> {
		let hash = self
			.call("author_submitExtrinsic", crate::params![crate::tx::hex(xt)])
			.await?;
		Ok(hash.as_str().expect("a hash string").to_string())
	}

	/// The hash of block `number` on the best chain.
	pub async fn block_hash(&self, number: u32) -> Option<String> {
		let hash = self
			.expect("chain_getBlockHash", crate::params![number])
			.await;
		hash.as_str().map(str::to_string)
	}

	/// Looks for the transaction with hash `tx_hash` in blocks `from..=best`; returns the block's
	/// number and hash.
	pub async fn find_transaction(&self, tx_hash: &str, from: u32) -> Option<(u32, String)> {
		let wanted: consortia_runtime::Hash = tx_hash.parse().ok()?;
		let best = self.best_number().await.ok()?;
		for number in from..=best {
			let hash = self.block_hash(number).await?;
			let block = self.expect("chain_getBlock", crate::params![&hash]).await;
			let extrinsics = block["block"]["extrinsics"].as_array()?.clone();
			let found = extrinsics.iter().filter_map(Value::as_str).any(|xt| {
				let hashed = <BlakeTwo256 as HashT>::hash(&crate::tx::from_hex(xt));
				hashed == wanted
			});
			if found {
				return Some((number, hash));
			}
		}
		None
	}
}

/// Health and networking queries.
impl Rpc {
	/// The node's own p2p address on loopback, with its peer id: a `--bootnodes` entry for
	/// other nodes.
	pub async fn p2p_address(&self) -> String {
		let addresses = self.expect("system_localListenAddresses", crate::params![]).await;
		addresses
			.as_array()
			.expect("a list of addresses")
			.iter()
			.filter_map(Value::as_str)
			.find(|address| address.starts_with("/ip4/127.0.0.1/tcp/"))
			.expect("the node listens on loopback")
			.to_string()
	}

	/// `health_status`.
	pub async fn health_status(&self) -> Value {
		self.expect("health_status", crate::params![]).await
	}

	/// The chain's health table at the best block, through the `HealthApi` runtime API.
	pub async fn health_report(&self) -> HealthReport {
		let hex = self
			.expect("state_call", crate::params!["HealthApi_health_report", "0x"])
			.await;
		let bytes = crate::tx::from_hex(hex.as_str().expect("a hex string"));
		codec::Decode::decode(&mut &bytes[..]).expect("a HealthReport")
	}
}

/// The health table as the runtime encodes it.
pub type HealthReport = consortia_runtime::pallet_health::HealthReport<
	polkadot_sdk::sp_consensus_aura::sr25519::AuthorityId,
	consortia_runtime::BlockNumber,
>;

impl Node {
	/// Waits until transaction `tx_hash` is in a block at or after `from`, and that block is
	/// finalized; returns the block's number and hash.
	pub async fn wait_finalized_inclusion(
		&self,
		tx_hash: &str,
		from: u32,
		timeout: Duration,
	) -> (u32, String) {
		let (number, hash) = self
			.wait_until(
				&format!("transaction {tx_hash} in a block"),
				timeout,
				|| self.rpc().find_transaction(tx_hash, from),
			)
			.await;
		self.wait_finalized(number, timeout).await;
		assert_eq!(
			self.rpc().block_hash(number).await.as_deref(),
			Some(hash.as_str()),
			"the block holding the transaction was not the one finalized"
		);
		(number, hash)
	}
}

impl Node {
	/// Signs `call` from `signer`, submits it, and waits until it is in a block; returns that
	/// block's events (the transaction's own among them).
	pub async fn execute(
		&self,
		signer: &polkadot_sdk::sp_core::sr25519::Pair,
		call: consortia_runtime::RuntimeCall,
		timeout: Duration,
	) -> Vec<consortia_runtime::RuntimeEvent> {
		use polkadot_sdk::sp_core::Pair;
		let rpc = self.rpc();
		let who = consortia_runtime::AccountId::from(signer.public());
		let genesis = rpc.genesis_hash().await;
		let nonce = rpc.next_nonce(&who).await;
		let from = rpc.best_number().await.expect("the node answers");
		let hash = rpc
			.submit(&crate::tx::sign(call, signer, nonce, genesis))
			.await
			.unwrap_or_else(|e| panic!("a transaction from {who} was refused: {e}"));
		let (_, block) = self
			.wait_until("the transaction in a block", timeout, || rpc.find_transaction(&hash, from))
			.await;
		rpc.events(&block).await
	}
}
