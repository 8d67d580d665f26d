//! The runtime on its own, without a node: genesis presets, a transfer through `Executive`,
//! and the metadata clients read.

use consortia_runtime::{
	configs::CouncilCollective,
	genesis_config_presets::ENDOWMENT,
	pallet_collective, pallet_consortium, pallet_session, AccountId,
	pallet_health::{self, Heartbeat},
	pallet_mempool_policy::{self, Refusal, Strategy, OPERATIONAL_PRIORITY, TIMELINE_PRIORITY},
	pallet_wallet::{self, Scheme},
	Balance, Balances, Executive, Hash, Header, Health, MempoolPolicy, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, Signature, System, UncheckedExtrinsic, Wallet, UNIT, WASM_BINARY,
};
use consortia_primitives::sm2;
use consortia_tests::tx::{self, TxSigner};
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use polkadot_sdk::{
	pallet_aura, pallet_balances, pallet_grandpa, pallet_sudo, pallet_transaction_payment,
	sc_chain_spec::GenesisConfigBuilderRuntimeCaller,
	sp_genesis_builder::PresetId,
	sp_core::{ecdsa, ed25519, Pair},
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		generic::Preamble,
		traits::Header as _,
		transaction_validity::{
			InvalidTransaction, TransactionPriority, TransactionSource, TransactionValidityError,
		},
		Digest, DispatchError,
	},
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
			// The session names the same validators, chosen by the consortium pallet, and each
			// is a council member.
			let session = pallet_session::Validators::<Runtime>::get();
			assert_eq!(session.len(), validators, "{name}: session");
			assert_eq!(pallet_consortium::Validators::<Runtime>::get().into_inner(), session);
			let mut council = session.clone();
			council.sort();
			assert_eq!(
				pallet_collective::Members::<Runtime, CouncilCollective>::get(),
				council,
				"{name}: council (kept sorted)"
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
			"Contracts",
			"MempoolPolicy",
			"Health",
			"Consortium",
			"Session",
			"Council",
			"CouncilMembership",
			"Wallet"
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

/// Validates `xt` as the pool does, through the runtime's `validate_transaction`.
fn validate(xt: UncheckedExtrinsic, genesis: Hash) -> Result<TransactionPriority, TransactionValidityError> {
	Executive::validate_transaction(TransactionSource::External, xt, genesis)
		.map(|valid| valid.priority)
}

/// A transfer of 1 CNS to Alice from `who` with `tip`, padded with a remark of `padding` bytes.
fn transfer_from(who: Sr25519Keyring, tip: Balance, padding: usize, genesis: Hash) -> UncheckedExtrinsic {
	let transfer = tx::transfer(&Sr25519Keyring::Alice.to_account_id(), UNIT);
	let call = if padding == 0 {
		transfer
	} else {
		let remark = RuntimeCall::System(polkadot_sdk::frame_system::Call::remark {
			remark: vec![0; padding],
		});
		RuntimeCall::Utility(polkadot_sdk::pallet_utility::Call::batch_all {
			calls: vec![transfer, remark],
		})
	};
	let nonce = System::account_nonce(who.to_account_id());
	tx::sign_with(call, &who.pair(), &tx::Terms::immortal(nonce, genesis).tip(tip), genesis)
}

fn switch_to(strategy: Strategy) {
	let mut policy = pallet_mempool_policy::ActivePolicy::<Runtime>::get();
	policy.strategy = strategy;
	MempoolPolicy::set_policy(RuntimeOrigin::root(), policy).expect("root sets the policy");
}

#[test]
fn the_mempool_policy_alone_sets_priority_in_validate_transaction() {
	in_first_block(|genesis| {
		let bob = Sr25519Keyring::Bob;
		// Timeline, the genesis default: a tip buys nothing, unlike the fee check's own rule.
		assert_eq!(validate(transfer_from(bob, 0, 0, genesis), genesis), Ok(TIMELINE_PRIORITY));
		assert_eq!(validate(transfer_from(bob, UNIT, 0, genesis), genesis), Ok(TIMELINE_PRIORITY));

		// Price: fee per byte. A tip raises it; the same fee over more bytes lowers it.
		switch_to(Strategy::Price);
		let plain = validate(transfer_from(bob, 0, 0, genesis), genesis).unwrap();
		let tipped = validate(transfer_from(bob, 1_000_000_000, 0, genesis), genesis).unwrap();
		let padded = validate(transfer_from(bob, 0, 2_000, genesis), genesis).unwrap();
		assert!(tipped > plain && plain > padded, "{tipped} > {plain} > {padded}");

		// Score: a mortal transaction, which shows its entry block, outranks an immortal one of
		// the same fee.
		switch_to(Strategy::Score);
		let nonce = System::account_nonce(bob.to_account_id());
		let mortal_terms = tx::Terms::immortal(nonce, genesis).mortal(64, 0, genesis);
		let call = tx::transfer(&Sr25519Keyring::Alice.to_account_id(), UNIT);
		let mortal = validate(tx::sign_with(call, &bob.pair(), &mortal_terms, genesis), genesis);
		let immortal = validate(transfer_from(bob, 0, 0, genesis), genesis);
		assert!(mortal.unwrap() > immortal.unwrap());

		// Root's operational calls go first under any strategy.
		let set_policy = RuntimeCall::Sudo(polkadot_sdk::pallet_sudo::Call::sudo {
			call: Box::new(RuntimeCall::MempoolPolicy(pallet_mempool_policy::Call::set_policy {
				policy: pallet_mempool_policy::ActivePolicy::<Runtime>::get(),
			})),
		});
		let alice = Sr25519Keyring::Alice;
		let nonce = System::account_nonce(alice.to_account_id());
		let sudo = tx::sign(set_policy, &alice.pair(), nonce, genesis);
		assert_eq!(validate(sudo, genesis), Ok(OPERATIONAL_PRIORITY));
	});
}

#[test]
fn each_admission_rule_refuses_in_validate_transaction() {
	in_first_block(|genesis| {
		let refused = |refusal: Refusal| {
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(refusal.code())))
		};
		let policy = pallet_mempool_policy::ActivePolicy::<Runtime>::get();
		let bob = Sr25519Keyring::Bob;

		let too_large = transfer_from(bob, 0, policy.max_tx_size as usize, genesis);
		assert_eq!(validate(too_large, genesis), refused(Refusal::TooLarge));

		let fat_finger = transfer_from(bob, policy.max_fee, 0, genesis);
		assert_eq!(validate(fat_finger, genesis), refused(Refusal::FeeAboveCeiling));

		let mut raised = policy.clone();
		raised.min_fee_per_kb = UNIT;
		raised.max_fee = 1_000 * UNIT;
		MempoolPolicy::set_policy(RuntimeOrigin::root(), raised).unwrap();
		assert_eq!(validate(transfer_from(bob, 0, 0, genesis), genesis), refused(Refusal::FeeBelowFloor));
		assert!(validate(transfer_from(bob, UNIT, 0, genesis), genesis).is_ok());
		MempoolPolicy::set_policy(RuntimeOrigin::root(), policy.clone()).unwrap();

		MempoolPolicy::add_to_blacklist(RuntimeOrigin::root(), bob.to_account_id()).unwrap();
		assert_eq!(validate(transfer_from(bob, 0, 0, genesis), genesis), refused(Refusal::SenderBlacklisted));
		assert!(validate(transfer_from(Sr25519Keyring::Charlie, 0, 0, genesis), genesis).is_ok());
		MempoolPolicy::remove_from_blacklist(RuntimeOrigin::root(), bob.to_account_id()).unwrap();

		// The 101st waiting transaction: nonce 100 ahead of the account's.
		let cap = policy.max_pending_per_account;
		let call = || tx::transfer(&Sr25519Keyring::Alice.to_account_id(), UNIT);
		let last_allowed = tx::sign(call(), &bob.pair(), cap - 1, genesis);
		assert!(validate(last_allowed, genesis).is_ok());
		let one_too_many = tx::sign(call(), &bob.pair(), cap, genesis);
		assert_eq!(validate(one_too_many, genesis), refused(Refusal::TooManyPending));
	});
}

