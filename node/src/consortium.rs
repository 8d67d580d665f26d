//! `consortia consortium init`: everything a consortium of N validators needs to start, in one
//! folder: each validator's keys in its own node folder, a chain spec with those validators,
//! and the command line that starts each node.

use crate::chain_spec::{self, ChainSpec};
use consortia_runtime::{
	genesis_config_presets::{self, Member},
	AccountId,
};
use polkadot_sdk::{
	sc_keystore::LocalKeystore,
	sc_network::{
		config::{NodeKeyConfig, Secret},
		PeerId,
	},
	sc_service::ChainType,
	sp_core::{crypto::KeyTypeId, ed25519, sr25519, Pair},
	sp_keystore::Keystore,
};
use std::{
	fmt::Write as _,
	path::{Path, PathBuf},
};

/// Commands that set up a consortium chain.
#[derive(Debug, clap::Subcommand)]
pub enum ConsortiumCmd {
	/// Generate the keys, chain spec and launch commands of a consortium of N validators.
	Init(InitCmd),
}

impl ConsortiumCmd {
	pub fn run(&self) -> Result<(), String> {
		match self {
			Self::Init(cmd) => cmd.run(),
		}
	}
}

/// Writes into `--out`:
///
/// - `chain-spec.json`, the chain spec to edit (no runtime code, like `chain-specs/`), and
///   `chain-spec-raw.json`, its fixed genesis: give that one to every member;
/// - `validator-<i>/`, each validator's base path: its Aura and GRANDPA keys in the keystore,
///   its network key, and `secret-phrase` (keep it secret: it controls the validator's keys
///   and its organisation's funded account);
/// - `launch.sh <i>`, which starts validator `i` on this machine (loopback ports), the others as
///   its reserved peers (it syncs with no one else).
#[derive(Debug, clap::Args)]
pub struct InitCmd {
	/// Number of validators, one per member organisation.
	#[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
	pub validators: u32,

	/// Folder to write into; it must not exist yet or be empty, so no key is ever overwritten.
	#[arg(long, value_name = "DIR")]
	pub out: PathBuf,

	/// The chain's name.
	#[arg(long, default_value = "Consortia Consortium")]
	pub name: String,

	/// The chain's id: names the database folder, so two chains on a machine need two ids.
	#[arg(long, default_value = "consortium")]
	pub chain_id: String,

	/// Validator `i` listens for peers on this port + i in `launch.sh`.
	#[arg(long, default_value_t = 30333)]
	pub p2p_port: u16,

	/// Validator `i` serves RPC on this port + i in `launch.sh`.
	#[arg(long, default_value_t = 9944)]
	pub rpc_port: u16,
}

/// One generated validator.
struct Validator {
	member: Member,
	peer_id: PeerId,
}

const AURA: KeyTypeId = KeyTypeId(*b"aura");
const GRANDPA: KeyTypeId = KeyTypeId(*b"gran");

impl InitCmd {
	pub fn run(&self) -> Result<(), String> {
		let n = self.validators as usize;
		if usize::from(self.p2p_port) + n > 65_536 || usize::from(self.rpc_port) + n > 65_536 {
			return Err("the port ranges run past 65535: choose lower --p2p-port or --rpc-port".into());
		}
		if self.out.exists() {
			let mut entries = std::fs::read_dir(&self.out)
				.map_err(|e| format!("cannot read {}: {e}", self.out.display()))?;
			if entries.next().is_some() {
				return Err(format!(
					"{} is not empty: consortium init never overwrites keys; choose a new folder",
					self.out.display()
				));
			}
		}

		let validators = (0..n)
			.map(|i| self.generate(i))
			.collect::<Result<Vec<_>, String>>()?;
		let peer_ids: Vec<PeerId> = validators.iter().map(|v| v.peer_id).collect();
		let members: Vec<Member> = validators.into_iter().map(|v| v.member).collect();
		let accounts: Vec<AccountId> = members.iter().map(|m| m.account.clone()).collect();
		// The council of all members governs; the first organisation also holds sudo as the
		// break-glass key for runtime upgrades, which need root (`sudo.removeKey` retires it).
		let patch = genesis_config_presets::genesis(&members, &accounts, accounts[0].clone());

		let spec = ChainSpec::builder(chain_spec::wasm_binary()?, None)
			.with_name(&self.name)
			.with_id(&self.chain_id)
			.with_chain_type(ChainType::Live)
			.with_genesis_config_patch(patch)
			.with_properties(chain_spec::chain_properties())
			.build();
		let mut plain: serde_json::Value = serde_json::from_str(&spec.as_json(false)?)
			.map_err(|e| e.to_string())?;
		// Like the specs in chain-specs/: the runtime is filled in when a node loads it.
		if let Some(genesis) = plain.pointer_mut("/genesis/runtimeGenesis").and_then(|g| g.as_object_mut()) {
			genesis.remove("code");
		}
		write(&self.out.join("chain-spec.json"), serde_json::to_string_pretty(&plain).unwrap())?;
		write(&self.out.join("chain-spec-raw.json"), spec.as_json(true)?)?;
		write_executable(&self.out.join("launch.sh"), self.launch_script(&peer_ids))?;

		println!("Consortium of {n} validators written to {}", self.out.display());
		for (i, (m, peer)) in members.iter().zip(&peer_ids).enumerate() {
			println!(
				"  validator-{i}: account {}, Aura {}, GRANDPA {}, peer {peer}",
				m.account, m.aura, m.grandpa
			);
		}
		println!("Start validator i on this machine with `{}/launch.sh i`.", self.out.display());
		Ok(())
	}

