//! A portal's place in a ranking, for the cover of its own report (`rejudge --ranking`): the
//! evaluator ranks the year, then re-renders each portal's report with its rank and tier.

use super::html::kind_label;
use super::{Entry, Ranking};
use crate::error::Error;
use crate::evaluation::PortalInfo;
use crate::report::cover::RankView;
use crate::text::Lang;

/// Reads a `ranking.json` (`rejudge --ranking`).
///
/// # Errors
/// A missing file, or one that is not a ranking (file, line, column).
pub fn read(path: &std::path::Path) -> Result<Ranking, Error> {
    crate::input::Source::read(path)?.parse_json(
        "ranking",
        "--ranking: not a ranking.json written by `kiemdinh rank`",
    )
}

/// The ranking's entry for a portal: matched as the ranking matches portals across years (the
/// published host, else the NFC name).
pub fn entry_for<'a>(r: &'a Ranking, portal: &PortalInfo) -> Option<&'a Entry> {
    let host = portal.public_host.trim().to_ascii_lowercase();
    let id = if host.is_empty() {
        crate::unicode::nfc(portal.name.trim())
    } else {
        host
    };
    r.entries.iter().find(|e| e.id == id)
}

/// The cover line for a portal: `Ok(None)` when the ranking lists it as excluded (the cover
/// then shows no rank; its exclusion is in the ranking), an error when the ranking does not
/// list it at all.
///
/// # Errors
/// [`Error::Usage`] naming the portal when the ranking has no entry for it.
pub fn rank_view(r: &Ranking, portal: &PortalInfo, lang: Lang) -> Result<Option<RankView>, Error> {
    let entry = entry_for(r, portal).ok_or_else(|| {
        Error::Usage(format!(
            "the {} ranking has no entry for `{}` ({}): rank this evaluation first",
            r.year, portal.name, portal.public_host
        ))
    })?;
    let Some(position) = entry.rank else {
        return Ok(None);
    };
    let of = r
        .entries
        .iter()
        .filter(|e| e.organisation_kind == entry.organisation_kind && e.rank.is_some())
        .count();
    let tier = entry.tier.as_ref().map(|id| {
        r.methodology
            .tiers
            .iter()
            .find(|t| &t.id == id)
            .map_or_else(|| id.clone(), |t| t.label.get(lang).to_string())
    });
    Ok(Some(RankView {
        position,
        of: u32::try_from(of).unwrap_or(u32::MAX),
        tier,
        ranking: format!(
            "{} — {}",
            r.year,
            kind_label(&entry.organisation_kind, lang)
        ),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn portal(host: &str, name: &str) -> PortalInfo {
        PortalInfo {
            name: name.into(),
            organisation: String::new(),
            organisation_kind: "province".into(),
            vendor: None,
            evaluator: None,
            base_url: "https://127.0.0.1:1/".into(),
            public_host: host.into(),
        }
    }

    fn golden() -> Ranking {
        serde_json::from_str(include_str!(
            "../../tests/fixtures/rank/expected-ranking.json"
        ))
        .unwrap()
    }

    #[test]
    fn a_ranked_portal_gets_its_place_tier_and_table() {
        let r = golden();
        let v = rank_view(&r, &portal("DichVuCong.DongHai.gov.vn", "x"), Lang::Vi)
            .unwrap()
            .unwrap();
        assert_eq!((v.position, v.of), (3, 5), "shares rank 3 of 5 provinces");
        assert_eq!(v.tier.as_deref(), Some("Tốt"));
        assert_eq!(v.ranking, "2026 — Tỉnh, thành phố trực thuộc trung ương");
    }

    #[test]
    fn an_excluded_portal_has_no_rank_and_an_unknown_one_is_an_error() {
        let r = golden();
        assert!(
            rank_view(&r, &portal("dichvucong.ngoclam.gov.vn", "x"), Lang::En)
                .unwrap()
                .is_none()
        );
        let err = rank_view(&r, &portal("elsewhere.gov.vn", "Cổng khác"), Lang::En).unwrap_err();
        assert!(err.to_string().contains("Cổng khác"), "{err}");
    }
}
