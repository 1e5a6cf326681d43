//! The fuzz targets' bodies, shared with the corpus replay test of the main crate
//! (`tests/it/fuzz_corpus.rs` includes `targets.rs` by path).

mod targets;

pub use targets::{checklist, html, rejudge, scenario};
