//! The report's "Trình duyệt / Browser" section: how the browser run went, the lab page-load
//! figures per timed page, the filmstrip of the slowest page, the screenshots, and where the
//! HTTP view and the rendered view of a page disagree (what an HTTP-only check of a
//! JavaScript-built portal misses). Bounded: the first pages, then a count of the rest.

use serde::Serialize;

use crate::observation::{
    BrowserStatus, HtmlFacts, LabMetric, Observations, PageMetrics, ThrottlingProfile,
};
use crate::text::{Lang, Text};

/// Pages shown at most in the screenshot and disagreement tables.
pub const SHOWN_PAGES: usize = 10;
/// Links counted as the same (HTTP vs rendered) when they differ by at most this many.
const LINK_SLACK: usize = 5;
/// The HTTP text counts as "much shorter" below this share of the rendered text.
const TEXT_SHARE: f64 = 0.5;

/// One timed page's figures.
#[derive(Debug, Clone, Serialize)]
pub struct MetricRowView {
    /// URL.
    pub url: String,
    /// Throttling profile.
    pub profile: String,
    /// Runs with figures / runs attempted.
    pub runs: String,
    /// TTFB, FCP, LCP, Speed Index, CLS: `median (p75, min–max)` or `—`.
    pub cells: Vec<String>,
}

/// One frame of the filmstrip.
#[derive(Debug, Clone, Serialize)]
pub struct FrameView {
    /// Milliseconds since navigation start, formatted.
    pub ms: String,
    /// Image path, relative to the report.
    pub path: String,
}

/// The filmstrip of the slowest timed page.
#[derive(Debug, Clone, Serialize)]
pub struct FilmstripView {
    /// URL.
    pub url: String,
    /// Profile.
    pub profile: String,
    /// Frames in time order.
    pub frames: Vec<FrameView>,
}

/// One page's screenshots.
#[derive(Debug, Clone, Serialize)]
pub struct ShotView {
    /// URL.
    pub url: String,
    /// Desktop screenshot, relative to the report.
    pub desktop: String,
    /// Mobile screenshot, relative to the report.
    pub mobile: String,
    /// Why the page could not be rendered.
    pub error: String,
}

/// One fact of a page seen two ways.
#[derive(Debug, Clone, Serialize)]
pub struct DiffRow {
    /// What is compared.
    pub fact: String,
    /// As the HTTP probe saw it.
    pub http: String,
    /// As the browser rendered it.
    pub rendered: String,
}

/// A page whose HTTP and rendered facts differ materially.
#[derive(Debug, Clone, Serialize)]
pub struct DisagreementView {
    /// URL.
    pub url: String,
    /// The facts that differ.
    pub rows: Vec<DiffRow>,
}

/// The browser section.
#[derive(Debug, Clone, Serialize)]
pub struct BrowserView {
    /// `ran`, `skipped`, `failed`.
    pub status: String,
    /// The status in the report's language.
    pub status_label: String,
    /// Why it was skipped or failed.
    pub reason: String,
    /// Browser name and version.
    pub browser_version: String,
    /// The WebDriver used.
    pub webdriver: String,
    /// Throttling profile.
    pub profile: String,
    /// Cold loads per timed page.
    pub runs: u32,
    /// "lab, applied throttling" or "lab, no throttling", in the report's language.
    pub method: String,
    /// Pages rendered, and HTML pages left to their HTTP facts by the bound.
    pub rendered_pages: u32,
    /// HTML pages not rendered.
    pub not_rendered: u32,
    /// Metric names, in cell order.
    pub metric_names: Vec<String>,
    /// The timed pages' figures.
    pub metrics: Vec<MetricRowView>,
    /// Filmstrip of the slowest page.
    pub filmstrip: Option<FilmstripView>,
    /// Screenshots (first pages).
    pub shots: Vec<ShotView>,
    /// Rendered pages not shown in `shots`.
    pub shots_more: usize,
    /// Pages whose views disagree (first pages).
    pub disagreements: Vec<DisagreementView>,
    /// Disagreeing pages not shown.
    pub disagreements_more: usize,
}

/// A path the probe wrote, shown only when it is relative and plain (never a URL with a
/// scheme, never outside the output directory).
pub(super) fn rel_path(p: &str) -> String {
    let plain = !p.is_empty()
        && !p.contains(':')
        && !p.starts_with('/')
        && !p.starts_with('\\')
        && !p.split(['/', '\\']).any(|s| s == "..");
    if plain { p.to_string() } else { String::new() }
}

fn cell(p: &PageMetrics, m: LabMetric) -> String {
    let Some(s) = p.spread(m) else {
        return "—".into();
    };
    if m == LabMetric::Cls {
        format!(
            "{:.3} (p75 {:.3}, {:.3}–{:.3})",
            s.median, s.p75, s.min, s.max
        )
    } else {
        format!(
            "{:.0} ms (p75 {:.0}, {:.0}–{:.0})",
            s.median, s.p75, s.min, s.max
        )
    }
}

const METRICS: [(LabMetric, &str); 5] = [
    (LabMetric::Ttfb, "TTFB"),
    (LabMetric::Fcp, "FCP"),
    (LabMetric::Lcp, "LCP"),
    (LabMetric::SpeedIndex, "Speed Index"),
    (LabMetric::Cls, "CLS"),
];

fn region(h: &HtmlFacts, part: &str) -> bool {
    match part {
        "header" => h.header.is_some(),
        "main" => h.main.is_some(),
        _ => h.footer.is_some(),
    }
}

