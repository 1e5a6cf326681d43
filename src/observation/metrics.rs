//! Lab page-load metrics: each page loaded several times in a browser (cold cache) under a
//! throttling profile, every run's values kept so a stored evaluation can be re-judged, and
//! their median, p75 and range (`shared/MEASUREMENT.md`).

use serde::{Deserialize, Serialize};

/// The throttling a page was loaded under (Lighthouse's defaults, applied by `DevTools`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ThrottlingProfile {
    /// Lighthouse mobile ("Slow 4G", 4× CPU, 412 × 823 screen), applied request-level.
    Mobile,
    /// Lighthouse desktop as applied: no network throttling, 1× CPU, 1350 × 940 screen.
    Desktop,
    /// No throttling.
    None,
}

impl ThrottlingProfile {
    /// Name as written in scenarios and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ThrottlingProfile::Mobile => "mobile",
            ThrottlingProfile::Desktop => "desktop",
            ThrottlingProfile::None => "none",
        }
    }
}

impl TtfbDefinition {
    /// The formula, for reports.
    pub fn formula(self) -> &'static str {
        match self {
            Self::NavigationResponseStart => "responseStart − activationStart",
            Self::NavigationResponseEnd => "responseEnd − activationStart",
            Self::HttpProbe => "HTTP probe: request sent → response headers",
        }
    }
}

impl std::fmt::Display for ThrottlingProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a page's TTFB measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TtfbDefinition {
    /// The browser's navigation entry: `responseStart − activationStart` (web-vitals), so it
    /// includes redirects, DNS, connection and TLS. Under DevTools throttling the emulated
    /// latency lands after `responseStart` (`shared/STACK.md`), so — like Lighthouse's TTFB —
    /// it is the server's answer time, not the emulated network's.
    NavigationResponseStart,
    /// The browser's navigation entry: `responseEnd − activationStart`, which carries the
    /// emulated round trips. Recorded by kiemdinh 0.3 builds before TTFB followed Lighthouse;
    /// kept so those observations still read.
    NavigationResponseEnd,
    /// The HTTP probe's time to the final response's headers (includes redirects).
    HttpProbe,
}

/// A metric of a page load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabMetric {
    /// Time to first byte, ms.
    Ttfb,
    /// First Contentful Paint, ms.
    Fcp,
    /// Largest Contentful Paint, ms.
    Lcp,
    /// Speed Index, ms.
    SpeedIndex,
    /// Cumulative Layout Shift (unitless).
    Cls,
}

/// One cold load of a page: each metric when it was measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetricRun {
    /// Time to first byte, ms.
    pub ttfb_ms: Option<f64>,
    /// First Contentful Paint, ms after navigation start.
    pub fcp_ms: Option<f64>,
    /// Largest Contentful Paint (the latest entry), ms after navigation start.
    pub lcp_ms: Option<f64>,
    /// Speed Index, ms.
    pub speed_index_ms: Option<f64>,
    /// Cumulative Layout Shift (largest session window).
    pub cls: Option<f64>,
    /// Why the load failed (timeout, crashed tab); the values are what was seen before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Why a metric is missing from an otherwise good load (`Speed Index: no frames`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl MetricRun {
    /// A metric's value in this run.
    pub fn value(&self, metric: LabMetric) -> Option<f64> {
        match metric {
            LabMetric::Ttfb => self.ttfb_ms,
            LabMetric::Fcp => self.fcp_ms,
            LabMetric::Lcp => self.lcp_ms,
            LabMetric::SpeedIndex => self.speed_index_ms,
            LabMetric::Cls => self.cls,
        }
        .filter(|v| v.is_finite())
    }
}

