//! The policy itself: its parameters and the pure rules that turn them into admission decisions,
//! priorities and a suggested fee. Nothing here touches storage, so the pallet, its transaction
//! extension and its runtime API share one definition of every rule.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::{
	traits::{AtLeast32BitUnsigned, UniqueSaturatedInto},
	transaction_validity::TransactionPriority,
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// How the pool orders ready transactions (Chain33's mempool plugins).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Strategy {
	/// First come, first served: fee and tip do not change the order.
	Timeline,
	/// Higher fee per encoded byte first; ties by arrival.
	Price,
	/// `price_constant × fee per byte × price_power − time_param × entry block`, higher first:
	/// a higher fee buys an earlier place, and waiting raises a transaction against newcomers.
	Score,
}

/// The weights of the score strategy (Chain33's `priceConstant`, `pricePower`, `timeParam`).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct ScoreParams {
	pub price_constant: u64,
	pub price_power: u64,
	/// Score lost per block of entry time; Chain33 counts seconds, a block here is
	/// `MILLI_SECS_PER_BLOCK`.
	pub time_param: u64,
}

impl Default for ScoreParams {
	/// Chain33's defaults.
	fn default() -> Self {
		Self { price_constant: 1544, price_power: 1, time_param: 1 }
	}
}

/// The whole policy: ordering and admission rules. Fees are in the chain's smallest unit.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Policy<Balance> {
	pub strategy: Strategy,
	/// Used while `strategy` is `Score`; kept otherwise, so switching back restores them.
	pub score: ScoreParams,
	/// Chain33's `minTxFeeRate`: the least fee (tip included) per started 1,000 bytes.
	pub min_fee_per_kb: Balance,
	/// Chain33's `maxTxFee`: the most fee (tip included) a transaction may offer, a guard
	/// against a mistyped tip.
	pub max_fee: Balance,
	/// Chain33's `maxTxSize`: the largest encoded transaction, in bytes.
	pub max_tx_size: u32,
	/// Chain33's `maxTxNumPerAccount`: how many transactions one sender may have waiting.
	pub max_pending_per_account: u32,
}

consortia_primitives::refusals! {
	/// Why the policy refuses a transaction. Each reaches the submitter as
	/// `InvalidTransaction::Custom(code)`, JSON-RPC error 1010 with data `"Custom error: <code>"`;
	/// the codes are part of the chain's interface and never change meaning. `ALL` is in the
	/// order the policy checks them (Chain33's admission order).
	pub enum Refusal {
		/// The encoded transaction is longer than `max_tx_size`.
		TooLarge = 100 => "TooLarge",
		/// The fee is below `min_fee_per_kb` for each started 1,000 bytes.
		FeeBelowFloor = 101 => "FeeBelowFloor",
		/// The fee is above `max_fee`.
		FeeAboveCeiling = 102 => "FeeAboveCeiling",
		/// The sender is on the blacklist governance keeps.
		SenderBlacklisted = 103 => "SenderBlacklisted",
		/// The sender already has `max_pending_per_account` transactions waiting.
		TooManyPending = 104 => "TooManyPending",
	}
}

/// Chain33 prices fees per started 1,000 bytes.
const KB: u32 = 1_000;
/// Chain33 suggests a fee only once this many transactions wait, from the best of them.
pub const SUGGESTION_SAMPLE: usize = 100;
/// What an immortal transaction counts as its entry block under `Score`: it cannot show when it
/// entered, so it ranks as the newest possible and cannot jump the queue by being immortal.
pub const IMMORTAL_ENTRY: u64 = u32::MAX as u64;
/// Operational calls (runtime upgrades, governance) go before any ordinary transaction.
pub const OPERATIONAL_PRIORITY: TransactionPriority = TransactionPriority::MAX;
/// Every ordinary transaction's priority under `Timeline`; the pool then keeps arrival order.
pub const TIMELINE_PRIORITY: TransactionPriority = 0;

/// What the policy needs to know about one transaction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Candidate<Balance> {
	/// Encoded length in bytes.
	pub len: u32,
	/// Fee it pays, tip included.
	pub fee: Balance,
	/// Block its mortality era began in; `None` for an immortal transaction.
	pub entry: Option<u64>,
	/// An operational call (governance, runtime upgrade).
	pub operational: bool,
}

impl<Balance: AtLeast32BitUnsigned + Copy> Policy<Balance> {
	/// The least fee a transaction of `len` bytes must pay: `min_fee_per_kb` per started kB.
	pub fn fee_floor(&self, len: u32) -> Balance {
		self.min_fee_per_kb.saturating_mul(started_kb(len).into())
	}

