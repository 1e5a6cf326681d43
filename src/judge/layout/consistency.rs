//! PL3-2/PL3-3: the header (footer) shows the same information on every page. What
//! legitimately changes per page — visitor counters, clocks, dates, session ids and CSRF tokens
//! in links — is blanked in the fingerprint first (the spec's `ignore` and `session-params`).

use std::collections::BTreeMap;

use regex::{Regex, RegexBuilder};
use url::Url;

use super::super::{Outcome, list, no_pages, short};
use super::{region_of, region_vi};
use crate::checklist::check::RegionName;
use crate::evaluation::EvidenceRef;
use crate::observation::{Observations, Region};
use crate::text::Text;
use crate::tr;

/// What differs between a page's region and the reference region, in both languages.
fn describe_diff(reference: &Region, other: &Region, obs: &Observations) -> Text {
    let mut parts: Vec<Text> = Vec::new();
    let hrefs = |r: &Region| {
        r.links
            .iter()
            .map(|l| short(&l.href, obs))
            .collect::<Vec<_>>()
    };
    let (a, b) = (hrefs(reference), hrefs(other));
    let missing: Vec<String> = a.iter().filter(|x| !b.contains(x)).cloned().collect();
    let extra: Vec<String> = b.iter().filter(|x| !a.contains(x)).cloned().collect();
    if !missing.is_empty() {
        let l = list(&missing, 3);
        parts.push(tr!("thiếu liên kết: {l}", "links missing: {l}"));
    }
    if !extra.is_empty() {
        let l = list(&extra, 3);
        parts.push(tr!("thêm liên kết: {l}", "links added: {l}"));
    }
    let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let (wa, wb) = (words(&reference.text), words(&other.text));
    let gone: Vec<String> = wa.iter().filter(|w| !wb.contains(w)).cloned().collect();
    let new: Vec<String> = wb.iter().filter(|w| !wa.contains(w)).cloned().collect();
    let phrase = |w: &[String]| {
        let s = w.join(" ");
        if s.chars().count() > 80 {
            format!("{}…", s.chars().take(80).collect::<String>())
        } else {
            s
        }
    };
    if !gone.is_empty() {
        let p = phrase(&gone);
        parts.push(tr!(
            "thiếu nội dung: \u{201c}{p}\u{201d}",
            "text missing: \u{201c}{p}\u{201d}"
        ));
    }
    if !new.is_empty() {
        let p = phrase(&new);
        parts.push(tr!(
            "thêm nội dung: \u{201c}{p}\u{201d}",
            "text added: \u{201c}{p}\u{201d}"
        ));
    }
    if parts.is_empty() && reference.images != other.images {
        parts.push(Text::new("hình ảnh khác", "images differ"));
    }
    if parts.is_empty() {
        parts.push(Text::new("thứ tự từ khác", "word order differs"));
    }
    Text::join(&parts, "; ")
}

/// Blanks what changes per page: `ignore` patterns in the text, session parameters in links.
struct Fingerprint {
    ignore: Vec<Regex>,
    session_params: Vec<String>,
}

impl Fingerprint {
    fn new(ignore: &[String], session_params: &[String]) -> Self {
        Self {
            // Invalid patterns are rejected when the checklist loads.
            ignore: ignore
                .iter()
                .filter_map(|p| {
                    RegexBuilder::new(&crate::unicode::nfc(p))
                        .case_insensitive(true)
                        .build()
                        .ok()
                })
                .collect(),
            session_params: session_params
                .iter()
                .map(|p| p.to_ascii_lowercase())
                .collect(),
        }
    }