#[test]
fn clients_see_the_standard_transaction_extensions_and_the_wallet_check() {
	let RuntimeMetadataPrefixed(_, RuntimeMetadata::V14(metadata)) = Runtime::metadata() else {
		panic!("V14 metadata");
	};
	let names: Vec<&str> =
		metadata.extrinsic.signed_extensions.iter().map(|ext| ext.identifier.as_str()).collect();
	assert_eq!(
		names,
		[
			"CheckNonZeroSender",
			// Adds nothing to what is signed: clients that do not know it sign as usual.
			"CheckWalletPolicy",
			"CheckSpecVersion",
			"CheckTxVersion",
			"CheckGenesis",
			"CheckMortality",
			"CheckNonce",
			"CheckWeight",
			"ChargeTransactionPayment",
			"WeightReclaim"
		]
	);
}

/// A bare heartbeat for window 0 in `authority`'s name, signed by `signer`'s Aura key.
fn heartbeat(signer: Sr25519Keyring, authority: Sr25519Keyring) -> UncheckedExtrinsic {
	let payload = Heartbeat { window: 0, authority: authority.public().into() };
	let signature = signer.sign(&Health::signed_message(&payload)).into();
	UncheckedExtrinsic::new_bare(RuntimeCall::Health(pallet_health::Call::heartbeat {
		heartbeat: payload,
		signature,
	}))
}

