//! The policy's rules, through its calls and its transaction extension on a mock runtime.

use crate::{mock::*, *};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::{DispatchClass, DispatchInfo},
	},
	frame_system::{self, CheckMortality, CheckNonce, CheckWeight},
	pallet_transaction_payment::{self, ChargeTransactionPayment},
	sp_runtime::{
		generic::Era,
		traits::{DispatchTransaction, TransactionExtension},
		transaction_validity::{
			InvalidTransaction, TransactionPriority, TransactionSource, TransactionValidityError,
		},
		BuildStorage, DispatchError, Weight,
	},
	sp_core::H256,
};

type Nonce = <Test as frame_system::Config>::Nonce;

/// A signed remark of `len` encoded bytes, as the policy sees it.
struct Tx {
	who: u64,
	nonce: Nonce,
	tip: u64,
	era: Era,
	len: usize,
	class: DispatchClass,
}

impl Tx {
	fn from(who: u64) -> Self {
		let nonce = frame_system::Pallet::<Test>::account_nonce(who);
		Self { who, nonce, tip: 0, era: Era::Immortal, len: 150, class: DispatchClass::Normal }
	}
	fn nonce(self, nonce: Nonce) -> Self {
		Self { nonce, ..self }
	}
	fn tip(self, tip: u64) -> Self {
		Self { tip, ..self }
	}
	fn len(self, len: usize) -> Self {
		Self { len, ..self }
	}
	fn era(self, era: Era) -> Self {
		Self { era, ..self }
	}
	fn operational(self) -> Self {
		Self { class: DispatchClass::Operational, ..self }
	}

	fn info(&self) -> DispatchInfo {
		DispatchInfo {
			call_weight: Weight::from_parts(1_000, 0),
			class: self.class,
			..Default::default()
		}
	}

	/// The fee it pays, tip included.
	fn fee(&self) -> u64 {
		pallet_transaction_payment::Pallet::<Test>::compute_fee(
			self.len as u32,
			&self.info(),
			self.tip,
		)
	}

	/// Validates it as the pool does; the priority on success.
	fn validate(&self) -> Result<TransactionPriority, TransactionValidityError> {
		let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		CheckMempoolPolicy::<Test>::new(self.era, self.nonce, self.tip)
			.validate_only(
				RuntimeOrigin::signed(self.who),
				&call,
				&self.info(),
				self.len,
				TransactionSource::External,
				0,
			)
			.map(|(valid, _, _)| valid.priority)
	}
}

fn refused(refusal: Refusal) -> Result<TransactionPriority, TransactionValidityError> {
	Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(refusal.code())))
}

/// Moves to block `now`, with the block hashes mortal transactions sign for.
fn go_to_block(now: u64) {
	for n in 0..now {
		frame_system::BlockHash::<Test>::insert(n, H256::repeat_byte(n as u8));
	}
	System::set_block_number(now);
}

fn set_strategy(strategy: Strategy) {
	let mut policy = ActivePolicy::<Test>::get();
	policy.strategy = strategy;
	assert_ok!(MempoolPolicy::set_policy(RuntimeOrigin::root(), policy));
}

#[test]
fn the_default_policy_is_in_force_until_one_is_set() {
	new_test_ext().execute_with(|| {
		assert_eq!(ActivePolicy::<Test>::get(), TestPolicy::get());
	});
}

#[test]
fn root_sets_the_policy_with_an_event() {
	new_test_ext().execute_with(|| {
		let mut policy = TestPolicy::get();
		policy.strategy = Strategy::Score;
		policy.score.time_param = 7;
		assert_ok!(MempoolPolicy::set_policy(RuntimeOrigin::root(), policy.clone()));
		assert_eq!(ActivePolicy::<Test>::get(), policy);
		System::assert_last_event(Event::PolicyChanged { policy }.into());
	});
}

