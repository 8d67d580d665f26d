//! Types the Consortia runtime and node share: the transaction [`Signature`] in the chain's
//! four schemes (ed25519, sr25519, ecdsa and China's SM2), the SM2 host function and the node's
//! cache of verified signatures.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod batch;
pub mod refusal;
pub mod signature;
pub mod sm2;
pub mod verified;
pub mod verified_scheme;

pub use signature::{Scheme, Signature, Signer, Sm2Signature};

/// The host functions the node's executor must provide beyond Substrate's own.
#[cfg(feature = "std")]
pub type HostFunctions = (sm2::guomi::HostFunctions, verified::signatures::HostFunctions);
