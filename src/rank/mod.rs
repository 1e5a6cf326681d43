//! The annual ranking (`kiemdinh rank`, Điều 11): many `evaluation.json` of one year ordered
//! per organisation kind, tiers, vendors, year-over-year change and the methodology.

pub mod chart;
#[cfg(test)]
pub(crate) mod fixture;
pub mod html;
pub mod model;

pub use model::{
    CategoryScore, CategoryWeight, Entry, Exclusion, Methodology, PlaceholderUse, PreviousRef,
    RANKING_VERSION, Ranking, Tier, VendorEntry,
};