#[test]
fn only_the_policy_origin_sets_the_policy() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			MempoolPolicy::set_policy(RuntimeOrigin::signed(1), TestPolicy::get()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			MempoolPolicy::add_to_blacklist(RuntimeOrigin::signed(1), 2),
			DispatchError::BadOrigin
		);
		assert_noop!(
			MempoolPolicy::remove_from_blacklist(RuntimeOrigin::signed(1), 2),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn an_unworkable_policy_is_refused_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		let base = TestPolicy::get();
		let cases = [
			(Policy { max_pending_per_account: 0, ..base.clone() }, Error::<Test>::NoPendingAllowed),
			(Policy { max_tx_size: MIN_TX_SIZE - 1, ..base.clone() }, Error::<Test>::SizeCapTooSmall),
			(
				Policy { max_fee: base.fee_floor(base.max_tx_size) - 1, ..base.clone() },
				Error::<Test>::CeilingBelowFloor,
			),
		];
		for (policy, error) in cases {
			assert_noop!(MempoolPolicy::set_policy(RuntimeOrigin::root(), policy), error);
		}
		assert_eq!(ActivePolicy::<Test>::get(), base);
	});
}

#[test]
fn the_blacklist_adds_and_removes_with_events_and_errors() {
	new_test_ext().execute_with(|| {
		assert_ok!(MempoolPolicy::add_to_blacklist(RuntimeOrigin::root(), 2));
		System::assert_last_event(Event::SenderBlacklisted { who: 2 }.into());
		assert_noop!(
			MempoolPolicy::add_to_blacklist(RuntimeOrigin::root(), 2),
			Error::<Test>::AlreadyBlacklisted
		);
		assert_ok!(MempoolPolicy::remove_from_blacklist(RuntimeOrigin::root(), 2));
		System::assert_last_event(Event::SenderUnblacklisted { who: 2 }.into());
		assert_noop!(
			MempoolPolicy::remove_from_blacklist(RuntimeOrigin::root(), 2),
			Error::<Test>::NotBlacklisted
		);
	});
}

#[test]
fn genesis_sets_the_policy_and_the_blacklist() {
	let policy = Policy { strategy: Strategy::Price, ..TestPolicy::get() };
	let storage = RuntimeGenesisConfig {
		mempool_policy: GenesisConfig { policy: Some(policy.clone()), blacklist: vec![3] },
		..Default::default()
	}
	.build_storage()
	.unwrap();
	polkadot_sdk::sp_io::TestExternalities::new(storage).execute_with(|| {
		assert_eq!(ActivePolicy::<Test>::get(), policy);
		assert!(Blacklist::<Test>::contains_key(3));
	});
}

#[test]
#[should_panic(expected = "genesis mempool policy: NoPendingAllowed")]
fn genesis_refuses_an_unworkable_policy() {
	let policy = Policy { max_pending_per_account: 0, ..TestPolicy::get() };
	let _ = RuntimeGenesisConfig {
		mempool_policy: GenesisConfig { policy: Some(policy), blacklist: vec![] },
		..Default::default()
	}
	.build_storage();
}

#[test]
fn a_transaction_larger_than_the_cap_is_refused() {
	new_test_ext().execute_with(|| {
		assert!(Tx::from(2).len(MAX_TX_SIZE as usize).validate().is_ok());
		assert_eq!(Tx::from(2).len(MAX_TX_SIZE as usize + 1).validate(), refused(Refusal::TooLarge));
	});
}

#[test]
fn a_fee_below_the_floor_is_refused_and_a_tip_lifts_it() {
	new_test_ext().execute_with(|| {
		let fee = Tx::from(2).fee();
		// A floor one above this transaction's fee, for its single started kB.
		let policy = Policy { min_fee_per_kb: fee + 1, max_fee: u64::MAX, ..TestPolicy::get() };
		assert_ok!(MempoolPolicy::set_policy(RuntimeOrigin::root(), policy));
		assert_eq!(Tx::from(2).validate(), refused(Refusal::FeeBelowFloor));
		assert!(Tx::from(2).tip(1).validate().is_ok());
		// At 1,000 bytes a second kB starts and the floor doubles.
		assert!(Tx::from(2).len(999).validate().is_ok());
		assert_eq!(Tx::from(2).len(1_000).validate(), refused(Refusal::FeeBelowFloor));
	});
}

#[test]
fn a_fee_above_the_ceiling_is_refused() {
	new_test_ext().execute_with(|| {
		let fee = Tx::from(2).fee();
		assert!(Tx::from(2).tip(MAX_FEE - fee).validate().is_ok());
		assert_eq!(Tx::from(2).tip(MAX_FEE - fee + 1).validate(), refused(Refusal::FeeAboveCeiling));
	});
}

