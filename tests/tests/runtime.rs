//! The runtime on its own, without a node: genesis presets, a transfer through `Executive`,
//! and the metadata clients read.

use consortia_runtime::{
	genesis_config_presets::ENDOWMENT, Balances, Executive, Hash, Header, Runtime, RuntimeEvent,
	System, UNIT, WASM_BINARY,
};
use consortia_tests::tx;
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use polkadot_sdk::{
	pallet_aura, pallet_balances, pallet_grandpa, pallet_sudo, pallet_transaction_payment,
	sc_chain_spec::GenesisConfigBuilderRuntimeCaller,
	sp_genesis_builder::PresetId,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{traits::Header as _, Digest},
};

/// Calls the Wasm runtime's genesis-builder API, as the node does when it builds a chain spec.
fn genesis_builder() -> GenesisConfigBuilderRuntimeCaller<'static> {
	GenesisConfigBuilderRuntimeCaller::new(WASM_BINARY.expect("built with the Wasm runtime"))
}

/// A fresh state built from a genesis preset by the Wasm runtime.
fn state_from_preset(name: &str) -> TestExternalities {
	let storage = genesis_builder()
		.get_storage_for_named_preset(Some(&name.to_string()))
		.unwrap_or_else(|e| panic!("preset {name} builds: {e}"));
	TestExternalities::new(storage)
}

#[test]
fn every_genesis_preset_builds() {
	let expected = [("development", 1), ("local_testnet", 2), ("consortium", 4)];
	let mut names = genesis_builder()
		.preset_names()
		.expect("the runtime lists its presets");
	names.sort();
	let mut expected_names = expected.map(|(name, _)| PresetId::from(name)).to_vec();
	expected_names.sort();
	assert_eq!(names, expected_names);

	for (name, validators) in expected {
		state_from_preset(name).execute_with(|| {
			assert_eq!(
				pallet_aura::Authorities::<Runtime>::get().len(),
				validators,
				"{name}: Aura"
			);
			assert_eq!(
				pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(),
				validators,
				"{name}: GRANDPA"
			);
			let alice = Sr25519Keyring::Alice.to_account_id();
			assert_eq!(
				pallet_sudo::Key::<Runtime>::get(),
				Some(alice.clone()),
				"{name}: sudo"
			);
			assert_eq!(
				Balances::free_balance(&alice),
				ENDOWMENT,
				"{name}: endowment"
			);
		});
	}
	assert!(genesis_builder()
		.get_named_preset(Some(&"no-such-preset".to_string()))
		.is_err());
}

/// Runs `test` in block #1 of a fresh development chain; it gets the genesis hash.
fn in_first_block(test: impl FnOnce(Hash)) {
	state_from_preset("development").execute_with(|| {
		let genesis = System::block_hash(0);
		let header = Header::new(
			1,
			Default::default(),
			Default::default(),
			genesis,
			Digest::default(),
		);
		Executive::initialize_block(&header);
		test(genesis)
	})
}

#[test]
fn a_signed_transfer_executes_through_the_runtime() {
	in_first_block(|genesis| {
		let alice = Sr25519Keyring::Alice;
		let bob = Sr25519Keyring::Bob.to_account_id();
		let alice_before = Balances::free_balance(alice.to_account_id());
		let bob_before = Balances::free_balance(&bob);
		let amount = 5 * UNIT;
		let xt = tx::sign(tx::transfer(&bob, amount), &alice.pair(), 0, genesis);
		Executive::apply_extrinsic(xt)
			.expect("the transaction is valid")
			.expect("the transfer succeeds");

		let fee = System::events()
			.into_iter()
			.find_map(|record| match record.event {
				RuntimeEvent::TransactionPayment(
					pallet_transaction_payment::Event::TransactionFeePaid { actual_fee, .. },
				) => Some(actual_fee),
				_ => None,
			})
			.expect("the fee is recorded");
		assert!(System::events().iter().any(|record| matches!(
			&record.event,
			RuntimeEvent::Balances(pallet_balances::Event::Transfer { to, amount: moved, .. })
				if *to == bob && *moved == amount
		)));
		assert!(fee > 0);
		assert_eq!(Balances::free_balance(&bob), bob_before + amount);
		assert_eq!(
			Balances::free_balance(alice.to_account_id()),
			alice_before - amount - fee
		);
		assert_eq!(System::account_nonce(alice.to_account_id()), 1);
	});
}

#[test]
fn a_transfer_with_a_wrong_nonce_is_refused_and_changes_nothing() {
	in_first_block(|genesis| {
		let alice = Sr25519Keyring::Alice;
		let bob = Sr25519Keyring::Bob.to_account_id();
		let before = Balances::free_balance(alice.to_account_id());

		let xt = tx::sign(tx::transfer(&bob, UNIT), &alice.pair(), 5, genesis);
		assert!(
			Executive::apply_extrinsic(xt).is_err(),
			"a future nonce cannot execute"
		);
		assert_eq!(Balances::free_balance(alice.to_account_id()), before);
	});
}

#[test]
fn the_metadata_lists_every_pallet_and_serves_v14_to_v16() {
	let RuntimeMetadataPrefixed(_, RuntimeMetadata::V14(metadata)) = Runtime::metadata() else {
		panic!("the default metadata is V14, which every client reads");
	};
	let pallets: Vec<&str> = metadata
		.pallets
		.iter()
		.map(|pallet| pallet.name.as_str())
		.collect();
	assert_eq!(
		pallets,
		[
			"System",
			"Timestamp",
			"Aura",
			"Grandpa",
			"Balances",
			"TransactionPayment",
			"Sudo",
			"Utility",
			"Contracts"
		]
	);

	// V15 and V16 carry the same pallet list from the same source; clients negotiate the
	// newest version both sides know, so each must be served.
	let versions = Runtime::metadata_versions();
	for version in [14, 15, 16] {
		assert!(
			versions.contains(&version),
			"metadata V{version} is served: {versions:?}"
		);
		assert!(
			Runtime::metadata_at_version(version).is_some(),
			"V{version} is served"
		);
	}
}
