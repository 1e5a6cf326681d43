//! Helpers every hand-drawn inline SVG chart shares (the load report's capacity curve, the
//! ranking's charts): round axis ticks, their labels, and escaping of the text drawn.

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
        super::load::group(value.max(0.0).round() as u64)
    } else {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let decimals = (-step.log10().floor()) as usize;
        format!("{value:.decimals$}")
    }
}

/// Escapes text for an SVG element or attribute (also what tera does to HTML, so a name
/// reads the same in both).
pub fn escape(s: &str) -> String {
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

/// At most `max` characters of `s` (NFC text), ending in `…` when cut, never inside a
/// character's combining marks; the flag says whether it was cut (the full text then goes in
/// a `<title>` tooltip).
pub fn truncate(s: &str, max: usize) -> (String, bool) {
    if s.chars().count() <= max {
        return (s.to_string(), false);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut end = max.saturating_sub(1);
    while end > 0 && unicode_normalization::char::is_combining_mark(chars[end]) {
        end -= 1;
    }
    let mut kept = chars[..end].to_vec();
    kept.pop_if(|c| c.is_whitespace());
    let mut out: String = kept.into_iter().collect();
    out.push('…');
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn truncation_keeps_short_text_and_cuts_long_text_on_a_character() {
        assert_eq!(truncate("Cổng ắ ộ", 8), ("Cổng ắ ộ".to_string(), false));
        assert_eq!(
            truncate("Cổng Dịch vụ công", 6),
            ("Cổng…".to_string(), true)
        );
        // A decomposed mark is never separated from its letter.
        let (cut, was) = truncate("abcde\u{301}fgh", 6);
        assert!(was);
        assert_eq!(cut, "abcd…");
    }
}
