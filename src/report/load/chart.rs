//! The capacity curve as an inline SVG drawn by hand: three small multiples sharing the x axis
//! (concurrent users) — response time (p95 solid, mean dashed), error rate (%) and requests per
//! second — with round ticks, a filled dot for each step that held and a hollow one for each
//! that broke, and a dashed line at the capacity. No script, no external font (the text takes
//! the report's font), no colour that needs a screen: the dashes and the hollow dots carry the
//! meaning in print too.
//!
//! The SVG holds numbers and the shipped labels only (escaped all the same), never portal or
//! scenario text, so the template can mark it safe without opening a hole.

use std::fmt::Write as _;

use crate::observation::CapacityStep;
use crate::text::{Lang, Text};

const WIDTH: f64 = 720.0;
/// Room for the y tick labels.
const LEFT: f64 = 64.0;
const RIGHT: f64 = WIDTH - 24.0;
/// The legend row and the first panel's title.
const TOP: f64 = 48.0;
const PANEL: f64 = 110.0;
/// Between panels: room for the next panel's title.
const GAP: f64 = 40.0;
/// The x tick labels and the axis title.
const BOTTOM: f64 = 44.0;
const Y_TICKS: usize = 4;
const X_TICKS: usize = 6;

const INK: &str = "#101828";
const AXIS: &str = "#98a2b3";
const GRID: &str = "#e4e7ec";
const P95: &str = "#8b0000";
const MEAN: &str = "#175cd3";
const ERRORS: &str = "#b54708";
const RPS: &str = "#1b7f3b";

