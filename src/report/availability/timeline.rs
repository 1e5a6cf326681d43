//! The availability timeline as an inline SVG drawn by hand: one bar per Vietnam calendar day
//! of the period, as tall as the share of the day the monitor covered and coloured by the
//! home page's uptime that day (display bands, not the verdict: the verdict uses the
//! checklist's `min-uptime` over the whole period), and below them a strip marking every
//! outage at its time and length. A `<title>` and `<desc>` say the same in words; each bar and
//! mark has its own `<title>` tooltip. Every text drawn is escaped (an outage's first error is
//! the portal's text).

use std::fmt::Write as _;

use crate::judge::availability::{human_duration, parse, vietnam_time};
use crate::observation::{Availability, DayUptime};
use crate::report::svg::escape;
use crate::text::Lang;

const WIDTH: f64 = 720.0;
const LEFT: f64 = 16.0;
const RIGHT: f64 = WIDTH - 16.0;
/// The legend row.
const TOP: f64 = 36.0;
const BAR_H: f64 = 72.0;
/// The outage strip below the bars.
const STRIP: f64 = 12.0;
const STRIP_GAP: f64 = 6.0;
/// The date labels.
const BOTTOM: f64 = 26.0;
const HEIGHT: f64 = TOP + BAR_H + STRIP_GAP + STRIP + BOTTOM;

const INK: &str = "#101828";
const SLOT: &str = "#f2f4f7";
const OUTAGE: &str = "#8b0000";

/// Display bands of a day's uptime: (least uptime, colour, label key), best first.
const BANDS: [(f64, &str, &str); 4] = [
    (0.999, "#1b7f3b", "avail_band_full"),
    (0.99, "#66a61e", "avail_band_high"),
    (0.95, "#b54708", "avail_band_mid"),
    (0.0, "#8b0000", "avail_band_low"),
];

fn label(key: &str, lang: Lang) -> String {
    crate::report::labels::get(key).get(lang).to_string()
}

/// A day's uptime over its monitored time; `None` when it was not monitored.
fn uptime(d: &DayUptime) -> Option<f64> {
    (d.monitored_s > 0.0).then(|| ((d.monitored_s - d.down_s) / d.monitored_s).clamp(0.0, 1.0))
}

fn band(u: f64) -> (&'static str, &'static str) {
    BANDS
        .iter()
        .find(|(min, ..)| u >= *min)
        .map_or(("#8b0000", "avail_band_low"), |(_, c, k)| (c, k))
}

/// The timeline of `a`'s daily figures and outages.
pub fn svg(avail: &Availability, lang: Lang) -> String {
    let mut days: Vec<&DayUptime> = avail.daily.iter().collect();
    days.sort_by(|x, y| x.date.cmp(&y.date));
    let count = days.len();
    let title = label("avail_timeline", lang);
    let worst = days
        .iter()
        .filter_map(|d| uptime(d).map(|u| (u, &d.date)))
        .min_by(|x, y| x.0.total_cmp(&y.0));
    let desc = format!(
        "{} {} – {}: {count} {}, {} {}{}",
        label("avail_timeline_desc", lang),
        vietnam_time(&avail.period.from),
        vietnam_time(&avail.period.to),
        label("avail_days", lang),
        avail.outages.len(),
        label("avail_outages_word", lang),
        worst.map_or_else(String::new, |(u, d)| format!(
            "; {} {d} ({:.3}%)",
            label("avail_worst_day", lang),
            u * 100.0
        )),
    );
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="avail-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="avail-title avail-desc" font-size="11" fill="{INK}"><title id="avail-title">{}</title><desc id="avail-desc">{}</desc>"#,
        escape(&title),
        escape(&desc)
    );
    // Legend.
    let mut x = LEFT;
    let legend = BANDS.iter().map(|(_, c, k)| (*c, label(k, lang))).chain([
        (SLOT, label("avail_band_none", lang)),
        (OUTAGE, label("avail_outage_mark", lang)),
    ]);
    for (colour, text) in legend {
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="10" width="10" height="10" fill="{colour}" stroke="{INK}" stroke-width="0.3"/><text x="{:.1}" y="19">{}</text>"#,
            x + 14.0,
            escape(&text)
        );
        #[allow(clippy::cast_precision_loss)]
        let advance = 14.0 + 6.2 * text.chars().count() as f64 + 14.0;
        x += advance;
    }
    if count == 0 {
        let _ = write!(
            out,
            r#"<text x="{LEFT}" y="{:.1}">{}</text></svg>"#,
            TOP + BAR_H / 2.0,
            escape(&label("avail_no_days", lang))
        );
        return out;
    }
    #[allow(clippy::cast_precision_loss)]
    let slot = (RIGHT - LEFT) / count as f64;
    let gap = if slot > 4.0 { slot * 0.15 } else { 0.0 };
    for (i, d) in days.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let x = LEFT + i as f64 * slot;
        let bw = (slot - gap).max(0.5);
        let _ = write!(
            out,
            r#"<rect x="{x:.2}" y="{TOP}" width="{bw:.2}" height="{BAR_H}" fill="{SLOT}"/>"#
        );
        let Some(u) = uptime(d) else {
            continue;
        };
        let covered = (d.monitored_s / 86_400.0).clamp(0.0, 1.0);
        let h = (BAR_H * covered).max(1.0);
        let (colour, key) = band(u);
        let tip = format!(
            "{}: {:.3}% ({}), {} {}, {} {}",
            d.date,
            u * 100.0,
            label(key, lang),
            label("avail_down", lang),
            human_duration(d.down_s).get(lang),
            label("avail_monitored_word", lang),
            human_duration(d.monitored_s).get(lang),
        );
        let _ = write!(
            out,
            r#"<rect x="{x:.2}" y="{:.2}" width="{bw:.2}" height="{h:.2}" fill="{colour}"><title>{}</title></rect>"#,
            TOP + BAR_H - h,
            escape(&tip)
        );
    }
    // Outage marks, placed by time within the period.
    let strip_y = TOP + BAR_H + STRIP_GAP;
    if let (Some(from), Some(to)) = (parse(&avail.period.from), parse(&avail.period.to))
        && to > from
    {
        let span = (to - from).as_seconds_f64();
        for o in &avail.outages {
            let Some(start) = parse(&o.start) else {
                continue;
            };
            let off = ((start - from).as_seconds_f64() / span).clamp(0.0, 1.0);
            let ox = LEFT + off * (RIGHT - LEFT);
            let ow = (o.duration_s / span * (RIGHT - LEFT))
                .max(2.0)
                .min(RIGHT - ox + 2.0);
            let tip = format!(
                "{} {} · {} · {}",
                o.target.as_str(),
                vietnam_time(&o.start),
                human_duration(o.duration_s).get(lang),
                o.first_error
            );
            let _ = write!(
                out,
                r#"<rect x="{ox:.2}" y="{strip_y:.1}" width="{ow:.2}" height="{STRIP}" fill="{OUTAGE}"><title>{}</title></rect>"#,
                escape(&tip)
            );
        }
    }
    // Date labels: about six, on whole days.
    let step = count.div_ceil(6).max(1);
    for (i, d) in days.iter().enumerate().step_by(step) {
        #[allow(clippy::cast_precision_loss)]
        let x = LEFT + i as f64 * slot;
        let short = d.date.get(5..).unwrap_or(&d.date);
        let _ = write!(
            out,
            r#"<text x="{x:.2}" y="{:.1}">{}</text>"#,
            HEIGHT - 8.0,
            escape(short)
        );
    }
    out.push_str("</svg>");
    out
}
