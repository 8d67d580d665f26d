//! Helpers for Consortia's end-to-end tests: start the real `consortia` binary on free loopback
//! ports, talk to it over JSON-RPC, and build signed transactions with the real runtime's types.

pub mod node;
pub use consortia_client as tx;

pub use node::{Node, NodeBuilder, Rpc};