#[test]
fn operational_calls_skip_size_and_fee_limits_so_governance_can_repair_the_policy() {
	new_test_ext().execute_with(|| {
		let big = Tx::from(2).len(MAX_TX_SIZE as usize * 2).tip(MAX_FEE).operational();
		assert_eq!(big.validate(), Ok(OPERATIONAL_PRIORITY));
		let policy = Policy { min_fee_per_kb: MAX_FEE, max_fee: u64::MAX, ..TestPolicy::get() };
		assert_ok!(MempoolPolicy::set_policy(RuntimeOrigin::root(), policy));
		assert_eq!(Tx::from(2).operational().validate(), Ok(OPERATIONAL_PRIORITY));
		// The blacklist still applies.
		assert_ok!(MempoolPolicy::add_to_blacklist(RuntimeOrigin::root(), 2));
		assert_eq!(Tx::from(2).operational().validate(), refused(Refusal::SenderBlacklisted));
	});
}

#[test]
fn a_blacklisted_sender_is_refused_until_removed() {
	new_test_ext().execute_with(|| {
		assert_ok!(MempoolPolicy::add_to_blacklist(RuntimeOrigin::root(), 2));
		assert_eq!(Tx::from(2).validate(), refused(Refusal::SenderBlacklisted));
		assert!(Tx::from(3).validate().is_ok());
		assert_ok!(MempoolPolicy::remove_from_blacklist(RuntimeOrigin::root(), 2));
		assert!(Tx::from(2).validate().is_ok());
	});
}

