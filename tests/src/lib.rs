//! Helpers for Consortia's end-to-end tests: start the real `consortia` binary on free loopback
//! ports, talk to it over JSON-RPC, and build signed transactions with the real runtime's types.

pub mod node;
pub mod tx;

pub use node::{Node, NodeBuilder, Rpc};