/// A metric over the runs that measured it: median, 75th percentile and range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetricSpread {
    /// Runs that measured it.
    pub runs: u32,
    /// Median.
    pub median: f64,
    /// 75th percentile.
    pub p75: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl MetricSpread {
    /// The spread of some values; `None` when there is no finite one.
    pub fn of(values: &[f64]) -> Option<Self> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        v.sort_by(f64::total_cmp);
        Some(Self {
            runs: u32::try_from(v.len()).unwrap_or(u32::MAX),
            median: percentile(&v, 0.5)?,
            p75: percentile(&v, 0.75)?,
            min: *v.first()?,
            max: *v.last()?,
        })
    }
}

/// The `p`-quantile (0–1) of sorted values, interpolating linearly between the closest ranks
/// (Hyndman–Fan type 7, the default of R, `NumPy` and spreadsheets' `PERCENTILE.INC`): with `n`
/// values at ranks 0…n−1, rank `h = (n − 1)·p` and the value is `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] −
/// x[⌊h⌋])`. The median of an even count is the mean of the middle two; the p75 of 3 runs is
/// halfway between the 2nd and the 3rd. `None` for no values.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p.clamp(0.0, 1.0);
    #[expect(clippy::cast_sign_loss, reason = "h is within 0..=last")]
    let lo = (h.floor() as usize).min(last);
    let hi = (lo + 1).min(last);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// A page's lab metrics reduced to the medians (`evaluation.json`'s top-level `page_metrics[]`,
/// the contract in DESIGN.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetricsSummary {
    /// The URL loaded.
    pub url: String,
    /// The throttling profile.
    pub profile: ThrottlingProfile,
    /// Loads attempted.
    pub runs: u32,
    /// Median time to first byte, ms.
    pub ttfb_ms: Option<f64>,
    /// Median First Contentful Paint, ms.
    pub fcp_ms: Option<f64>,
    /// Median Largest Contentful Paint, ms.
    pub lcp_ms: Option<f64>,
    /// Median Speed Index, ms.
    pub speed_index_ms: Option<f64>,
    /// Median Cumulative Layout Shift.
    pub cls: Option<f64>,
}

/// A page's lab metrics under one profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PageMetrics {
    /// The URL loaded.
    pub url: String,
    /// The throttling profile.
    pub profile: ThrottlingProfile,
    /// Loads attempted (each with a cold cache).
    pub runs: u32,
    /// What `ttfb` measures.
    pub ttfb_definition: TtfbDefinition,
    /// Time to first byte, ms.
    pub ttfb: Option<MetricSpread>,
    /// First Contentful Paint, ms.
    pub fcp: Option<MetricSpread>,
    /// Largest Contentful Paint, ms.
    pub lcp: Option<MetricSpread>,
    /// Speed Index, ms.
    pub speed_index: Option<MetricSpread>,
    /// Cumulative Layout Shift.
    pub cls: Option<MetricSpread>,
    /// Every run, in order: what the summaries are computed from.
    pub raw: Vec<MetricRun>,
}

impl PageMetrics {
    /// Summarises a page's runs.
    pub fn from_runs(
        url: impl Into<String>,
        profile: ThrottlingProfile,
        ttfb_definition: TtfbDefinition,
        raw: Vec<MetricRun>,
    ) -> Self {
        let spread = |m| spread_of(&raw, m);
        Self {
            url: url.into(),
            profile,
            runs: u32::try_from(raw.len()).unwrap_or(u32::MAX),
            ttfb_definition,
            ttfb: spread(LabMetric::Ttfb),
            fcp: spread(LabMetric::Fcp),
            lcp: spread(LabMetric::Lcp),
            speed_index: spread(LabMetric::SpeedIndex),
            cls: spread(LabMetric::Cls),
            raw,
        }
    }

    /// A metric's spread, recomputed from the raw runs (what judges use, so a re-judged file
    /// does not depend on its stored summaries).
    pub fn spread(&self, metric: LabMetric) -> Option<MetricSpread> {
        spread_of(&self.raw, metric)
    }