#[test]
fn a_sender_may_have_at_most_the_cap_waiting() {
	new_test_ext().execute_with(|| {
		// Account 1's next nonce is 5: nonces 5, 6 and 7 may wait, 8 would be the fourth.
		for nonce in 5..5 + MAX_PENDING as Nonce {
			assert!(Tx::from(1).nonce(nonce).validate().is_ok(), "nonce {nonce}");
		}
		assert_eq!(Tx::from(1).nonce(8).validate(), refused(Refusal::TooManyPending));
		// Another sender is not affected; a stale nonce keeps the nonce check's own error.
		assert!(Tx::from(2).validate().is_ok());
		assert_eq!(
			Tx::from(1).nonce(4).validate(),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
	});
}

#[test]
fn refusals_are_checked_in_chain33_order() {
	new_test_ext().execute_with(|| {
		assert_ok!(MempoolPolicy::add_to_blacklist(RuntimeOrigin::root(), 1));
		// Too large, blacklisted and too many waiting at once: size is reported.
		let tx = Tx::from(1).nonce(9).len(MAX_TX_SIZE as usize + 1);
		assert_eq!(tx.validate(), refused(Refusal::TooLarge));
		assert_eq!(Tx::from(1).nonce(9).validate(), refused(Refusal::SenderBlacklisted));
	});
}

#[test]
fn timeline_ignores_fee_and_tip() {
	new_test_ext().execute_with(|| {
		assert_eq!(Tx::from(2).validate(), Ok(TIMELINE_PRIORITY));
		assert_eq!(Tx::from(2).tip(50_000).validate(), Ok(TIMELINE_PRIORITY));
		assert_eq!(Tx::from(2).len(900).validate(), Ok(TIMELINE_PRIORITY));
	});
}

#[test]
fn price_orders_by_fee_per_byte() {
	new_test_ext().execute_with(|| {
		set_strategy(Strategy::Price);
		let plain = Tx::from(2);
		let tipped = Tx::from(2).tip(10_000);
		let long = Tx::from(2).len(1_500);
		assert_eq!(plain.validate(), Ok(plain.fee() / 150));
		assert!(tipped.validate().unwrap() > plain.validate().unwrap());
		// The same fee spread over more bytes ranks lower.
		assert!(long.validate().unwrap() < plain.validate().unwrap());
	});
}

#[test]
fn score_weighs_fee_against_entry_block() {
	new_test_ext().execute_with(|| {
		set_strategy(Strategy::Score);
		go_to_block(100);
		let entered_at = |birth: u64| Era::mortal(64, birth);
		let early = Tx::from(2).era(entered_at(90)).validate().unwrap();
		let late = Tx::from(2).era(entered_at(99)).validate().unwrap();
		// Waiting raises a transaction: 9 blocks earlier is 9 points (time_param 1).
		assert_eq!(early - late, 9);
		// One more unit of fee per byte is worth price_constant (1544) points.
		let tipped = Tx::from(2).era(entered_at(99)).tip(150).validate().unwrap();
		assert_eq!(tipped - late, 1544);
		// An immortal transaction cannot show when it entered: it ranks as the newest.
		let immortal = Tx::from(2).validate().unwrap();
		assert!(immortal < late);
	});
}

#[test]
fn priority_stays_the_same_across_revalidation() {
	new_test_ext().execute_with(|| {
		set_strategy(Strategy::Score);
		go_to_block(100);
		let tx = Tx::from(2).era(Era::mortal(64, 99)).tip(7);
		let first = tx.validate();
		go_to_block(140);
		assert_eq!(tx.validate(), first);
	});
}

#[test]
fn the_policy_replaces_the_fee_checks_priority() {
	new_test_ext().execute_with(|| {
		set_strategy(Strategy::Price);
		let tx = Tx::from(2).tip(5_000);
		let (call, info) =
			(RuntimeCall::System(frame_system::Call::remark { remark: vec![] }), tx.info());
		let inner = CheckMempoolPolicy::<Test>::new(tx.era, tx.nonce, tx.tip).0;
		let (standard, _, _) = inner
			.validate_only(RuntimeOrigin::signed(2), &call, &info, tx.len, TransactionSource::External, 0)
			.unwrap();
		// The fee check alone would rank by tip; the policy's fee per byte is what stands.
		assert_ne!(standard.priority, tx.validate().unwrap());
		assert_eq!(tx.validate(), Ok(tx.fee() / 150));
	});
}

#[test]
fn clients_see_the_four_standard_checks() {
	new_test_ext().execute_with(|| {
		let ext = CheckMempoolPolicy::<Test>::new(Era::mortal(64, 10), 3, 9);
		let standard = (
			CheckMortality::<Test>::from(Era::mortal(64, 10)),
			CheckNonce::<Test>::from(3),
			CheckWeight::<Test>::new(),
			ChargeTransactionPayment::<Test>::from(9),
		);
		assert_eq!(ext.encode(), standard.encode());
		let names: Vec<_> = <CheckMempoolPolicy<Test> as TransactionExtension<RuntimeCall>>::metadata()
			.into_iter()
			.map(|m| m.identifier)
			.collect();
		assert_eq!(names, ["CheckMortality", "CheckNonce", "CheckWeight", "ChargeTransactionPayment"]);
	});
}

fn candidate(fee: u64, len: u32, entry: u64) -> Candidate<u64> {
	Candidate { len, fee, entry: Some(entry), operational: false }
}

#[test]
fn the_suggested_fee_is_the_floor_until_a_hundred_wait() {
	let policy = Policy { strategy: Strategy::Price, ..TestPolicy::get() };
	let best = vec![candidate(1_000_000, 100, 0); SUGGESTION_SAMPLE - 1];
	assert_eq!(policy.suggested_fee(1_500, 0, &best), 2 * FLOOR_PER_KB);
	let timeline = Policy { strategy: Strategy::Timeline, ..policy };
	assert_eq!(timeline.suggested_fee(100, 0, &vec![candidate(9_000, 100, 0); 200]), FLOOR_PER_KB);
}

#[test]
fn price_suggests_the_mean_rate_of_the_best_hundred() {
	let policy = Policy { strategy: Strategy::Price, ..TestPolicy::get() };
	// 100 transactions paying 5,000 for their one started kB; later ones are not read.
	let mut best = vec![candidate(5_000, 500, 0); SUGGESTION_SAMPLE];
	best.push(candidate(1, 500, 0));
	assert_eq!(policy.suggested_fee(1_500, 0, &best), 10_000);
}

#[test]
fn score_suggests_the_fee_that_matches_the_mean_score_now() {
	let policy = Policy { strategy: Strategy::Score, ..TestPolicy::get() };
	// Fee per byte 10, entered at block 0: score 15,440 each. Entering at block 1,544 costs
	// 1,544 points, one more unit of fee per byte.
	let best = vec![candidate(1_000, 100, 0); SUGGESTION_SAMPLE];
	assert_eq!(policy.suggested_fee(100, 0, &best), 1_000);
	assert_eq!(policy.suggested_fee(100, 1_544, &best), 1_100);
}

#[test]
fn refusal_codes_round_trip() {
	for refusal in Refusal::ALL {
		assert_eq!(Refusal::from_code(refusal.code()), Some(refusal));
	}
	assert_eq!(Refusal::from_code(0), None);
}
