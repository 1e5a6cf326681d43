//! Cumulative Layout Shift from the `layout-shift` entries a page reported, as web-vitals
//! (`onCLS`) computes it: entries with `hadRecentInput` are left out; the rest are grouped into
//! session windows, a new window starting when an entry comes 1 s or more after the previous
//! one or 5 s or more after its window's first; CLS is the largest window's sum.

use serde::{Deserialize, Serialize};

/// Gap after the previous shift that closes a session window (web-vitals: `< 1000`).
pub const SESSION_GAP_MS: f64 = 1000.0;

/// Longest session window (web-vitals: `< 5000` from the window's first entry).
pub const SESSION_MAX_MS: f64 = 5000.0;

/// One `layout-shift` performance entry, as the browser probe collects it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LayoutShift {
    /// The entry's `startTime`, milliseconds.
    pub ts_ms: f64,
    /// The entry's `value` (layout-shift score).
    pub value: f64,
    /// The entry's `hadRecentInput`: the shift followed user input and does not count.
    pub had_recent_input: bool,
}

/// CLS of a load: the largest session window's sum; 0 without shifts. Entries may come in any
/// order; entries whose time or value is not a finite number ≥ 0 are ignored.
pub fn cumulative_layout_shift(entries: &[LayoutShift]) -> f64 {
    let mut counted: Vec<&LayoutShift> = entries
        .iter()
        .filter(|e| {
            !e.had_recent_input && e.ts_ms.is_finite() && e.value.is_finite() && e.value >= 0.0
        })
        .collect();
    counted.sort_by(|a, b| a.ts_ms.total_cmp(&b.ts_ms));
    let mut largest = 0.0_f64;
    let mut window = 0.0_f64;
    let mut first = 0.0_f64;
    let mut last = 0.0_f64;
    for e in counted {
        // web-vitals: `sessionValue && gap < 1000 && span < 5000` — an empty (0) window
        // starts afresh.
        if window > 0.0 && e.ts_ms - last < SESSION_GAP_MS && e.ts_ms - first < SESSION_MAX_MS {
            window += e.value;
        } else {
            window = e.value;
            first = e.ts_ms;
        }
        last = e.ts_ms;
        largest = largest.max(window);
    }
    largest
}

#[cfg(test)]
#[expect(clippy::float_cmp, reason = "0 is exact")]
mod tests {
    use super::*;

    fn shift(ts_ms: f64, value: f64) -> LayoutShift {
        LayoutShift {
            ts_ms,
            value,
            had_recent_input: false,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn no_shift_is_zero() {
        assert_eq!(cumulative_layout_shift(&[]), 0.0);
    }

    #[test]
    fn shifts_less_than_a_second_apart_add_up() {
        let e = [shift(100.0, 0.05), shift(900.0, 0.05), shift(1800.0, 0.02)];
        assert!(close(cumulative_layout_shift(&e), 0.12));
    }

    #[test]
    fn a_gap_of_a_second_starts_a_new_window_and_the_largest_counts() {
        let e = [shift(0.0, 0.05), shift(1000.0, 0.02), shift(1500.0, 0.04)];
        assert!(close(cumulative_layout_shift(&e), 0.06));
        // Order of arrival does not matter.
        let r = [e[2], e[0], e[1]];
        assert!(close(cumulative_layout_shift(&r), 0.06));
    }

    #[test]
    fn a_window_closes_after_five_seconds() {
        // Every gap < 1 s, but the sixth entry is 5 s after the first.
        let e: Vec<_> = (0..7)
            .map(|i| shift(f64::from(i) * 999.0 + 1.0, 0.01))
            .collect();
        // Entries at 1, 1000, …, 4996 (6 of them, span 4995 < 5000); 5995 starts a new one.
        assert!(close(cumulative_layout_shift(&e), 0.06));
        let exact = [
            shift(0.0, 0.1),
            shift(900.0, 0.1),
            shift(1800.0, 0.1),
            shift(2700.0, 0.1),
            shift(3600.0, 0.1),
            shift(4500.0, 0.1),
            shift(5000.0, 0.1),
        ];
        assert!(close(cumulative_layout_shift(&exact), 0.6));
    }

    #[test]
    fn shifts_after_input_and_invalid_entries_do_not_count() {
        let mut input = shift(200.0, 0.5);
        input.had_recent_input = true;
        let e = [
            shift(0.0, 0.01),
            input,
            shift(300.0, f64::NAN),
            shift(f64::INFINITY, 0.3),
            shift(400.0, -1.0),
        ];
        assert!(close(cumulative_layout_shift(&e), 0.01));
    }

    #[test]
    fn a_zero_window_does_not_hold_the_next_shift() {
        // web-vitals restarts the window when its sum is 0: the window starts at 900, not 0,
        // so the shift at 5400 is still inside it (0.6, not 0.5).
        let mut e = vec![shift(0.0, 0.0)];
        e.extend((1..=6).map(|i| shift(f64::from(i) * 900.0, 0.1)));
        assert!(
            close(cumulative_layout_shift(&e), 0.6),
            "{}",
            cumulative_layout_shift(&e)
        );
    }
}
