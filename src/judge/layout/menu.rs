//! PL3-5: the main menu covers the portal's main sections. The menu is the candidate list of
//! same-site links near the top that best matches the items — not simply the first `<nav>`,
//! and never the login or emblem links.

use url::Url;

use super::super::{Outcome, home_page, list};
use super::{label, matches_any};
use crate::checklist::check::Synonyms;
use crate::evaluation::EvidenceRef;
use crate::observation::{Menu, MenuLink, Observations};
use crate::text::Text;

/// Whether a link stands for an item: its text matches a synonym, or it points at one of the
/// item's paths on the portal (an icon link to `/` is the home item).
fn is_item(l: &MenuLink, item: &Synonyms) -> bool {
    matches_any(&l.text, &item.synonyms)
        || Url::parse(&l.href).is_ok_and(|u| {
            item.paths
                .iter()
                .any(|p| u.path().trim_end_matches('/') == p.trim_end_matches('/'))
        })
}

/// A candidate menu's usable items: same-site text links that are not excluded, and links to
/// an item's own path whatever their text.
fn usable<'a>(
    m: &'a Menu,
    host: Option<&str>,
    exclude: &[String],
    items: &[Synonyms],
) -> Vec<&'a MenuLink> {
    m.links
        .iter()
        .filter(|l| {
            let texted =
                !l.image_only && !l.text.trim().is_empty() && !matches_any(&l.text, exclude);
            let by_path = items.iter().any(|i| !i.paths.is_empty() && is_item(l, i));
            (texted || by_path)
                && Url::parse(&l.href)
                    .ok()
                    .is_some_and(|u| u.host_str().map(str::to_ascii_lowercase).as_deref() == host)
        })
        .collect()
}

/// The main menu: among the candidates with at least `min_links` usable links that lie in the
/// header or near the top, the one matching the most required items, then the most items,
/// then in the header, then the earliest.
fn main_menu<'a>(
    menus: &'a [Menu],
    items: &[Synonyms],
    required: &[&Synonyms],
    exclude: &[String],
    (min_links, near_top): (u32, u32),
    host: Option<&str>,
) -> Option<(&'a Menu, Vec<&'a MenuLink>)> {
    let hits = |links: &[&MenuLink], set: &mut dyn Iterator<Item = &Synonyms>| {
        set.filter(|i| links.iter().any(|l| is_item(l, i))).count()
    };
    menus
        .iter()
        .filter(|m| m.in_header || m.links_before <= near_top)
        .map(|m| (m, usable(m, host, exclude, items)))
        .filter(|(_, l)| l.len() >= min_links as usize)
        .max_by_key(|(m, l)| {
            (
                hits(l, &mut required.iter().copied()),
                hits(l, &mut items.iter()),
                m.in_header,
                std::cmp::Reverse(m.links_before),
            )
        })
}

/// PL3-5: the main menu covers the portal's main sections: every `required` item is there
/// (the circular's other items are examples — "như" — reported when missing).
pub fn menu_items(
    items: &[Synonyms],
    required: Option<&[String]>,
    exclude: &[String],
    limits: (u32, u32),
    obs: &Observations,
) -> Outcome {
    let required: Vec<&Synonyms> = items
        .iter()
        .filter(|i| required.is_none_or(|r| r.contains(&i.name)))
        .collect();
    let req_labels: Vec<Text> = required.iter().map(|i| label(i)).collect();
    let ex_labels: Vec<Text> = items
        .iter()
        .filter(|i| !required.iter().any(|r| r.name == i.name))
        .map(label)
        .collect();
    let expected = if ex_labels.is_empty() {
        Text::new(
            format!("Menu chính có: {}", Text::join(&req_labels, ", ").vi),
            format!("main menu has: {}", Text::join(&req_labels, ", ").en),
        )
    } else {
        Text::new(
            format!(
                "Menu chính có: {}; các mục ví dụ khác: {}",
                Text::join(&req_labels, ", ").vi,
                Text::join(&ex_labels, ", ").vi
            ),
            format!(
                "main menu has: {}; other example items: {}",
                Text::join(&req_labels, ", ").en,
                Text::join(&ex_labels, ", ").en
            ),
        )
    };
    let (home, h) = match home_page(obs, &expected) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let evidence = [EvidenceRef::url("home page", &home.url)];
    let Some(menus) = &h.menus else {
        return Outcome::error(
            expected,
            Text::new(
                "Dữ liệu quan sát cũ không ghi các danh sách liên kết (menu); hãy đánh giá lại",
                "the observations predate menu candidates; assess again",
            ),
        );
    };
    let host = Url::parse(&obs.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    let Some((menu, links)) = main_menu(menus, items, &required, exclude, limits, host.as_deref())
    else {
        let (min_links, near_top) = limits;
        let seen: Vec<String> = menus.iter().map(|m| format!("`{}`", m.selector)).collect();
        return Outcome::fail(
            expected,
            Text::new(
                format!("Danh sách liên kết đã xét: {}", list(&seen, 5)),
                format!("link lists considered: {}", list(&seen, 5)),
            ),
            Text::new(
                format!(
                    "Không có menu chính: không danh sách nào ở đầu trang (trong {near_top} liên kết đầu) có từ {min_links} liên kết nội bộ"
                ),
                format!(
                    "no main menu: no list near the top (within the first {near_top} links) has {min_links} same-site links"
                ),
            ),
        )
        .with_evidence(evidence);
    };
    let has = |i: &Synonyms| links.iter().any(|l| is_item(l, i));
    let missing: Vec<Text> = required
        .iter()
        .filter(|i| !has(i))
        .map(|i| label(i))
        .collect();
    let examples: Vec<Text> = items
        .iter()
        .filter(|i| !required.iter().any(|r| r.name == i.name) && !has(i))
        .map(label)
        .collect();
    let texts: Vec<String> = links
        .iter()
        .filter(|l| !l.nested)
        .map(|l| l.text.clone())
        .collect();
    let place = if menu.in_header {
        Text::new("trong đầu trang", "in the header")
    } else {
        Text::new(
            format!("sau {} liên kết", menu.links_before),
            format!("after {} links", menu.links_before),
        )
    };
    let mut observed = Text::new(
        format!(
            "Menu `{}` ({}): {}",
            menu.selector,
            place.vi,
            list(&texts, 12)
        ),
        format!(
            "menu `{}` ({}): {}",
            menu.selector,
            place.en,
            list(&texts, 12)
        ),
    );
    if !examples.is_empty() {
        observed = Text::new(
            format!(
                "{}; thiếu mục ví dụ: {}",
                observed.vi,
                Text::join(&examples, ", ").vi
            ),
            format!(
                "{}; example items missing: {}",
                observed.en,
                Text::join(&examples, ", ").en
            ),
        );
    }
    let pass = if examples.is_empty() {
        Text::new("Menu chính đủ mục", "main menu complete")
    } else {
        Text::new(
            format!(
                "Menu chính có các mục bắt buộc; thiếu mục ví dụ: {}",
                Text::join(&examples, ", ").vi
            ),
            format!(
                "main menu has the required items; example items missing: {}",
                Text::join(&examples, ", ").en
            ),
        )
    };
    Outcome::either(
        missing.is_empty(),
        expected,
        observed,
        pass,
        Text::new(
            format!("Menu thiếu: {}", Text::join(&missing, ", ").vi),
            format!("menu lacks: {}", Text::join(&missing, ", ").en),
        ),
    )
    .with_evidence(evidence)
    .with_credit((required.len() - missing.len()) as f64 / required.len().max(1) as f64)
}