/// Round tick values from 0 up to at least `max`: a step of 1, 2 or 5 × 10ⁿ chosen so there
/// are about `target` intervals (never more than `target + 1`). A `max` that is zero, negative
/// or not a number gives `[0, 1]`, so an axis always has a length.
pub fn nice_ticks(max: f64, target: usize) -> Vec<f64> {
    let target = target.clamp(1, 20);
    if !max.is_finite() || max <= 0.0 {
        return vec![0.0, 1.0];
    }
    let step = nice_step(max / target as f64);
    // The small slack keeps 100 / 20 = 5.000000001 from adding a sixth interval.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let n = ((max / step) - 1e-9).ceil().max(1.0) as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

/// The round step (1, 2 or 5 × 10ⁿ) at or above `raw`.
fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// A tick's label with as many decimals as its step needs (`0.2`, `1 000`).
pub fn tick_label(value: f64, step: f64) -> String {
    if step >= 1.0 || step <= 0.0 || !step.is_finite() {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        super::group(value.max(0.0).round() as u64)
    } else {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let decimals = (-step.log10().floor()) as usize;
        format!("{value:.decimals$}")
    }
}

/// Escapes text for an SVG element or attribute.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A figure that can be drawn: not a number or negative is drawn as 0.
fn drawable(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 { v } else { 0.0 }
}

/// One line of a panel.
struct Line {
    values: Vec<f64>,
    colour: &'static str,
    dashed: bool,
}

/// One small multiple.
struct Panel {
    title: String,
    lines: Vec<Line>,
    /// A legend drawn right of the title: (colour, dashed, label).
    legend: Vec<(&'static str, bool, String)>,
}

fn label(key: &str, lang: Lang) -> String {
    super::labels::get(key).get(lang).to_string()
}

/// The curve of a capacity search, or an empty string when no step ran. `capacity` is the
/// largest step that held (marked by a dashed line).
pub fn render(steps: &[CapacityStep], capacity: Option<u32>, lang: Lang) -> String {
    if steps.is_empty() {
        return String::new();
    }
    let mut order: Vec<&CapacityStep> = steps.iter().collect();
    order.sort_by_key(|s| s.users);
    let users: Vec<f64> = order.iter().map(|s| f64::from(s.users)).collect();
    let held: Vec<bool> = order.iter().map(|s| s.passed).collect();
    let series = |f: &dyn Fn(&CapacityStep) -> f64| -> Vec<f64> {
        order.iter().map(|s| drawable(f(s))).collect()
    };
    let panels = [
        Panel {
            title: label("load_chart_latency", lang),
            lines: vec![
                Line {
                    values: series(&|s| s.latency_ms.p95),
                    colour: P95,
                    dashed: false,
                },
                Line {
                    values: series(&|s| s.latency_ms.mean),
                    colour: MEAN,
                    dashed: true,
                },
            ],
            legend: vec![
                (P95, false, "p95".to_string()),
                (MEAN, true, label("load_mean", lang)),
            ],
        },
        Panel {
            title: label("load_chart_errors", lang),
            lines: vec![Line {
                values: series(&|s| {
                    if s.requests == 0 {
                        0.0
                    } else {
                        s.errors as f64 * 100.0 / s.requests as f64
                    }
                }),
                colour: ERRORS,
                dashed: false,
            }],
            legend: Vec::new(),
        },
        Panel {
            title: label("load_chart_rps", lang),
            lines: vec![Line {
                values: series(&|s| s.rps),
                colour: RPS,
                dashed: false,
            }],
            legend: Vec::new(),
        },
    ];
    let height = TOP + 3.0 * PANEL + 2.0 * GAP + BOTTOM;
    let x_ticks = nice_ticks(users.iter().copied().fold(0.0, f64::max), X_TICKS);
    let x_max = x_ticks.last().copied().unwrap_or(1.0);
    let x_step = x_ticks.get(1).copied().unwrap_or(1.0);
    let x = |u: f64| LEFT + u / x_max * (RIGHT - LEFT);

    let t = |vi: &str, en: &str| Text::new(vi, en).get(lang).to_string();
    let headline = match capacity {
        Some(n) => {
            label("load_capacity_headline", lang).replace("{n}", &super::group(u64::from(n)))
        }
        None => label("load_capacity_none", lang)
            .replace("{n}", &super::group(u64::from(order[0].users))),
    };
    let aria = format!(
        "{}: {} {}, {} {} {} {} {}; {}",
        label("load_chart_title", lang),
        steps.len(),
        t("bước", "steps"),
        t("từ", "from"),
        order[0].users,
        t("đến", "to"),
        order[order.len() - 1].users,
        label("load_chart_users", lang),
        headline
    );
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="load-chart" id="load-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{}" font-size="11" fill="{INK}">"#,
        escape(&aria)
    );
    let _ = write!(
        s,
        "<title>{}</title><desc>{}</desc>",
        escape(&label("load_chart_title", lang)),
        escape(&aria)
    );
    // Legend: held, broke, capacity.
    let _ = write!(
        s,
        r##"<g class="legend"><circle cx="{}" cy="14" r="3.5" fill="{INK}"/><text x="{}" y="18">{}</text><circle cx="{}" cy="14" r="3.5" fill="#fff" stroke="{INK}" stroke-width="1.5"/><text x="{}" y="18">{}</text><line x1="{}" y1="6" x2="{}" y2="22" stroke="{INK}" stroke-dasharray="2 3"/><text x="{}" y="18">{}</text></g>"##,
        LEFT,
        LEFT + 8.0,
        escape(&label("load_held", lang)),
        LEFT + 90.0,
        LEFT + 98.0,
        escape(&label("load_broke", lang)),
        LEFT + 190.0,
        LEFT + 190.0,
        LEFT + 198.0,
        escape(&t("năng lực", "capacity")),
    );
    for (i, p) in panels.iter().enumerate() {
        let top = TOP + i as f64 * (PANEL + GAP);
        let bottom = top + PANEL;
        let y_max_data = p
            .lines
            .iter()
            .flat_map(|l| l.values.iter().copied())
            .fold(0.0, f64::max);
        let y_ticks = nice_ticks(y_max_data, Y_TICKS);
        let y_max = y_ticks.last().copied().unwrap_or(1.0);
        let y_step = y_ticks.get(1).copied().unwrap_or(1.0);
        let y = |v: f64| bottom - v / y_max * PANEL;
        let _ = write!(
            s,
            r#"<g class="panel"><text x="{LEFT}" y="{:.1}" font-weight="600">{}</text>"#,
            top - 10.0,
            escape(&p.title)
        );
        for (k, (colour, dashed, name)) in p.legend.iter().enumerate() {
            let lx = RIGHT - 170.0 + k as f64 * 85.0;
            let _ = write!(
                s,
                r#"<line x1="{lx:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2"{}/><text x="{:.1}" y="{:.1}">{}</text>"#,
                top - 14.0,
                lx + 22.0,
                top - 14.0,
                if *dashed {
                    r#" stroke-dasharray="5 3""#
                } else {
                    ""
                },
                lx + 26.0,
                top - 10.0,
                escape(name)
            );
        }
        for v in &y_ticks {
            let _ = write!(
                s,
                r#"<line x1="{LEFT}" y1="{yy:.1}" x2="{RIGHT}" y2="{yy:.1}" stroke="{GRID}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                LEFT - 6.0,
                y(*v) + 4.0,
                tick_label(*v, y_step),
                yy = y(*v),
            );
        }
        for v in &x_ticks {
            let _ = write!(
                s,
                r#"<line x1="{xx:.1}" y1="{bottom:.1}" x2="{xx:.1}" y2="{:.1}" stroke="{AXIS}"/>"#,
                bottom + 4.0,
                xx = x(*v),
            );
        }
        let _ = write!(
            s,
            r#"<path d="M{LEFT} {top:.1}V{bottom:.1}H{RIGHT}" fill="none" stroke="{AXIS}"/>"#
        );
        for l in &p.lines {
            let points: Vec<String> = users
                .iter()
                .zip(&l.values)
                .map(|(u, v)| format!("{:.1},{:.1}", x(*u), y(*v)))
                .collect();
            if points.len() > 1 {
                let _ = write!(
                    s,
                    r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{}/>"#,
                    points.join(" "),
                    l.colour,
                    if l.dashed {
                        r#" stroke-dasharray="5 3""#
                    } else {
                        ""
                    }
                );
            }
            for ((u, v), ok) in users.iter().zip(&l.values).zip(&held) {
                let _ = write!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{}" stroke="{}" stroke-width="1.5"/>"#,
                    x(*u),
                    y(*v),
                    if *ok { l.colour } else { "#fff" },
                    l.colour
                );
            }
        }
        s.push_str("</g>");
    }
    let last_bottom = TOP + 3.0 * PANEL + 2.0 * GAP;
    for v in &x_ticks {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(*v),
            last_bottom + 16.0,
            tick_label(*v, x_step)
        );
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        f64::midpoint(LEFT, RIGHT),
        height - 6.0,
        escape(&label("load_chart_users", lang))
    );
    if let Some(c) = capacity {
        let cx = x(f64::from(c));
        let _ = write!(
            s,
            r#"<g class="capacity"><line x1="{cx:.1}" y1="{:.1}" x2="{cx:.1}" y2="{last_bottom:.1}" stroke="{INK}" stroke-dasharray="2 3"/><text x="{:.1}" y="{:.1}" font-weight="600">{}</text></g>"#,
            TOP - 4.0,
            cx + 4.0,
            TOP + 10.0,
            super::group(u64::from(c))
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::Latency;

    #[test]
    fn ticks_are_round_start_at_zero_and_cover_the_maximum() {
        assert_eq!(nice_ticks(100.0, 5), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(97.0, 5), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(1234.0, 5), [0.0, 500.0, 1000.0, 1500.0]);
        assert_eq!(nice_ticks(7.0, 4), [0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(nice_ticks(1.0, 1), [0.0, 1.0]);
        for bad in [0.0, -3.0, f64::NAN, f64::INFINITY] {
            assert_eq!(nice_ticks(bad, 5), [0.0, 1.0], "{bad}");
        }
        let small = nice_ticks(0.3, 4);
        assert_eq!(small.len(), 4);
        assert!((small[3] - 0.3).abs() < 1e-12, "{small:?}");
        // Any maximum, any count: round steps, covered, bounded.
        for max in [0.004, 0.9, 3.0, 49.0, 50.0, 51.0, 999.0, 12_345.0, 5e9] {
            for target in [1, 4, 6, 10] {
                let t = nice_ticks(max, target);
                assert!(
                    *t.last().unwrap() >= max * (1.0 - 1e-9),
                    "{max} {target} {t:?}"
                );
                assert!(t.len() <= target + 2, "{max} {target} {t:?}");
                let step = t[1];
                let mantissa = step / 10f64.powf(step.log10().floor());
                assert!(
                    [1.0, 2.0, 5.0, 10.0]
                        .iter()
                        .any(|m| (m - mantissa).abs() < 1e-9),
                    "{max} {target} {step}"
                );
            }
        }
    }

    #[test]
    fn tick_labels_have_the_decimals_the_step_needs() {
        assert_eq!(tick_label(0.0, 0.2), "0.0");
        assert_eq!(tick_label(0.1 + 0.2 + 0.3, 0.2), "0.6");
        assert_eq!(tick_label(0.05, 0.05), "0.05");
        assert_eq!(tick_label(1500.0, 500.0), "1500");
        assert_eq!(tick_label(20_000.0, 5000.0), "20 000");
    }

    #[test]
    fn svg_text_is_escaped() {
        assert_eq!(
            escape(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }

    fn step(users: u32, p95: f64, passed: bool) -> CapacityStep {
        CapacityStep {
            users,
            duration_s: 30.0,
            requests: 1000,
            errors: u64::from(!passed) * 40,
            rps: f64::from(users) * 2.0,
            latency_ms: Latency {
                count: 1000,
                mean: p95 / 2.0,
                p95,
                ..Latency::default()
            },
            passed,
            broke: None,
        }
    }

    #[test]
    fn one_step_is_drawn_as_dots_without_lines() {
        assert_eq!(render(&[], None, Lang::Vi), "");
        let svg = render(&[step(50, f64::NAN, false)], None, Lang::En);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(!svg.contains("<polyline"), "one point, no line");
        assert_eq!(svg.matches("<circle").count(), 2 + 4, "legend + 4 dots");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title>Capacity curve</title>"));
        assert!(svg.contains("no step held, not even the first (50 users)"));
        assert!(
            !svg.contains(r#"class="capacity""#),
            "no capacity, no marker"
        );
    }

    #[test]
    fn fifty_steps_are_drawn_with_the_capacity_marked_at_its_users() {
        let steps: Vec<CapacityStep> = (1..=50)
            .map(|k| step(k * 100, f64::from(k) * 40.0, k <= 42))
            .collect();
        let svg = render(&steps, Some(4200), Lang::Vi);
        assert_eq!(
            svg.matches("<polyline").count(),
            4,
            "p95, mean, errors, rps"
        );
        assert_eq!(svg.matches("<circle").count(), 2 + 4 * 50);
        assert_eq!(
            svg.matches(r##"fill="#fff""##).count(),
            1 + 4 * 8,
            "broken steps hollow"
        );
        // x: 0..5000 in steps of 1000 over 632 px: 4200 users at 64 + 0.84 × 632.
        assert!(
            svg.contains(r#"<line x1="594.9" y1="44.0" x2="594.9""#),
            "{svg}"
        );
        assert!(svg.contains(">4200</text></g></svg>"));
        assert!(svg.contains(">5000</text>") && svg.contains(">2000</text>"));
        assert!(svg.contains("Năng lực: 4200 người dùng đồng thời"));
        assert!(svg.contains("50 bước, từ 100 đến 5000"));
        // The p95 axis covers 2000 ms in round steps.
        assert!(svg.contains(">2000</text>") && svg.contains(">500</text>"));
    }
}