/// The facts that differ materially between a page's HTTP and rendered views.
pub fn disagreements(http: &HtmlFacts, rendered: &HtmlFacts, lang: Lang) -> Vec<DiffRow> {
    let (yes, no) = (
        Text::new("có", "found").get(lang).to_string(),
        Text::new("không có", "not found").get(lang).to_string(),
    );
    let found = |b: bool| if b { yes.clone() } else { no.clone() };
    let mut rows = Vec::new();
    for (part, vi) in [
        ("header", "đầu trang"),
        ("main", "nội dung chính"),
        ("footer", "chân trang"),
    ] {
        let (a, b) = (region(http, part), region(rendered, part));
        if a != b {
            rows.push(DiffRow {
                fact: Text::new(vi, part).get(lang).to_string(),
                http: found(a),
                rendered: found(b),
            });
        }
    }
    let menu = |h: &HtmlFacts| h.menus.as_ref().is_some_and(|m| !m.is_empty());
    if menu(http) != menu(rendered) {
        rows.push(DiffRow {
            fact: Text::new("menu", "menu").get(lang).to_string(),
            http: found(menu(http)),
            rendered: found(menu(rendered)),
        });
    }
    if http.links.len().abs_diff(rendered.links.len()) > LINK_SLACK {
        rows.push(DiffRow {
            fact: Text::new("số liên kết", "links").get(lang).to_string(),
            http: http.links.len().to_string(),
            rendered: rendered.links.len().to_string(),
        });
    }
    let (a, b) = (http.text.chars().count(), rendered.text.chars().count());
    #[allow(clippy::cast_precision_loss)] // text lengths are far below 2^52
    if (a as f64) < TEXT_SHARE * b as f64 {
        let chars = Text::new("ký tự", "characters").get(lang).to_string();
        rows.push(DiffRow {
            fact: Text::new("độ dài văn bản", "text length")
                .get(lang)
                .to_string(),
            http: format!("{a} {chars}"),
            rendered: format!("{b} {chars}"),
        });
    }
    if http.emc.is_empty() != rendered.emc.is_empty() {
        rows.push(DiffRow {
            fact: Text::new("mã nhúng EMC", "EMC embed").get(lang).to_string(),
            http: found(!http.emc.is_empty()),
            rendered: found(!rendered.emc.is_empty()),
        });
    }
    rows
}

fn method(profile: ThrottlingProfile, lang: Lang) -> String {
    let t = if profile == ThrottlingProfile::None {
        Text::new(
            "đo trong phòng thí nghiệm, không giả lập mạng",
            "lab, no throttling",
        )
    } else {
        Text::new(
            "đo trong phòng thí nghiệm, giả lập mạng và CPU",
            "lab, applied throttling",
        )
    };
    t.get(lang).to_string()
}

/// The browser section, when the observations record a browser run.
pub fn build(obs: &Observations, lang: Lang) -> Option<BrowserView> {
    let run = obs.browser.as_ref()?;
    let (status, label) = match run.status {
        BrowserStatus::Ran => ("ran", Text::new("đã chạy", "ran")),
        BrowserStatus::Skipped => ("skipped", Text::new("bỏ qua", "skipped")),
        BrowserStatus::Failed => ("failed", Text::new("không chạy được", "failed")),
    };
    let metrics = obs
        .page_metrics
        .iter()
        .map(|p| MetricRowView {
            url: p.url.clone(),
            profile: p.profile.as_str().to_string(),
            runs: format!(
                "{}/{}",
                p.raw.iter().filter(|r| r.error.is_none()).count(),
                p.runs
            ),
            cells: METRICS.iter().map(|(m, _)| cell(p, *m)).collect(),
        })
        .collect();
    let filmstrip = run.filmstrip.as_ref().map(|f| FilmstripView {
        url: f.url.clone(),
        profile: f.profile.as_str().to_string(),
        frames: f
            .frames
            .iter()
            .map(|fr| FrameView {
                ms: format!("{:.0} ms", fr.ts_ms),
                path: rel_path(&fr.path),
            })
            .filter(|fr| !fr.path.is_empty())
            .collect(),
    });
    let shot = |v: Option<&crate::observation::View>| {
        v.and_then(|v| v.screenshot.as_deref())
            .map_or_else(String::new, rel_path)
    };
    let shots: Vec<ShotView> = obs
        .rendered
        .iter()
        .map(|(url, r)| ShotView {
            url: url.clone(),
            desktop: shot(r.desktop.as_ref()),
            mobile: shot(r.mobile.as_ref()),
            error: r.error.clone().unwrap_or_default(),
        })
        .collect();
    let differing: Vec<DisagreementView> = obs
        .pages
        .iter()
        .filter_map(|p| {
            let http = p.fetch.html.as_ref()?;
            let rendered = obs.rendered(p)?.html.as_ref()?;
            let rows = disagreements(http, rendered, lang);
            (!rows.is_empty()).then(|| DisagreementView {
                url: p.url.clone(),
                rows,
            })
        })
        .collect();
    Some(BrowserView {
        status: status.into(),
        status_label: label.get(lang).to_string(),
        reason: run.reason.clone().unwrap_or_default(),
        browser_version: run.browser_version.clone().unwrap_or_default(),
        webdriver: run.webdriver.clone().unwrap_or_default(),
        profile: run.profile.as_str().to_string(),
        runs: run.runs,
        method: method(run.profile, lang),
        rendered_pages: run.rendered_pages,
        not_rendered: run.not_rendered,
        metric_names: METRICS.iter().map(|(_, n)| (*n).to_string()).collect(),
        metrics,
        filmstrip,
        shots_more: shots.len().saturating_sub(SHOWN_PAGES),
        shots: shots.into_iter().take(SHOWN_PAGES).collect(),
        disagreements_more: differing.len().saturating_sub(SHOWN_PAGES),
        disagreements: differing.into_iter().take(SHOWN_PAGES).collect(),
    })
}

#[cfg(test)]
mod tests;