	/// Validator `i`'s folder.
	fn node_dir(&self, i: usize) -> PathBuf {
		self.out.join(format!("validator-{i}"))
	}

	/// Makes validator `i`'s secret phrase, puts its Aura (`<phrase>//aura`) and GRANDPA
	/// (`<phrase>//grandpa`) keys in its keystore and its network key in its network folder,
	/// where `--base-path validator-<i>` finds them. Its account is the phrase's own sr25519 key.
	fn generate(&self, i: usize) -> Result<Validator, String> {
		let dir = self.node_dir(i);
		let chain_dir = dir.join("chains").join(&self.chain_id);
		let (account_pair, phrase, _) = sr25519::Pair::generate_with_phrase(None);

		let keystore = LocalKeystore::open(chain_dir.join("keystore"), None)
			.map_err(|e| format!("cannot create the keystore of validator {i}: {e}"))?;
		let aura_suri = format!("{phrase}//aura");
		let grandpa_suri = format!("{phrase}//grandpa");
		let aura = sr25519::Pair::from_string(&aura_suri, None).expect("a fresh phrase derives").public();
		let grandpa =
			ed25519::Pair::from_string(&grandpa_suri, None).expect("a fresh phrase derives").public();
		keystore
			.insert(AURA, &aura_suri, aura.as_ref())
			.and_then(|()| keystore.insert(GRANDPA, &grandpa_suri, grandpa.as_ref()))
			.map_err(|()| format!("cannot write the keys of validator {i}"))?;

		let node_key = NodeKeyConfig::Ed25519(Secret::File(chain_dir.join("network").join("secret_ed25519")))
			.into_keypair()
			.map_err(|e| format!("cannot write the network key of validator {i}: {e}"))?;
		write_secret(&dir.join("secret-phrase"), &phrase)?;

		let peer_id = node_key.public().to_peer_id();
		Ok(Validator {
			member: Member {
				account: AccountId::from(account_pair.public()),
				aura: aura.into(),
				grandpa: grandpa.into(),
				node: Some(peer_id.to_bytes()),
			},
			peer_id,
		})
	}

	/// `launch.sh <i>`: validator `i` on loopback, syncing only with the other validators from
	/// its first moment (`--reserved-only`); once blocks come, the chain's list of authorised
	/// nodes takes over the reserved set.
	fn launch_script(&self, peer_ids: &[PeerId]) -> String {
		let mut script = String::from(
			"#!/usr/bin/env bash\n\
			 # Starts validator $1 of this consortium on this machine (generated by `consortia consortium init`).\n\
			 # Extra arguments go to the node. CONSORTIA_BIN picks the binary (default: consortia on PATH).\n\
			 set -euo pipefail\n\
			 dir=\"$(cd \"$(dirname \"$0\")\" && pwd)\"\n\
			 i=\"${1:?usage: launch.sh <validator index> [node arguments]}\"; shift\n",
		);
		let _ = writeln!(script, "case \"$i\" in");
		for i in 0..peer_ids.len() {
			let peers: Vec<String> = peer_ids
				.iter()
				.enumerate()
				.filter(|(j, _)| *j != i)
				.map(|(j, peer)| format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer}", usize::from(self.p2p_port) + j))
				.collect();
			let _ = writeln!(
				script,
				"\t{i}) port={}; rpc={}; peers=({}) ;;",
				usize::from(self.p2p_port) + i,
				usize::from(self.rpc_port) + i,
				peers.iter().map(|p| format!("--reserved-nodes {p}")).collect::<Vec<_>>().join(" ")
			);
		}
		let _ = writeln!(
			script,
			"\t*) echo \"no validator $i: this consortium has 0..{}\" >&2; exit 1 ;;\nesac",
			peer_ids.len() - 1
		);
		script.push_str(
			"exec \"${CONSORTIA_BIN:-consortia}\" --chain \"$dir/chain-spec-raw.json\" \\\n\
			 \t--base-path \"$dir/validator-$i\" --validator --name \"validator-$i\" \\\n\
			 \t--listen-addr \"/ip4/127.0.0.1/tcp/$port\" --rpc-port \"$rpc\" \\\n\
			 \t--reserved-only \"${peers[@]}\" \"$@\"\n",
		);
		script
	}
}

fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<(), String> {
	std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes a file only its owner may read.
fn write_secret(path: &Path, contents: &str) -> Result<(), String> {
	use std::{io::Write, os::unix::fs::OpenOptionsExt};
	std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.and_then(|mut file| file.write_all(contents.as_bytes()))
		.map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn write_executable(path: &Path, contents: String) -> Result<(), String> {
	use std::os::unix::fs::PermissionsExt;
	write(path, contents)?;
	std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
		.map_err(|e| format!("cannot make {} executable: {e}", path.display()))
}
