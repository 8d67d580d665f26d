//! `consortia key`: Substrate's key commands, with SM2 beside sr25519, ed25519 and ecdsa in
//! `generate` and `inspect` (sc-cli's scheme list is closed, so those two are ours and print
//! SM2 keys in sc-cli's layout).

use crate::cli::Cli;
use clap::Parser;
use consortia_primitives::{sm2, Scheme};
use polkadot_sdk::{
	sc_cli::{self, utils, KeystoreParams, NetworkSchemeFlag, OutputType, OutputTypeFlag},
	sp_core::{
		crypto::{ExposeSecret, Ss58AddressFormat, Ss58Codec},
		ecdsa, ed25519, sr25519, Pair,
	},
};
use std::str::FromStr;

#[derive(Debug, clap::Subcommand)]
pub enum KeyCmd {
	/// Generate a random account: a BIP39 phrase and its keys in any of the chain's schemes.
	Generate(GenerateCmd),

	/// Show the keys and address of a secret URI, or of a public key with `--public`.
	Inspect(InspectCmd),

	/// Generate a random node key (Substrate's command: `--file`, `--bin`, `--chain`,
	/// `--base-path`, `--default-base-path`).
	GenerateNodeKey(SubstrateArgs),

	/// Load a node key from a file or stdin and print the corresponding peer id.
	InspectNodeKey(sc_cli::InspectNodeKeyCmd),

	/// Insert a key into a node's keystore.
	Insert(sc_cli::InsertKeyCmd),
}

#[derive(Debug, clap::Args)]
pub struct GenerateCmd {
	/// The number of words in the phrase: 12, 15, 18, 21 or 24.
	#[arg(short = 'w', long, default_value_t = 12)]
	words: usize,

	#[clap(flatten)]
	key: KeyArgs,
}

#[derive(Debug, clap::Args)]
pub struct InspectCmd {
	/// A secret URI (phrase, `0x` seed, dev seed, with derivations), an SS58 public key, or,
	/// with `--public`, a `0x` public key. A path to a file reads the URI from it; without it,
	/// the command asks.
	uri: Option<String>,

	/// The URI is a `0x` public key.
	#[arg(long)]
	public: bool,

	#[clap(flatten)]
	key: KeyArgs,
}

/// The scheme, the phrase's password and how to show a key.
#[derive(Debug, clap::Args)]
pub struct KeyArgs {
	/// `sr25519`, `ed25519`, `ecdsa` (secp256k1) or `sm2`.
	#[arg(long, default_value = "sr25519", value_parser = Scheme::from_str)]
	scheme: Scheme,

	#[clap(flatten)]
	keystore_params: KeystoreParams,

	#[clap(flatten)]
	network_scheme: NetworkSchemeFlag,

	#[clap(flatten)]
	output_scheme: OutputTypeFlag,
}

/// The arguments of a Substrate key command we pass through unchanged.
#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true)]
pub struct SubstrateArgs {
	#[arg(num_args = 0.., trailing_var_arg = true, allow_hyphen_values = true)]
	args: Vec<String>,
}

impl KeyCmd {
	pub fn run(&self, cli: &Cli) -> sc_cli::Result<()> {
		match self {
			Self::Generate(cmd) => {
				if !consortia_wallet::MNEMONIC_WORDS.contains(&cmd.words) {
					return Err(sc_cli::Error::Input(
						"a phrase has 12, 15, 18, 21 or 24 words".into(),
					));
				}
				let phrase = bip39::Mnemonic::generate(cmd.words)
					.map_err(|e| sc_cli::Error::Input(e.to_string()))?
					.to_string();
				print_from_uri(&phrase, &cmd.key)
			}
			Self::Inspect(cmd) => {
				let uri = utils::read_uri(cmd.uri.as_ref())?;
				if cmd.public {
					let (network, output) = (
						cmd.key.network_scheme.network,
						cmd.key.output_scheme.output_type,
					);
					match cmd.key.scheme {
						Scheme::Sr25519 => {
							utils::print_from_public::<sr25519::Pair>(&uri, network, output)
						}
						Scheme::Ed25519 => {
							utils::print_from_public::<ed25519::Pair>(&uri, network, output)
						}
						Scheme::Ecdsa => {
							utils::print_from_public::<ecdsa::Pair>(&uri, network, output)
						}
						Scheme::Sm2 => print_sm2_public(&uri, network, output),
					}
				} else {
					print_from_uri(&uri, &cmd.key)
				}
			}
			Self::GenerateNodeKey(SubstrateArgs { args }) => {
				#[derive(Parser)]
				#[command(name = "consortia key")]
				struct Substrate {
					#[command(subcommand)]
					key: sc_cli::KeySubcommand,
				}
				let argv = ["consortia key", "generate-node-key"]
					.into_iter()
					.map(String::from)
					.chain(args.iter().cloned());
				Substrate::try_parse_from(argv)
					.unwrap_or_else(|e| e.exit())
					.key
					.run(cli)
			}
			Self::InspectNodeKey(cmd) => cmd.run(),
			Self::Insert(cmd) => cmd.run(cli),
		}
	}
}

