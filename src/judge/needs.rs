//! What each check needs from the observations, by observation format version
//! ([`crate::observation::OBSERVATIONS_VERSION`]). `rejudge` of observations written before a
//! probe recorded a fact gives `error` ("observations from kiemdinh X lack Y; assess again")
//! for the checks that rely on it — never a confident `fail` on missing data.

use crate::checklist::Check;
use crate::checklist::threshold::kind_of;
use crate::observation::Observations;
use crate::text::Text;

/// (check kind, first observation version that records what it needs, what that is in
/// Vietnamese and English).
const INTRODUCED: &[(&str, u32, &str, &str)] = &[
    (
        "regions-present",
        2,
        "các phần trang nhận theo vai trò ARIA và quy ước id/class của giao diện",
        "regions found by ARIA role and id/class conventions",
    ),
    (
        "region-consistent",
        2,
        "các phần trang nhận theo vai trò ARIA và quy ước id/class của giao diện",
        "regions found by ARIA role and id/class conventions",
    ),
    (
        "header-banner",
        2,
        "mô tả hình ảnh ở đầu trang (alt, tên tệp, kích thước)",
        "image descriptions (alt, file name, size) in the header",
    ),
    (
        "menu-items",
        2,
        "các danh sách liên kết có thể là menu chính",
        "the candidate menus of the page",
    ),
    (
        "footer-fields",
        2,
        "các phần trang nhận theo vai trò ARIA và quy ước id/class của giao diện",
        "regions found by ARIA role and id/class conventions",
    ),
    (
        "home-links",
        2,
        "văn bản chuẩn hóa Unicode NFC",
        "text in Unicode NFC",
    ),
    (
        "emc-embed",
        2,
        "mã EMC trong các tệp script cùng tên miền",
        "EMC snippets in same-host script files",
    ),
    (
        "emc-consistent",
        2,
        "mã EMC trong các tệp script cùng tên miền",
        "EMC snippets in same-host script files",
    ),
    (
        "statistics-sane",
        2,
        "các dòng bảng và trường có nhãn của trang thống kê",
        "the table rows and labelled fields of the statistics page",
    ),
    (
        "catalogue",
        2,
        "các dòng của trang danh mục thủ tục",
        "the rows of the catalogue page",
    ),
    (
        "search-answers",
        2,
        "tìm kiếm theo từ trong danh mục và theo tiêu chí của biểu mẫu tìm kiếm",
        "searches for catalogue words and by a criterion of the search form",
    ),
    (
        "functions-present",
        2,
        "biểu mẫu và danh sách của các trang chức năng",
        "the forms and lists of function pages",
    ),
];

/// The fact a check needs that these observations lack, if any.
pub fn lacking(check: &Check, obs: &Observations) -> Option<Text> {
    let kind = kind_of(check);
    INTRODUCED
        .iter()
        .find(|(k, v, _, _)| *k == kind && obs.version < *v)
        .map(|(_, _, vi, en)| Text::new(*vi, *en))
}

/// The message of the `error` verdict for observations that lack `fact`.
pub fn message(fact: &Text, obs: &Observations) -> Text {
    let (tool_vi, tool_en) = if obs.tool_version.is_empty() {
        (
            "phiên bản kiemdinh cũ".to_string(),
            "an older kiemdinh".to_string(),
        )
    } else {
        let t = format!("kiemdinh {}", obs.tool_version);
        (t.clone(), t)
    };
    let v = obs.version;
    Text::new(
        format!(
            "Dữ liệu quan sát của {tool_vi} (định dạng {v}) thiếu: {}; cần đánh giá lại cổng",
            fact.vi
        ),
        format!(
            "observations from {tool_en} (format {v}) lack {}; assess again",
            fact.en
        ),
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
        let m = message(&fact, &obs);
        assert!(m.en.contains("kiemdinh 0.1.0 (format 1) lack"), "{}", m.en);
        assert!(m.vi.contains("các phần trang"), "{}", m.vi);
        obs.version = crate::observation::OBSERVATIONS_VERSION;
        assert_eq!(lacking(&check, &obs), None);
        assert_eq!(
            lacking(&Check::HttpsRedirect {}, &Observations::default()),
            None
        );
    }
}
