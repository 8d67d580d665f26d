//! Pallet configurations: one file per pallet, named after it.

mod aura;
mod balances;
mod consortium;
mod contracts;
mod grandpa;
mod health;
mod mempool_policy;
mod sudo;
mod system;
mod timestamp;
mod transaction_payment;
mod utility;
mod wallet;

pub use consortium::{CouncilCollective, GovernanceOrigin, SESSION_PERIOD};
pub use mempool_policy::DefaultMempoolPolicy;
pub use system::{RuntimeBlockLength, RuntimeBlockWeights};