#[test]
fn a_heartbeat_signed_with_the_aura_key_is_valid_and_free_and_no_other_is() {
	in_first_block(|genesis| {
		let alice = Sr25519Keyring::Alice;
		// `validate_transaction` validates for the next block and, outside a node, leaves the
		// state there: go back to block 1 each time, so every check is in window 0.
		let check = |xt| {
			System::set_block_number(1);
			Executive::validate_transaction(TransactionSource::External, xt, genesis)
		};
		let valid = check(heartbeat(alice, alice))
			.expect("Alice, the dev chain's authority, may send her heartbeat");
		assert_eq!(valid.priority, TransactionPriority::MAX, "ahead of every transfer");
		let refused = |code| Err(TransactionValidityError::Invalid(code));
		assert_eq!(
			check(heartbeat(Sr25519Keyring::Dave, Sr25519Keyring::Dave)).map(|v| v.priority),
			refused(InvalidTransaction::Custom(pallet_health::Refusal::NotAnAuthority as u8))
		);
		assert_eq!(
			check(heartbeat(Sr25519Keyring::Bob, alice)).map(|v| v.priority),
			refused(InvalidTransaction::BadProof),
			"Bob cannot beat for Alice"
		);

		// It executes in a block and costs Alice nothing.
		System::set_block_number(1);
		let before = Balances::free_balance(alice.to_account_id());
		Executive::apply_extrinsic(heartbeat(alice, alice))
			.expect("applies")
			.expect("dispatches");
		assert_eq!(Balances::free_balance(alice.to_account_id()), before);
		let record = pallet_health::Liveness::<Runtime>::get(
			polkadot_sdk::sp_consensus_aura::sr25519::AuthorityId::from(alice.public()),
		);
		assert_eq!(record.last_heartbeat, Some(1));
		assert_eq!(
			check(heartbeat(alice, alice)).map(|v| v.priority),
			refused(InvalidTransaction::Custom(pallet_health::Refusal::AlreadyReported as u8)),
			"once per window"
		);
	});
}

