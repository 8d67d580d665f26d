//! Genesis presets: the starting state of the chains users launch.
//!
//! * `development`: one authority (Alice), for `consortia --dev`.
//! * `local_testnet`: two authorities (Alice, Bob) on one machine.
//! * `consortium`: four authorities standing for four member organisations (Alice, Bob, Charlie,
//!   Dave's well-known dev keys): the shape of a consortium chain, for local trials. A real
//!   consortium replaces every key; `chain-specs/README.md` says how.
//!
//! In all three the well-known dev accounts are funded, Alice holds sudo, the validators'
//! accounts form the council (two thirds must approve a motion), and the network is open to
//! any node.

use crate::*;
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};
use serde_json::{json, Value};

/// Name of the consortium preset.
pub const CONSORTIUM_RUNTIME_PRESET: &str = "consortium";

/// What each funded account starts with.
pub const ENDOWMENT: Balance = 1_000_000 * UNIT;

/// A member organisation at genesis: its account (its council seat, and the validator's
/// name in the session), its validator's session keys, and its node's peer id (libp2p bytes)
/// when the network admits authorised nodes only.
pub struct Member {
	pub account: AccountId,
	pub aura: AuraId,
	pub grandpa: GrandpaId,
	pub node: Option<Vec<u8>>,
}

/// A genesis patch from the member organisations (each a validator and a council seat), the
/// funded accounts (each given [`ENDOWMENT`]) and the sudo key; `consortia consortium init`
/// builds its chain from it too. Aura's and GRANDPA's authorities come from the session keys.
pub fn genesis(members: &[Member], endowed: &[AccountId], root: AccountId) -> Value {
	let accounts: Vec<&AccountId> = members.iter().map(|m| &m.account).collect();
	json!({
		"balances": {
			"balances": endowed.iter().map(|who| (who.clone(), ENDOWMENT)).collect::<Vec<_>>(),
		},
		"session": {
			"keys": members
				.iter()
				.map(|m| {
					let keys = SessionKeys { aura: m.aura.clone(), grandpa: m.grandpa.clone() };
					(m.account.clone(), m.account.clone(), keys)
				})
				.collect::<Vec<_>>(),
		},
		"consortium": {
			"validators": accounts,
			"approval": pallet_consortium::Approval::TWO_THIRDS,
			"nodes": members
				.iter()
				.filter_map(|m| Some((m.node.clone()?, m.account.clone())))
				.collect::<Vec<_>>(),
		},
		"councilMembership": { "members": accounts },
		"sudo": { "key": Some(root) },
		// Written out so a chain-spec shows, and its editor can change, the starting policy.
		"mempoolPolicy": { "policy": configs::DefaultMempoolPolicy::get() },
	})
}

/// The well-known dev validators in order: Aura key (sr25519) and GRANDPA key (ed25519).
const DEV_VALIDATORS: [(Sr25519Keyring, Ed25519Keyring); 4] = [
	(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
	(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
	(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
	(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
];

/// A preset with the first `validators` dev validators, each also a council member, the dev
/// accounts funded, Alice as sudo, and an open network.
fn dev_preset(validators: usize) -> Value {
	let members: Vec<Member> = DEV_VALIDATORS[..validators]
		.iter()
		.map(|(aura, grandpa)| Member {
			account: aura.to_account_id(),
			aura: aura.public().into(),
			grandpa: grandpa.public().into(),
			node: None,
		})
		.collect();
	let endowed: Vec<AccountId> = Sr25519Keyring::well_known()
		.map(|k| k.to_account_id())
		.collect();
	genesis(&members, &endowed, Sr25519Keyring::Alice.to_account_id())
}

/// The genesis patch of a named preset, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => dev_preset(1),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => dev_preset(2),
		CONSORTIUM_RUNTIME_PRESET => dev_preset(4),
		_ => return None,
	};
	Some(serde_json::to_vec(&patch).expect("a JSON value always serializes; qed"))
}

/// Names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(CONSORTIUM_RUNTIME_PRESET),
	]
}
