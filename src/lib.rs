//! kiemdinh — conformance and load-testing harness for Vietnam's ministry and provincial
//! public-service systems (Cổng dịch vụ công + Hệ thống thông tin một cửa điện tử), against
//! Thông tư 21/2023/TT-BTTTT and related texts.
//!
//! # Architecture: observe once, judge many times
//!
//! ```text
//! checklists/*.toml ─┐
//! scenarios/*.toml  ─┴─► plan ─► probes ─► Observations ─► judges ─► Evaluation ─► reports
//! ```
//!
//! - [`checklist`] and [`scenario`] load the two input files strictly (two stages, every problem
//!   with <file:line:key>).
//! - [`probe`] is the only code that touches the network: it fetches each URL once and records
//!   typed [`observation`]s.
//! - [`judge`] holds pure functions from a check spec and observations to a verdict.
//! - [`evaluation`] combines verdicts into a weighted score and the overall verdict (exit code).
//! - [`report`] renders one view model to HTML, JSON, `JUnit` and Markdown.
//! - [`demo`] is the built-in reference portal with switchable defects.
//! - [`catalogue`] reads the evaluator's DVCQG catalogue export (DVCQG-2).
//!
//! Checks whose probe is not in this version (browser timings and flows, load, availability,
//! DNS) are data like the others: the judge reports `pending` until evidence is supplied, so the
//! report lists the whole regulation and never passes what it did not see.
//! [`checklist::coverage`] says how each requirement is judged today.
//!
//! # Glossary
//! regulation (the legal text) · checklist (one edition of it as data) · requirement (one
//! stable id, `PL3-2`) · check (one tagged spec inside a requirement) · scenario (one portal's
//! description) · portal (the system assessed) · probe (gathers observations) · observation (a
//! typed fact) · judge (pure function) · verdict (status + expected + observed) · evidence (a
//! file or URL supporting a verdict) · evaluation (all verdicts + score) · score (0–100) ·
//! ranking (many evaluations ordered) · edition (a checklist that may `extends` another and
//! amend, retire or add ids) · override (a threshold changed for one portal or run, recorded
//! in the evaluation) · delegated (a function the portal provides through a link to DVCQG).

pub mod assess;
pub mod catalogue;
pub mod checklist;
pub mod clock;
pub mod demo;
pub mod error;
pub mod evaluation;
pub mod exit;
pub mod input;
pub mod journal;
pub mod judge;
pub mod observation;
pub mod plan;
pub mod probe;
pub mod report;
pub mod scenario;
pub mod schema;
pub mod text;
pub mod unicode;

pub use clock::now_rfc3339;
pub use error::{Error, Result};
pub use exit::ExitCode;
pub(crate) use text::tr;