	/// Chain33's first check, made before any other: the size cap.
	///
	/// Operational calls (governance, runtime upgrades) skip the size and fee limits: whatever
	/// the policy, governance can still repair it or ship a runtime upgrade. They still pay the
	/// normal fee, and the blacklist and the waiting cap still apply to their sender.
	pub fn check_size(&self, len: u32, operational: bool) -> Result<(), Refusal> {
		if !operational && len > self.max_tx_size {
			return Err(Refusal::TooLarge);
		}
		Ok(())
	}

	/// Chain33's fee checks: the floor, then the ceiling.
	pub fn check_fee(&self, tx: &Candidate<Balance>) -> Result<(), Refusal> {
		if tx.operational {
			return Ok(());
		}
		if tx.fee < self.fee_floor(tx.len) {
			return Err(Refusal::FeeBelowFloor);
		}
		if tx.fee > self.max_fee {
			return Err(Refusal::FeeAboveCeiling);
		}
		Ok(())
	}

	/// Whether a sender whose next on-chain nonce is `account_nonce` may add a transaction with
	/// `nonce`: those between are the transactions it already has waiting.
	pub fn check_pending(&self, nonce: u64, account_nonce: u64) -> Result<(), Refusal> {
		if nonce.saturating_sub(account_nonce) >= u64::from(self.max_pending_per_account) {
			return Err(Refusal::TooManyPending);
		}
		Ok(())
	}

	/// The pool priority of a transaction. It depends only on the transaction (its fee, length
	/// and era), so it stays the same each time the pool re-validates it.
	pub fn priority(&self, tx: &Candidate<Balance>) -> TransactionPriority {
		if tx.operational {
			return OPERATIONAL_PRIORITY;
		}
		match self.strategy {
			Strategy::Timeline => TIMELINE_PRIORITY,
			Strategy::Price => fee_per_byte(tx.fee, tx.len),
			Strategy::Score => {
				// Scores may be negative; shift them into the unsigned priority range.
				let shifted = self.score(tx).saturating_add(i128::from(i64::MAX) + 1);
				shifted.clamp(0, i128::from(u64::MAX)) as TransactionPriority
			},
		}
	}

	/// Chain33's score of a transaction.
	pub fn score(&self, tx: &Candidate<Balance>) -> i128 {
		let ScoreParams { price_constant, price_power, time_param } = self.score;
		let entry = tx.entry.unwrap_or(IMMORTAL_ENTRY);
		i128::from(price_constant)
			.saturating_mul(i128::from(fee_per_byte(tx.fee, tx.len)))
			.saturating_mul(i128::from(price_power))
			.saturating_sub(i128::from(time_param).saturating_mul(i128::from(entry)))
	}

	/// The fee Chain33 would suggest for a transaction of `len` bytes at block `now`, given the
	/// best waiting transactions in pool order. With fewer than [`SUGGESTION_SAMPLE`] waiting,
	/// or under `Timeline` (where fee buys nothing), it is the floor. Under `Price` it is the
	/// mean fee per started kB of the best hundred; under `Score` the fee per byte whose score,
	/// entering now, equals their mean score. Never below the floor.
	pub fn suggested_fee(&self, len: u32, now: u64, best: &[Candidate<Balance>]) -> Balance {
		let floor = self.fee_floor(len);
		if best.len() < SUGGESTION_SAMPLE {
			return floor;
		}
		let sample = &best[..SUGGESTION_SAMPLE];
		let count = SUGGESTION_SAMPLE as u128;
		let suggested: u128 = match self.strategy {
			Strategy::Timeline => return floor,
			Strategy::Price => {
				let total = sample.iter().fold(0u128, |sum, tx| {
					let fee: u128 = tx.fee.unique_saturated_into();
					sum.saturating_add(fee / u128::from(started_kb(tx.len)))
				});
				(total / count).saturating_mul(started_kb(len).into())
			},
			Strategy::Score => {
				let ScoreParams { price_constant, price_power, time_param } = self.score;
				let mean = sample.iter().fold(0i128, |sum, tx| sum.saturating_add(self.score(tx))) /
					count as i128;
				let per_byte = mean
					.saturating_add(i128::from(time_param).saturating_mul(i128::from(now))) /
					i128::from(price_constant.saturating_mul(price_power).max(1));
				u128::try_from(per_byte).unwrap_or(0).saturating_mul(u128::from(len))
			},
		};
		Balance::unique_saturated_from(suggested).max(floor)
	}
}

/// Fee per encoded byte, rounded down (Chain33 divides integers too).
fn fee_per_byte<Balance: AtLeast32BitUnsigned + Copy>(fee: Balance, len: u32) -> u64 {
	let fee: u128 = fee.unique_saturated_into();
	(fee / u128::from(len.max(1))).unique_saturated_into()
}

/// Started kilobytes of `len` bytes, counted as Chain33 does: `len / 1000 + 1`.
fn started_kb(len: u32) -> u32 {
	len / KB + 1
}