/// Governance on a consortium: a council motion counts only with the approval threshold's ayes
/// (two thirds: 3 of 4), and root (sudo) always counts.
#[test]
fn a_council_motion_governs_only_with_the_threshold_of_ayes() {
	use polkadot_sdk::frame_support::traits::UnfilteredDispatchable;
	state_from_preset("consortium").execute_with(|| {
		let set_policy = |origin: RuntimeOrigin| {
			let call = pallet_mempool_policy::Call::<Runtime>::set_policy {
				policy: consortia_runtime::configs::DefaultMempoolPolicy::get(),
			};
			call.dispatch_bypass_filter(origin).map(|_| ()).map_err(|e| e.error)
		};
		let motion = |ayes, members| {
			RuntimeOrigin::from(pallet_collective::RawOrigin::<AccountId, CouncilCollective>::Members(ayes, members))
		};
		assert_eq!(set_policy(motion(2, 4)), Err(DispatchError::BadOrigin));
		assert_eq!(set_policy(motion(3, 4)), Ok(()));
		assert_eq!(set_policy(RuntimeOrigin::root()), Ok(()));
		assert_eq!(
			set_policy(RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id())),
			Err(DispatchError::BadOrigin)
		);
	});
}

/// Funds `signer`'s account and has it send 1 CNS to Bob: whether the runtime applies it.
fn transfer_signed_by(signer: &impl TxSigner, genesis: Hash) -> Result<(), TransactionValidityError> {
	let who = signer.account();
	if Balances::free_balance(&who) == 0 {
		Balances::force_set_balance(RuntimeOrigin::root(), who.clone().into(), 10 * UNIT)
			.expect("root funds the account");
	}
	let nonce = System::account_nonce(&who);
	let call = tx::transfer(&Sr25519Keyring::Bob.to_account_id(), UNIT);
	Executive::apply_extrinsic(tx::sign(call, signer, nonce, genesis))
		.map(|dispatched| dispatched.expect("the transfer succeeds"))
}

fn refused_by_wallet(refusal: pallet_wallet::Refusal) -> Result<(), TransactionValidityError> {
	Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(refusal.code())))
}

#[test]
fn transfers_signed_with_each_scheme_execute_and_a_tampered_sm2_signature_fails() {
	in_first_block(|genesis| {
		let sm2_pair = sm2::Pair::from_string("//Alice", None).unwrap();
		assert_eq!(transfer_signed_by(&sm2_pair, genesis), Ok(()));
		assert_eq!(transfer_signed_by(&ed25519::Pair::from_string("//Alice", None).unwrap(), genesis), Ok(()));
		assert_eq!(transfer_signed_by(&ecdsa::Pair::from_string("//Alice", None).unwrap(), genesis), Ok(()));
		assert_eq!(System::account_nonce(sm2::account_id(&sm2_pair.public())), 1);

		let call = tx::transfer(&Sr25519Keyring::Bob.to_account_id(), UNIT);
		let mut xt = tx::sign(call, &sm2_pair, 1, genesis);
		let Preamble::Signed(_, Signature::Sm2(signature), _) = &mut xt.preamble else {
			panic!("an SM2 signature")
		};
		signature.signature.0[0] ^= 1;
		assert_eq!(
			Executive::apply_extrinsic(xt),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);
	});
}

