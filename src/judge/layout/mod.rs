//! Layout judges (Phụ lục III). One file per requirement family, so a requirement's judge and
//! its tests are found from its id:
//!
//! | requirement | file | judge |
//! |---|---|---|
//! | PL3-1 regions | `regions.rs` | [`regions_present`] |
//! | PL3-2/PL3-3 consistency | `consistency.rs` | [`region_consistent`] |
//! | PL3-4 header banner | `banner.rs` | [`header_banner`] |
//! | PL3-5 main menu | `menu.rs` | [`menu_items`] |
//! | PL3-6 footer fields | `footer.rs` | [`footer_fields`] |
//! | PL3-7 site map, PL3-8 home-page links | `links.rs` | [`sitemap`], [`home_links`] |
//!
//! Tests are in `tests.rs`, named after the requirement (`pl3_5_…`), on markup fixtures of
//! Liferay/OpenCPS, DNN (table layout) and `WordPress` themes (`probe::html::fixtures`).

mod banner;
mod consistency;
mod footer;
mod links;
mod menu;
mod regions;

pub use banner::header_banner;
pub use consistency::region_consistent;
pub use footer::footer_fields;
pub use links::{home_links, sitemap, sitemap_locs};
pub use menu::menu_items;
pub use regions::regions_present;

use super::contains_ci;
use crate::checklist::check::{RegionName, Synonyms};
use crate::observation::{HtmlFacts, Region};
use crate::text::Text;

fn region_of(h: &HtmlFacts, r: RegionName) -> Option<&Region> {
    match r {
        RegionName::Header => h.header.as_ref(),
        RegionName::Main => h.main.as_ref(),
        RegionName::Footer => h.footer.as_ref(),
    }
}

fn region_vi(r: RegionName) -> &'static str {
    match r {
        RegionName::Header => "đầu trang",
        RegionName::Main => "nội dung chính",
        RegionName::Footer => "chân trang",
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

fn matches_any(text: &str, synonyms: &[String]) -> bool {
    synonyms.iter().any(|s| contains_ci(text, s))
}

fn label(s: &Synonyms) -> Text {
    s.label
        .clone()
        .unwrap_or_else(|| Text::same(s.name.clone()))
}

#[cfg(test)]
mod tests;