fn print_from_uri(uri: &str, key: &KeyArgs) -> sc_cli::Result<()> {
	let password = key.keystore_params.read_password()?;
	let (network, output) = (key.network_scheme.network, key.output_scheme.output_type);
	match key.scheme {
		Scheme::Sr25519 => utils::print_from_uri::<sr25519::Pair>(uri, password, network, output),
		Scheme::Ed25519 => utils::print_from_uri::<ed25519::Pair>(uri, password, network, output),
		Scheme::Ecdsa => utils::print_from_uri::<ecdsa::Pair>(uri, password, network, output),
		Scheme::Sm2 => return print_sm2_from_uri(uri, password, network, output),
	}
	Ok(())
}

/// What `key inspect` shows of an SM2 key, under sc-cli's names.
struct Sm2Keys {
	/// The URI's label and the URI (`secretPhrase`, `secretKeyUri` or `publicKeyUri`).
	uri: (&'static str, String),
	network: Ss58AddressFormat,
	seed: Option<sm2::Seed>,
	public: sm2::Public,
}

impl Sm2Keys {
	fn print(&self, output: OutputType) {
		let hex = |bytes: &[u8]| polkadot_sdk::sp_core::bytes::to_hex(bytes, false);
		let account = sm2::account_id(&self.public);
		let seed = self.seed.map_or_else(|| "n/a".into(), |seed| hex(&seed));
		let fields = [
			(self.uri.0, "", self.uri.1.clone()),
			("networkId", "Network ID", String::from(self.network)),
			("secretSeed", "Secret seed", seed),
			("publicKey", "Public key (hex)", hex(self.public.as_ref())),
			("accountId", "Account ID", hex(account.as_ref())),
			(
				"ss58PublicKey",
				"Public key (SS58)",
				self.public.to_ss58check_with_version(self.network),
			),
			(
				"ss58Address",
				"SS58 Address",
				account.to_ss58check_with_version(self.network),
			),
		];
		match output {
			OutputType::Json => {
				let json: serde_json::Map<_, _> = fields
					.into_iter()
					.map(|(key, _, value)| (key.to_owned(), value.into()))
					.collect();
				println!(
					"{}",
					serde_json::to_string_pretty(&json).expect("a map serializes")
				);
			}
			OutputType::Text => {
				match self.uri.0 {
					"secretPhrase" => println!("Secret phrase:       {}", self.uri.1),
					"secretKeyUri" => println!("Secret Key URI `{}` is account:", self.uri.1),
					_ => println!("Public Key URI `{}` is account:", self.uri.1),
				}
				for (_, name, value) in &fields[1..] {
					println!("  {:<19}{value}", format!("{name}:"));
				}
			}
		}
	}
}

fn print_sm2_from_uri(
	uri: &str,
	password: Option<polkadot_sdk::sp_core::crypto::SecretString>,
	network: Option<Ss58AddressFormat>,
	output: OutputType,
) -> sc_cli::Result<()> {
	let password = password.as_ref().map(|p| p.expose_secret().as_str());
	let default_network =
		network.unwrap_or_else(polkadot_sdk::sp_core::crypto::default_ss58_version);
	let keys = if let Ok((pair, seed)) = sm2::Pair::from_phrase(uri, password) {
		Sm2Keys {
			uri: ("secretPhrase", uri.into()),
			network: default_network,
			seed: Some(seed),
			public: pair.public(),
		}
	} else if let Ok((pair, seed)) = sm2::Pair::from_string_with_seed(uri, password) {
		Sm2Keys {
			uri: ("secretKeyUri", uri.into()),
			network: default_network,
			seed,
			public: pair.public(),
		}
	} else if let Ok((public, version)) = sm2::Public::from_string_with_version(uri) {
		Sm2Keys {
			uri: ("publicKeyUri", uri.into()),
			network: network.unwrap_or(version),
			seed: None,
			public,
		}
	} else {
		// The URI is not repeated: it may be a mistyped secret.
		return Err(sc_cli::Error::Input(
			"not an SM2 phrase, secret URI or public key".into(),
		));
	};
	keys.print(output);
	Ok(())
}

fn print_sm2_public(
	public: &str,
	network: Option<Ss58AddressFormat>,
	output: OutputType,
) -> sc_cli::Result<()> {
	let bytes = polkadot_sdk::sp_core::bytes::from_hex(public)
		.map_err(|_| sc_cli::Error::Input(format!("not a hex public key: {public}")))?;
	let public = sm2::Public::try_from(&bytes[..])
		.map_err(|_| sc_cli::Error::Input("an SM2 public key is 33 bytes, compressed".into()))?;
	let network = network.unwrap_or_else(polkadot_sdk::sp_core::crypto::default_ss58_version);
	Sm2Keys {
		uri: (
			"publicKeyUri",
			polkadot_sdk::sp_core::bytes::to_hex(&bytes, false),
		),
		network,
		seed: None,
		public,
	}
	.print(output);
	Ok(())
}