/// The node's check ahead of block import: every signature is checked as execution will check
/// it, and only those that hold are counted (the node then finds them in its cache). A mortal
/// transaction born at the parent counts: its payload names the parent's hash, which only the
/// block's initialisation records.
#[test]
fn signatures_are_checked_ahead_of_execution_as_execution_checks_them() {
	use consortia_primitives::verified::runtime_decl_for_signature_check_api::SignatureCheckApiV1;
	use polkadot_sdk::frame_support::storage::{with_transaction, TransactionOutcome};
	state_from_preset("development").execute_with(|| {
		let genesis = System::block_hash(0);
		let block = |number, parent| {
			Header::new(number, Default::default(), Default::default(), parent, Digest::default())
		};
		// In block #1, whose hash the chain records only when #2 is initialised.
		Executive::initialize_block(&block(1, genesis));
		let parent = Hash::repeat_byte(1);
		let next = block(2, parent);

		let call = || tx::transfer(&Sr25519Keyring::Bob.to_account_id(), UNIT);
		let born_at_parent = tx::Terms::immortal(0, genesis).mortal(64, 1, parent);
		let sm2_pair = sm2::Pair::from_string("//Alice", None).unwrap();
		let ed_pair = ed25519::Pair::from_string("//Alice", None).unwrap();
		let mortal = tx::sign_with(call(), &Sr25519Keyring::Alice.pair(), &born_at_parent, genesis);
		let valid = vec![
			mortal.clone(),
			tx::sign(call(), &ed_pair, 0, genesis),
			tx::sign(call(), &sm2_pair, 0, genesis),
		];
		let mut tampered = tx::sign(call(), &Sr25519Keyring::Charlie.pair(), 0, genesis);
		let Preamble::Signed(_, Signature::Sr25519(signature), _) = &mut tampered.preamble else {
			panic!("an sr25519 signature")
		};
		signature.0[0] ^= 1;
		// Signed for another chain: the payload execution builds differs.
		let elsewhere = tx::sign(call(), &Sr25519Keyring::Dave.pair(), 0, Hash::repeat_byte(7));
		let mut all = valid.clone();
		all.extend([tampered, elsewhere]);

		// As the node calls it: at the parent's state, with nothing kept.
		let held = |xts| {
			with_transaction(|| {
				let held = <Runtime as SignatureCheckApiV1<consortia_runtime::Block>>::check_signatures(
					next.clone(),
					xts,
				);
				TransactionOutcome::Rollback(Ok::<_, DispatchError>(held))
			})
			.unwrap()
		};
		assert_eq!(held(valid), 3);
		assert_eq!(held(all), 3);
		// Execution agrees: the mortal transfer applies in the block.
		Executive::initialize_block(&next);
		assert_eq!(Executive::apply_extrinsic(mortal), Ok(Ok(())));
	});
}

/// The pool's batched validation answers each transaction exactly as validating it alone does:
/// each starts from the block's state (validation initialises the next block, which moves the
/// block number a mortal transaction's longevity is counted from), and nothing is kept.
#[test]
fn a_batch_validates_each_transaction_as_it_would_alone() {
	use consortia_primitives::batch::runtime_decl_for_batch_validation_api::BatchValidationApiV1;
	use polkadot_sdk::{
		frame_support::storage::{with_transaction, TransactionOutcome},
		sp_transaction_pool::runtime_api::runtime_decl_for_tagged_transaction_queue as queue,
	};
	use queue::TaggedTransactionQueueV3 as Queue;
	type Block = consortia_runtime::Block;
	state_from_preset("development").execute_with(|| {
		let genesis = System::block_hash(0);
		let call = || tx::transfer(&Sr25519Keyring::Bob.to_account_id(), UNIT);
		let alice = Sr25519Keyring::Alice.pair();
		let mortal = |nonce| tx::Terms::immortal(nonce, genesis).mortal(16, 0, genesis);
		let mut tampered = tx::sign(call(), &Sr25519Keyring::Charlie.pair(), 0, genesis);
		let Preamble::Signed(_, Signature::Sr25519(signature), _) = &mut tampered.preamble else {
			panic!("an sr25519 signature")
		};
		signature.0[0] ^= 1;
		let xts = vec![
			tx::sign_with(call(), &alice, &mortal(0), genesis),
			// The same sender's next nonce: valid, waiting on the first.
			tx::sign_with(call(), &alice, &mortal(1), genesis),
			// Accounts the preset does not fund: they cannot pay.
			tx::sign(call(), &ed25519::Pair::from_string("//Alice", None).unwrap(), 0, genesis),
			tx::sign(call(), &sm2::Pair::from_string("//Alice", None).unwrap(), 0, genesis),
			tampered,
			// Signed for another chain.
			tx::sign(call(), &Sr25519Keyring::Dave.pair(), 0, Hash::repeat_byte(7)),
			// Sent again: validation does not see the first as spent.
			tx::sign_with(call(), &alice, &mortal(0), genesis),
		];
		let source = TransactionSource::External;
		let rolled_back = |f: &dyn Fn() -> Vec<_>| {
			with_transaction(|| TransactionOutcome::Rollback(Ok::<_, DispatchError>(f()))).unwrap()
		};
		let alone = rolled_back(&|| {
			xts.iter()
				.map(|xt| {
					rolled_back(&|| {
						vec![<Runtime as Queue<Block>>::validate_transaction(source, xt.clone(), genesis)]
					})
					.remove(0)
				})
				.collect()
		});
		assert_eq!(alone.iter().filter(|validity| validity.is_ok()).count(), 3, "{alone:?}");
		assert!(alone[0].as_ref().is_ok_and(|valid| valid.longevity < 16), "mortal: {alone:?}");

		let number = System::block_number();
		let batched = <Runtime as BatchValidationApiV1<Block>>::validate_transactions(
			xts.iter().map(|xt| (source, xt.clone())).collect(),
			genesis,
		);
		assert_eq!(batched, alone);
		assert_eq!(System::block_number(), number, "nothing a validation wrote is kept");
	});
}