    fn text(&self, t: &str) -> String {
        let mut t = t.to_string();
        for re in &self.ignore {
            t = re.replace_all(&t, " # ").into_owned();
        }
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The link target without session-bound parameters (`;jsessionid=…`, `?p_auth=…`) and
    /// without query values that name the page it is on (a login link's `ReturnUrl=/this-page`,
    /// `WordPress`'s `redirect_to`, Liferay's `redirect`).
    fn href(&self, h: &str, page: &str) -> String {
        let Ok(mut u) = Url::parse(h) else {
            return h.to_string();
        };
        let volatile = |name: &str| self.session_params.contains(&name.to_ascii_lowercase());
        let path: Vec<String> = u
            .path()
            .split('/')
            .map(|seg| {
                seg.split(';')
                    .enumerate()
                    .filter(|(i, p)| *i == 0 || !volatile(p.split('=').next().unwrap_or("")))
                    .map(|(_, p)| p)
                    .collect::<Vec<_>>()
                    .join(";")
            })
            .collect();
        u.set_path(&path.join("/"));
        if u.query().is_some() {
            let kept: Vec<(String, String)> = u
                .query_pairs()
                .filter(|(k, v)| !volatile(k) && !names_page(v, page))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            if kept.is_empty() {
                u.set_query(None);
            } else {
                u.query_pairs_mut().clear().extend_pairs(kept);
            }
        }
        u.to_string()
    }

    fn region(&self, r: &Region, page: &str) -> Region {
        let mut r = r.clone();
        r.text = self.text(&r.text);
        for l in &mut r.links {
            l.href = self.href(&l.href, page);
            l.text = self.text(&l.text);
        }
        r
    }
}

/// Whether a query value names the page itself: its URL, or its path (with or without query).
fn names_page(value: &str, page: &str) -> bool {
    let Ok(page) = Url::parse(page) else {
        return false;
    };
    let value = value.trim();
    if value.is_empty() {
        return false;
    }
    let resolved = page.join(value).ok();
    resolved.is_some_and(|v| {
        v.origin() == page.origin()
            && v.path().trim_end_matches('/') == page.path().trim_end_matches('/')
    })
}

/// PL3-2/PL3-3: the region's fingerprint (text + link targets, what changes per page blanked)
/// is the same on every page.
pub fn region_consistent(
    region: RegionName,
    ignore: &[String],
    session_params: &[String],
    obs: &Observations,
) -> Outcome {
    let expected = Text::new(
        format!(
            "Phần {} hiển thị cùng thông tin (văn bản và liên kết) trên mọi trang",
            region_vi(region)
        ),
        format!(
            "the {} shows the same information (text and link targets) on every page",
            region.as_str()
        ),
    );
    let fp = Fingerprint::new(ignore, session_params);
    let pages: Vec<_> = obs
        .html_pages()
        .map(|(p, h)| (p, region_of(h, region).map(|r| fp.region(r, &p.url))))
        .collect();
    if pages.is_empty() {
        return no_pages(expected, obs);
    }
    // The reference is the most common fingerprint; ties go to the home page's.
    let key = |r: &Region| {
        (
            r.text.clone(),
            r.links.iter().map(|l| l.href.clone()).collect::<Vec<_>>(),
        )
    };
    let mut counts: BTreeMap<(String, Vec<String>), usize> = BTreeMap::new();
    for r in pages.iter().filter_map(|(_, r)| r.as_ref()) {
        *counts.entry(key(r)).or_insert(0) += 1;
    }
    let home_url = obs.home().map(|p| p.url.as_str());
    let home_key = pages
        .iter()
        .find(|(p, _)| Some(p.url.as_str()) == home_url)
        .and_then(|(_, r)| r.as_ref())
        .map(key);
    let Some(best) = counts
        .iter()
        .map(|(k, n)| (*n, home_key.as_ref() == Some(k), k))
        .max()
        .map(|(_, _, k)| k.clone())
    else {
        return Outcome::fail(
            expected,
            Text::new(
                format!("Không trang nào có phần {}", region_vi(region)),
                format!("no page has a {}", region.as_str()),
            ),
            Text::new(
                format!("Không tìm thấy phần {}", region_vi(region)),
                format!("no {} found", region.as_str()),
            ),
        );
    };
    let reference = pages
        .iter()
        .find_map(|(_, r)| r.as_ref().filter(|r| key(r) == best))
        .expect("reference exists")
        .clone();
    let mut differing: Vec<Text> = Vec::new();
    let mut evidence = Vec::new();
    for (p, r) in &pages {
        let what = match r {
            None => Text::new(
                format!("không có phần {}", region_vi(region)),
                format!("no {}", region.as_str()),
            ),
            Some(r) if key(r) == best => continue,
            Some(r) => describe_diff(&reference, r, obs),
        };
        let at = short(&p.url, obs);
        differing.push(Text::new(
            format!("{at}: {}", what.vi),
            format!("{at}: {}", what.en),
        ));
        evidence.push(EvidenceRef::url(what.en, &p.url));
    }
    let differing_vi: Vec<String> = differing.iter().map(|t| t.vi.clone()).collect();
    let differing_en: Vec<String> = differing.iter().map(|t| t.en.clone()).collect();
    let n = pages.len();
    Outcome::either(
        differing.is_empty(),
        expected,
        if differing.is_empty() {
            tr!("Giống nhau trên {n} trang", "identical on {n} pages")
        } else {
            Text::new(
                format!(
                    "{} / {n} trang khác: {}",
                    differing.len(),
                    list(&differing_vi, 4)
                ),
                format!(
                    "{} of {n} pages differ: {}",
                    differing.len(),
                    list(&differing_en, 4)
                ),
            )
        },
        Text::new(
            format!("Phần {} thống nhất trên {n} trang", region_vi(region)),
            format!("{} consistent across {n} pages", region.as_str()),
        ),
        Text::new(
            format!("Phần {} khác nhau giữa các trang", region_vi(region)),
            format!("{} differs between pages", region.as_str()),
        ),
    )
    .with_evidence(evidence)
    .with_credit((n - differing.len()) as f64 / n as f64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_query_value_naming_the_page_is_volatile() {
        let page = "https://dvc.example.gov.vn/gioi-thieu.html";
        assert!(super::names_page("/gioi-thieu.html", page));
        assert!(super::names_page(
            "https://dvc.example.gov.vn/gioi-thieu.html",
            page
        ));
        assert!(!super::names_page("/lien-he.html", page));
        assert!(!super::names_page("vi", page));
        let fp = super::Fingerprint::new(&[], &[]);
        assert_eq!(
            fp.href(
                "https://dvc.example.gov.vn/dang-nhap?ReturnUrl=%2Fgioi-thieu.html&lang=vi",
                page
            ),
            "https://dvc.example.gov.vn/dang-nhap?lang=vi"
        );
    }
}
