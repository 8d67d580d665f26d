//! Chain specifications: the built-in chains and loading specs from files.
//!
//! Specs under `chain-specs/` may leave out the runtime code (`genesis.runtimeGenesis.code`):
//! the node then fills in the runtime it was built with. Such a spec cannot go stale as the
//! runtime changes; `build-spec --raw` turns it into a fixed genesis to hand to every member.

use consortia_runtime::{
	genesis_config_presets::CONSORTIUM_RUNTIME_PRESET, SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL,
	WASM_BINARY,
};
use polkadot_sdk::{
	sc_service::{ChainType, Properties},
	sp_core::bytes,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
};
use serde_json::Value;
use std::path::Path;

/// A chain spec of this node: no client extensions.
pub type ChainSpec = polkadot_sdk::sc_service::GenericChainSpec;

pub(crate) fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"this binary was built without the runtime's Wasm (SKIP_WASM_BUILD was set); rebuild it \
		 without SKIP_WASM_BUILD"
			.to_string()
	})
}

/// Token symbol, decimals and address format, so wallets show amounts and addresses right.
pub fn chain_properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(chain_properties())
		.build())
}

/// `--dev`: one authority (Alice), blocks from the first second.
pub fn development() -> Result<ChainSpec, String> {
	from_preset(
		"Consortia Development",
		"consortia_dev",
		ChainType::Development,
		DEV_RUNTIME_PRESET,
	)
}

/// `--chain local`: two authorities (Alice, Bob) on one machine.
pub fn local_testnet() -> Result<ChainSpec, String> {
	from_preset(
		"Consortia Local Testnet",
		"consortia_local",
		ChainType::Local,
		LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// `--chain consortium`: four member organisations' validators, with dev keys.
pub fn consortium() -> Result<ChainSpec, String> {
	from_preset(
		"Consortia Consortium",
		"consortia_consortium",
		ChainType::Local,
		CONSORTIUM_RUNTIME_PRESET,
	)
}

/// Loads a chain spec from a JSON file, filling in this node's runtime where the file has none.
pub fn from_file(path: &Path) -> Result<ChainSpec, String> {
	let shown = path.display();
	let bytes =
		std::fs::read(path).map_err(|e| format!("cannot read chain-spec file `{shown}`: {e}"))?;
	let mut json: Value = serde_json::from_slice(&bytes)
		.map_err(|e| format!("chain-spec file `{shown}` is not valid JSON: {e}"))?;
	if let Some(genesis) = json
		.pointer_mut("/genesis/runtimeGenesis")
		.and_then(Value::as_object_mut)
	{
		if !genesis.contains_key("code") {
			genesis.insert("code".into(), bytes::to_hex(wasm_binary()?, false).into());
		}
	}
	let bytes = serde_json::to_vec(&json).map_err(|e| e.to_string())?;
	ChainSpec::from_json_bytes(bytes)
		.map_err(|e| format!("chain-spec file `{shown}` is not a valid chain spec: {e}"))
}

/// Resolves `--chain`: a built-in name or a path to a spec file.
pub fn load(id: &str) -> Result<ChainSpec, String> {
	match id {
		"dev" => development(),
		"" | "local" => local_testnet(),
		"consortium" => consortium(),
		path => from_file(Path::new(path)),
	}
}