#[test]
fn the_scheme_policy_and_freezing_refuse_transactions_with_their_own_codes() {
	in_first_block(|genesis| {
		let alice = Sr25519Keyring::Alice.pair();
		let sm2_pair = sm2::Pair::from_string("//Alice", None).unwrap();
		let sm2_only = pallet_wallet::SchemeSet::truncate_from(vec![Scheme::Sm2]);
		Wallet::set_allowed_schemes(RuntimeOrigin::root(), sm2_only).expect("root sets the policy");
		assert_eq!(
			transfer_signed_by(&alice, genesis),
			refused_by_wallet(pallet_wallet::Refusal::SchemeDisabled)
		);
		assert_eq!(transfer_signed_by(&sm2_pair, genesis), Ok(()));

		Wallet::set_allowed_schemes(RuntimeOrigin::root(), pallet_wallet::all_schemes()).unwrap();
		assert_eq!(transfer_signed_by(&alice, genesis), Ok(()));

		Wallet::freeze(RuntimeOrigin::root(), sm2::account_id(&sm2_pair.public()).into()).unwrap();
		assert_eq!(
			transfer_signed_by(&sm2_pair, genesis),
			refused_by_wallet(pallet_wallet::Refusal::AccountFrozen)
		);
		assert_eq!(transfer_signed_by(&alice, genesis), Ok(()), "others are unaffected");
	});
}

#[test]
fn the_signature_type_is_our_own_with_sm2_at_variant_3() {
	use scale_info::{TypeDef, TypeInfo};
	let info = Signature::type_info();
	assert_eq!(info.path.segments, ["consortia_primitives", "signature", "Signature"]);
	let TypeDef::Variant(variants) = info.type_def else { panic!("an enum") };
	let names: Vec<(&str, u8)> =
		variants.variants.iter().map(|v| (v.name, v.index)).collect();
	assert_eq!(names, [("Ed25519", 0), ("Sr25519", 1), ("Ecdsa", 2), ("Sm2", 3)]);
}

#[test]
fn the_pallets_refusal_codes_never_overlap() {
	let mut codes: Vec<(u8, &str)> = Refusal::ALL.iter().map(|r| (r.code(), r.name())).collect();
	codes.extend(pallet_wallet::Refusal::ALL.iter().map(|r| (r.code(), r.name())));
	for code in 0..=u8::MAX {
		if let Some(refusal) = pallet_health::Refusal::from_code(code) {
			codes.push((code, refusal.name()));
		}
	}
	let mut seen = std::collections::BTreeMap::new();
	for (code, name) in codes {
		if let Some(previous) = seen.insert(code, name) {
			panic!("code {code} names both {previous} and {name}");
		}
	}
	assert_eq!(seen.len(), 9, "five mempool, two health and two wallet refusals");
}