    /// The medians, as `evaluation.json` lists them.
    pub fn summary(&self) -> MetricsSummary {
        let median = |m| self.spread(m).map(|s| (s.median * 1000.0).round() / 1000.0);
        MetricsSummary {
            url: self.url.clone(),
            profile: self.profile,
            runs: self.runs,
            ttfb_ms: median(LabMetric::Ttfb),
            fcp_ms: median(LabMetric::Fcp),
            lcp_ms: median(LabMetric::Lcp),
            speed_index_ms: median(LabMetric::SpeedIndex),
            cls: median(LabMetric::Cls),
        }
    }

    /// Why runs failed or missed metrics, each once.
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.raw {
            for p in r.error.iter().chain(&r.notes) {
                if !out.contains(p) {
                    out.push(p.clone());
                }
            }
        }
        out
    }
}

fn spread_of(raw: &[MetricRun], metric: LabMetric) -> Option<MetricSpread> {
    let values: Vec<f64> = raw.iter().filter_map(|r| r.value(metric)).collect();
    MetricSpread::of(&values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(fcp: f64) -> MetricRun {
        MetricRun {
            fcp_ms: Some(fcp),
            ..MetricRun::default()
        }
    }

    #[test]
    fn percentiles_interpolate_between_closest_ranks() {
        let v = [100.0, 200.0, 400.0];
        assert_eq!(percentile(&v, 0.5), Some(200.0));
        assert_eq!(percentile(&v, 0.75), Some(300.0));
        assert_eq!(percentile(&v, 0.0), Some(100.0));
        assert_eq!(percentile(&v, 1.0), Some(400.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.75), Some(3.25));
        assert_eq!(percentile(&[7.0], 0.75), Some(7.0));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn runs_summarise_each_metric_over_the_runs_that_measured_it() {
        let mut failed = run(f64::NAN);
        failed.fcp_ms = None;
        failed.error = Some("timeout after 30 s".into());
        let mut no_frames = run(900.0);
        no_frames.notes = vec!["Speed Index: no frames".into()];
        let mut r = vec![run(1200.0), no_frames, run(3000.0), failed];
        r[0].speed_index_ms = Some(2000.0);
        r[2].speed_index_ms = Some(f64::INFINITY);
        let m = PageMetrics::from_runs(
            "https://dvc.mau.gov.vn/",
            ThrottlingProfile::Mobile,
            TtfbDefinition::NavigationResponseStart,
            r,
        );
        assert_eq!(m.runs, 4);
        let fcp = m.fcp.unwrap();
        assert_eq!(
            (fcp.runs, fcp.median, fcp.p75, fcp.min, fcp.max),
            (3, 1200.0, 2100.0, 900.0, 3000.0)
        );
        assert_eq!(m.speed_index.unwrap().runs, 1);
        assert_eq!(m.lcp, None);
        assert_eq!(m.spread(LabMetric::Fcp), m.fcp);
        assert_eq!(
            m.problems(),
            ["Speed Index: no frames", "timeout after 30 s"]
        );
        let summary = serde_json::to_value(m.summary()).unwrap();
        assert_eq!(summary["fcp_ms"], 1200.0);
        assert_eq!(summary["lcp_ms"], serde_json::Value::Null);
        assert_eq!(summary["speed_index_ms"], 2000.0);
        assert_eq!(
            (summary["profile"].as_str(), summary["runs"].as_u64()),
            (Some("mobile"), Some(4))
        );
    }

    #[test]
    fn stored_metrics_round_trip_through_json() {
        let m = PageMetrics::from_runs(
            "https://dvc.mau.gov.vn/",
            ThrottlingProfile::Desktop,
            TtfbDefinition::NavigationResponseStart,
            vec![run(800.0)],
        );
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains("\"profile\":\"desktop\""), "{json}");
        assert!(json.contains("\"ttfb_definition\":\"navigation-response-start\""));
        assert_eq!(serde_json::from_str::<PageMetrics>(&json).unwrap(), m);
    }
}
