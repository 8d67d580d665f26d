use crate::{mock::*, Approval, ApprovalThreshold, AuthorizedNodes, Error, Event, Rotation, SetRotation, Validators};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	pallet_session::{SessionManager, ShouldEndSession},
	sp_core::OpaquePeerId,
	sp_runtime::DispatchError,
};

fn chosen() -> Vec<u64> {
	Validators::<Test>::get().into_inner()
}

/// Runs pallet-session's side of a rotation: the set it would queue.
fn rotate(session: u32) -> Option<Vec<u64>> {
	Consortium::new_session(session)
}

#[test]
fn genesis_sets_validators_threshold_and_nodes() {
	new_test_ext().execute_with(|| {
		assert_eq!(chosen(), vec![1, 2, 3]);
		assert_eq!(ApprovalThreshold::<Test>::get(), Approval::TWO_THIRDS);
		assert_eq!(AuthorizedNodes::<Test>::count(), 2);
		assert_eq!(Consortium::new_session_genesis(0), Some(vec![1, 2, 3]));
		assert_eq!(SetRotation::<Test>::get(), Rotation::Idle);
	});
}

#[test]
fn only_governance_changes_anything() {
	new_test_ext().execute_with(|| {
		let member = RuntimeOrigin::signed(1);
		register_keys(4);
		assert_noop!(Consortium::add_validator(member.clone(), 4), DispatchError::BadOrigin);
		assert_noop!(Consortium::remove_validator(member.clone(), 3), DispatchError::BadOrigin);
		assert_noop!(Consortium::authorize_node(member.clone(), node(9), 1), DispatchError::BadOrigin);
		assert_noop!(Consortium::revoke_node(member.clone(), node(1)), DispatchError::BadOrigin);
		assert_noop!(
			Consortium::set_approval_threshold(member, Approval { numerator: 1, denominator: 2 }),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn an_added_validator_is_queued_at_the_next_rotation_and_active_at_the_one_after() {
	new_test_ext().execute_with(|| {
		register_keys(4);
		// Nothing to do: sessions end only at the period's end.
		assert!(!Consortium::should_end_session(5));
		assert!(Consortium::should_end_session(SESSION_PERIOD));

		assert_ok!(Consortium::add_validator(RuntimeOrigin::root(), 4));
		assert_eq!(chosen(), vec![1, 2, 3, 4]);
		assert_eq!(events(), vec![Event::ValidatorAdded { who: 4 }]);

		// The next block rotates and queues the new set ...
		assert!(Consortium::should_end_session(6));
		assert_eq!(rotate(2), Some(vec![1, 2, 3, 4]));
		assert_eq!(SetRotation::<Test>::get(), Rotation::Queued);
		assert!(events().contains(&Event::ValidatorSetQueued { session: 2, validators: vec![1, 2, 3, 4] }));
		// ... and the one after rotates again, making it active, with nothing new to queue.
		assert!(Consortium::should_end_session(7));
		assert_eq!(rotate(3), None);
		assert_eq!(SetRotation::<Test>::get(), Rotation::Idle);
		assert!(!Consortium::should_end_session(8));
	});
}

#[test]
fn a_change_while_one_is_queued_is_queued_at_the_next_rotation() {
	new_test_ext().execute_with(|| {
		register_keys(4);
		assert_ok!(Consortium::add_validator(RuntimeOrigin::root(), 4));
		assert_eq!(rotate(2), Some(vec![1, 2, 3, 4]));
		assert_ok!(Consortium::remove_validator(RuntimeOrigin::root(), 1));
		assert_eq!(rotate(3), Some(vec![2, 3, 4]));
		assert_eq!(rotate(4), None);
		assert_eq!(SetRotation::<Test>::get(), Rotation::Idle);
	});
}

#[test]
fn adding_needs_session_keys_and_a_newcomer_within_the_limit() {
	new_test_ext().execute_with(|| {
		assert_noop!(Consortium::add_validator(RuntimeOrigin::root(), 4), Error::<Test>::NoSessionKeys);
		assert_noop!(Consortium::add_validator(RuntimeOrigin::root(), 2), Error::<Test>::AlreadyValidator);
		for who in [4, 5] {
			register_keys(who);
			assert_ok!(Consortium::add_validator(RuntimeOrigin::root(), who));
		}
		register_keys(6);
		assert_noop!(Consortium::add_validator(RuntimeOrigin::root(), 6), Error::<Test>::TooManyValidators);
	});
}

#[test]
fn removing_keeps_the_minimum_and_refuses_strangers() {
	new_test_ext().execute_with(|| {
		assert_noop!(Consortium::remove_validator(RuntimeOrigin::root(), 9), Error::<Test>::NotValidator);
		assert_ok!(Consortium::remove_validator(RuntimeOrigin::root(), 2));
		assert_eq!(events(), vec![Event::ValidatorRemoved { who: 2 }]);
		assert_ok!(Consortium::remove_validator(RuntimeOrigin::root(), 1));
		assert_eq!(chosen(), vec![3]);
		assert_noop!(Consortium::remove_validator(RuntimeOrigin::root(), 3), Error::<Test>::TooFewValidators);
	});
}

#[test]
fn approval_counts_the_fewest_ayes_that_meet_the_share() {
	let two_thirds = Approval::TWO_THIRDS;
	assert_eq!([1, 2, 3, 4, 5, 6, 7].map(|n| two_thirds.required(n)), [1, 2, 2, 3, 4, 4, 5]);
	let all = Approval { numerator: 1, denominator: 1 };
	assert_eq!(all.required(4), 4);
	assert!(!Approval { numerator: 0, denominator: 3 }.is_valid());
	assert!(!Approval { numerator: 4, denominator: 3 }.is_valid());
	assert!(!Approval { numerator: 1, denominator: 0 }.is_valid());

	new_test_ext().execute_with(|| {
		assert!(!Consortium::approves(2, 4));
		assert!(Consortium::approves(3, 4));
		assert!(!Consortium::approves(0, 0));

		assert_ok!(Consortium::set_approval_threshold(RuntimeOrigin::root(), all));
		assert_eq!(events(), vec![Event::ApprovalThresholdSet { approval: all }]);
		assert!(!Consortium::approves(3, 4));
		assert!(Consortium::approves(4, 4));
		assert_noop!(
			Consortium::set_approval_threshold(RuntimeOrigin::root(), Approval { numerator: 0, denominator: 1 }),
			Error::<Test>::InvalidApproval
		);
	});
}

#[test]
fn nodes_are_authorised_and_revoked_once_within_the_limit() {
	new_test_ext().execute_with(|| {
		assert_noop!(Consortium::authorize_node(RuntimeOrigin::root(), node(1), 5), Error::<Test>::NodeAlreadyAuthorized);
		for bad in [vec![], vec![3; 38], vec![0; 40]] {
			assert_noop!(
				Consortium::authorize_node(RuntimeOrigin::root(), crate::NodeId::truncate_from(bad), 5),
				Error::<Test>::InvalidNodeId
			);
		}
		assert_ok!(Consortium::authorize_node(RuntimeOrigin::root(), node(3), 5));
		assert_eq!(events(), vec![Event::NodeAuthorized { node: node(3), owner: 5 }]);
		assert_noop!(Consortium::authorize_node(RuntimeOrigin::root(), node(4), 5), Error::<Test>::TooManyNodes);

		assert_ok!(Consortium::revoke_node(RuntimeOrigin::root(), node(3)));
		assert_eq!(AuthorizedNodes::<Test>::get(node(3)), None);
		assert_noop!(Consortium::revoke_node(RuntimeOrigin::root(), node(3)), Error::<Test>::NodeNotAuthorized);
	});
}

#[test]
fn a_node_syncs_with_the_other_authorised_nodes_only() {
	new_test_ext().execute_with(|| {
		let peer = |byte| OpaquePeerId(node(byte).into_inner());
		assert_eq!(Consortium::peers_of(&node(1)), vec![peer(2)]);
		assert_eq!(Consortium::peers_of(&node(2)), vec![peer(1)]);
		// An unlisted node is refused by them, but keeps them as peers for when it is listed.
		let mut all = Consortium::peers_of(&node(7));
		all.sort();
		assert_eq!(all, vec![peer(1), peer(2)]);
	});
}
