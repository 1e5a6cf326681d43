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
//! - [`plan`] checks everything that can be checked before the network: checklists and
//!   overrides, `--only`/`--skip`, evidence ids and file kinds, the output directory.
//! - [`probe`] is the only code that touches the network: it fetches each URL once and records
//!   typed [`observation`]s (versioned: a judge fed older ones says what they lack). Its
//!   `browser` module drives Chromium (not yet part of `assess`); `lab` turns browser runs into
//!   page-load metrics (Speed Index, CLS).
//! - [`judge`] holds pure functions from a check spec and observations to a verdict;
//!   [`judge::judge_all`] judges a whole run.
//! - [`evaluation`] combines verdicts into a weighted score, the overall verdict (conformant,
//!   provisional, non-conformant, incomplete) and rankability under the ranking policies;
//!   [`exit`] maps it to the process exit code.
//! - [`report`] renders one view model to HTML, JSON, `JUnit`, Markdown, PDF (printed by
//!   Chromium) and the console line; with `--baseline`, what regressed and what was fixed.
//! - [`journal`] writes every page and verdict as it arrives; [`assess`] runs it all.
//! - [`campaign`] runs `assess` for every scenario of a folder, one child process per portal,
//!   with a resumable manifest and an index page.
//! - [`rank`] orders a year's evaluations (`kiemdinh rank`): per organisation kind, tiers,
//!   vendors, year over year, the methodology; `ranking.json`/`.csv`/`.html`/`.pdf`.
//! - [`monitor`] watches portals' availability for months into the [`store`]
//!   (`kiemdinh monitor`) and computes the figures the 24/7 requirements are judged on.
//! - [`demo`] is the built-in reference portal with switchable defects and markup themes.
//! - [`catalogue`] reads the evaluator's DVCQG catalogue export (DVCQG-2).
//! - Leaves: [`text`] (bilingual strings), [`unicode`] (NFC and folded matching of Vietnamese),
//!   [`clock`], [`input`] (sources, spans, did-you-mean), [`error`].
//!
//! Modules import one way: the binary's command line → [`assess`] → {[`plan`], [`probe`],
//! [`judge`], [`evaluation`], [`report`]} → {[`observation`], [`checklist`], [`text`]}.
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
//! ranking (many evaluations ordered) · provisional (nothing mandatory failed, but mandatory
//! items are pending: no conclusion yet) · threshold (a number in a check, with provenance) ·
//! ranking policy (a named rule that keeps an evaluation out of the ranking) · edition (a checklist that may `extends` another and
//! amend, retire or add ids) · override (a threshold changed for one portal or run, recorded
//! in the evaluation) · delegated (a function the portal provides through a link to DVCQG).

pub mod assess;
pub mod campaign;
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
pub mod load;
pub mod loadtest;
pub mod monitor;
pub mod observation;
pub mod plan;
pub mod probe;
pub mod rank;
pub mod redact;
pub mod report;
pub mod scenario;
pub mod schema;
pub mod store;
pub mod text;
pub mod unicode;

pub use clock::now_rfc3339;
pub use error::{Error, Result};
pub use exit::ExitCode;
pub(crate) use text::tr;
