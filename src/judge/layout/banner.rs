//! PL3-4: the header banner — the emblem/logo, an image identified as such, next to the
//! organisation's full name.

use super::super::{Outcome, contains_ci, home_page};
use super::{matches_any, truncate};
use crate::evaluation::EvidenceRef;
use crate::observation::{Image, Observations};
use crate::text::Text;
use crate::tr;

/// The image's path (file name included) in lower case, for emblem words like `quoc-huy`.
fn path_of(src: &str) -> String {
    url::Url::parse(src).map_or_else(|_| src.to_string(), |u| u.path().to_string())
}

/// Whether an image is identified as the emblem: a word in its alt/title/class/id or file
/// name, and not declared smaller than `min_px` (an icon).
fn is_emblem(i: &Image, words: &[String], min_px: u32) -> bool {
    let named = matches_any(&format!("{} {}", i.alt, path_of(&i.src)), words);
    let tiny = [i.width, i.height]
        .into_iter()
        .flatten()
        .any(|d| d < min_px);
    named && !tiny
}

fn describe(i: &Image) -> String {
    let size = match (i.width, i.height) {
        (Some(w), Some(h)) => format!(", {w}×{h}"),
        _ => String::new(),
    };
    let name = path_of(&i.src);
    let name = name.rsplit('/').next().unwrap_or(&name);
    format!("`{name}` (\u{201c}{}\u{201d}{size})", truncate(&i.alt, 40))
}

/// PL3-4: the emblem/logo — an image identified by alt, file name or class, not an icon — next
/// to the organisation's full name in the home page header.
pub fn header_banner(
    require_image: bool,
    require_organisation: bool,
    emblem_words: &[String],
    min_emblem_px: u32,
    require_adjacent: bool,
    obs: &Observations,
) -> Outcome {
    let org = &obs.organisation;
    let expected = tr!(
        "Đầu trang có quốc huy/biểu trưng cạnh tên đầy đủ \u{201c}{org}\u{201d}",
        "header has the emblem/logo next to the full name \u{201c}{org}\u{201d}"
    );
    let (home, h) = match home_page(obs, &expected) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let Some(header) = &h.header else {
        return Outcome::fail(
            expected,
            Text::new("Trang chủ không có đầu trang", "home page has no header"),
            Text::new("Thiếu đầu trang", "no header"),
        );
    };
    let images: &[Image] = match &header.image_facts {
        Some(i) => i,
        None if header.images.is_empty() => &[],
        None => {
            return Outcome::error(
                expected,
                Text::new(
                    "Dữ liệu quan sát cũ không ghi thuộc tính hình ảnh (alt, kích thước); hãy đánh giá lại",
                    "the observations predate image details (alt, size); assess again",
                ),
            );
        }
    };
    let emblems: Vec<&Image> = images
        .iter()
        .filter(|i| is_emblem(i, emblem_words, min_emblem_px))
        .collect();
    let adjacent = emblems.iter().any(|i| contains_ci(&i.context, org));
    let has_org = contains_ci(&header.text, org);
    let mut missing = Vec::new();
    if require_image && emblems.is_empty() {
        missing.push(Text::new(
            "không có hình nhận diện là quốc huy/biểu trưng",
            "no image identified as the emblem/logo",
        ));
    }
    if require_organisation && !has_org {
        missing.push(tr!(
            "không có tên cơ quan \u{201c}{org}\u{201d}",
            "organisation name \u{201c}{org}\u{201d} not found"
        ));
    } else if require_image && require_adjacent && !emblems.is_empty() && !adjacent {
        missing.push(tr!(
            "tên cơ quan không nằm cạnh quốc huy/biểu trưng",
            "the organisation name is not next to the emblem/logo"
        ));
    }
    let seen = if emblems.is_empty() {
        let all: Vec<String> = images.iter().map(describe).collect();
        Text::new(
            format!(
                "{} hình, không hình nào là quốc huy/biểu trưng: {}",
                images.len(),
                all.join(", ")
            ),
            format!(
                "{} images, none identified as the emblem: {}",
                images.len(),
                all.join(", ")
            ),
        )
    } else {
        let e: Vec<String> = emblems.iter().map(|i| describe(i)).collect();
        let next = emblems
            .iter()
            .find(|i| contains_ci(&i.context, org))
            .or(emblems.first())
            .map_or_else(String::new, |i| truncate(&i.context, 80));
        Text::new(
            format!(
                "quốc huy/biểu trưng: {}, bên cạnh: \u{201c}{next}\u{201d}",
                e.join(", ")
            ),
            format!("emblem: {}, next to: \u{201c}{next}\u{201d}", e.join(", ")),
        )
    };
    let observed = Text::new(
        format!(
            "{}; văn bản đầu trang: \u{201c}{}\u{201d}",
            seen.vi,
            truncate(&header.text, 120)
        ),
        format!(
            "{}; header text: \u{201c}{}\u{201d}",
            seen.en,
            truncate(&header.text, 120)
        ),
    );
    Outcome::either(
        missing.is_empty(),
        expected,
        observed,
        Text::new("Đầu trang đúng quy định", "header banner as required"),
        Text::join(&missing, "; "),
    )
    .with_evidence([EvidenceRef::url("home page", &home.url)])
}
