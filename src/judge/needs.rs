//! What each check needs from the observations, by observation format version
//! ([`crate::observation::OBSERVATIONS_VERSION`]). `rejudge` of observations written before a
//! probe recorded a fact gives `error` ("observations from kiemdinh X lack Y; assess again")
//! for the checks that rely on it — never a confident `fail` on missing data.

use crate::checklist::Check;
use crate::checklist::threshold::kind_of;
use crate::observation::Observations;
use crate::text::Text;

/// (check kind, first observation version that records what it needs, what that is).
const INTRODUCED: &[(&str, u32, &str)] = &[
    (
        "regions-present",
        2,
        "regions found by ARIA role and id/class conventions",
    ),
    (
        "region-consistent",
        2,
        "regions found by ARIA role and id/class conventions",
    ),
    (
        "header-banner",
        2,
        "image descriptions (alt, file name, size) in the header",
    ),
    ("menu-items", 2, "the candidate menus of the page"),
    (
        "footer-fields",
        2,
        "regions found by ARIA role and id/class conventions",
    ),
    ("home-links", 2, "text in Unicode NFC"),
    ("emc-embed", 2, "EMC snippets in same-host script files"),
    (
        "emc-consistent",
        2,
        "EMC snippets in same-host script files",
    ),
    (
        "statistics-sane",
        2,
        "the table rows and labelled fields of the statistics page",
    ),
    ("catalogue", 2, "the rows of the catalogue page"),
    (
        "search-answers",
        2,
        "searches for catalogue words and by a criterion of the search form",
    ),
    (
        "functions-present",
        2,
        "the forms and lists of function pages",
    ),
];

/// The fact a check needs that these observations lack, if any.
pub fn lacking(check: &Check, obs: &Observations) -> Option<&'static str> {
    let kind = kind_of(check);
    INTRODUCED
        .iter()
        .find(|(k, v, _)| *k == kind && obs.version < *v)
        .map(|(_, _, fact)| *fact)
}

/// The message of the `error` verdict for observations that lack `fact`.
pub fn message(fact: &str, obs: &Observations) -> Text {
    let tool = if obs.tool_version.is_empty() {
        "an older kiemdinh".to_string()
    } else {
        format!("kiemdinh {}", obs.tool_version)
    };
    let v = obs.version;
    Text::new(
        format!("Dữ liệu quan sát của {tool} (định dạng {v}) thiếu: {fact}; cần đánh giá lại cổng"),
        format!("observations from {tool} (format {v}) lack {fact}; assess again"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::check::RegionName;

    #[test]
    fn old_observations_lack_what_new_judges_need() {
        let check = Check::RegionConsistent {
            region: RegionName::Header,
            ignore: Vec::new(),
            session_params: Vec::new(),
        };
        let mut obs = Observations {
            version: 1,
            tool_version: "0.1.0".into(),
            ..Observations::default()
        };
        let fact = lacking(&check, &obs).expect("version 1 lacks it");
        assert!(
            message(fact, &obs)
                .en
                .contains("kiemdinh 0.1.0 (format 1) lack")
        );
        obs.version = crate::observation::OBSERVATIONS_VERSION;
        assert_eq!(lacking(&check, &obs), None);
        assert_eq!(
            lacking(&Check::HttpsRedirect {}, &Observations::default()),
            None
        );
    }
}
