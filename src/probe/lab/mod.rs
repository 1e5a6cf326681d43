//! Lab page-load metrics computed from what a browser recorded: Speed Index from the frames
//! painted during a load, CLS from the layout-shift entries. Pure functions, no I/O: the
//! browser probe records, these compute, so a computation can be tested on synthetic input and
//! repeated on stored input.
//!
//! The definitions are the tools' own (`shared/MEASUREMENT.md`): speedline 1.x, as Lighthouse
//! calls it, for Speed Index; web-vitals' session windows for CLS.

pub mod cls;
pub mod speed_index;

use crate::observation::MetricRun;
use cls::LayoutShift;
use speed_index::{Frame, Mode};

/// What one browser load recorded, times in milliseconds on the page's clock (navigation start
/// = `start_ms`, usually 0).
#[derive(Debug, Clone, Copy)]
pub struct Load<'a> {
    /// `responseStart − activationStart` of the navigation entry.
    pub ttfb_ms: Option<f64>,
    /// `first-contentful-paint` entry's `startTime`.
    pub fcp_ms: Option<f64>,
    /// The latest `largest-contentful-paint` entry's `startTime`.
    pub lcp_ms: Option<f64>,
    /// Every `layout-shift` entry.
    pub layout_shifts: &'a [LayoutShift],
    /// The frames painted during the load.
    pub frames: &'a [Frame],
    /// Navigation start on the frames' clock.
    pub start_ms: f64,
    /// Why the load failed, if it did.
    pub error: Option<&'a str>,
}

/// How far the first painted frame's trace timestamp may precede the page's own FCP entry: the
/// two clocks are read at different points of the same paint (seen: 1–2 ms; the page's timings
/// are coarsened to whole milliseconds). A last frame further before FCP means the trace
/// stopped recording. A measurement-validity bound, not a verdict threshold.
const FRAME_CLOCK_SLACK_MS: f64 = 50.0;

/// One run's metrics: the timings as recorded, Speed Index from the frames (Lighthouse's fast
/// mode) and CLS from the shifts; a metric that cannot be computed is `None` with a note why.
/// Speed Index and CLS describe a whole load, so a failed load has neither.
pub fn metric_run(load: &Load<'_>) -> MetricRun {
    let finite = |v: Option<f64>| v.filter(|x| x.is_finite() && *x >= 0.0);
    let mut notes = Vec::new();
    let whole = load.error.is_none();
    // Frames that all predate the first contentful paint cannot show the page's progress (the
    // trace stopped recording screenshots early): no figure rather than a wrong, tiny one.
    let last_frame = load
        .frames
        .iter()
        .map(|f| f.ts_ms)
        .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))));
    let frames_end_early = matches!(
        (last_frame, finite(load.fcp_ms)),
        (Some(last), Some(fcp)) if last - load.start_ms < fcp - FRAME_CLOCK_SLACK_MS
    );
    let speed_index_ms = match speed_index::speed_index(load.frames, load.start_ms, Mode::Fast) {
        Ok(_) if frames_end_early => {
            notes.push(
                "Speed Index: the recorded frames end before the first contentful paint".into(),
            );
            None
        }
        Ok(si) if whole => Some(si.speed_index_ms),
        Ok(_) => None,
        Err(e) => {
            notes.push(format!("Speed Index: {e}"));
            None
        }
    };
    MetricRun {
        ttfb_ms: finite(load.ttfb_ms),
        fcp_ms: finite(load.fcp_ms),
        lcp_ms: finite(load.lcp_ms),
        speed_index_ms,
        cls: whole.then(|| cls::cumulative_layout_shift(load.layout_shifts)),
        error: load.error.map(str::to_string),
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_black() -> Vec<u8> {
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 90)
            .encode(&[0_u8; 8 * 8 * 3], 8, 8, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        out
    }

    #[test]
    fn frames_that_end_before_the_first_paint_give_no_speed_index() {
        let frames = [Frame {
            ts_ms: 180.0,
            jpeg: jpeg_black(),
        }];
        let run = metric_run(&Load {
            ttfb_ms: Some(600.0),
            fcp_ms: Some(1440.0),
            lcp_ms: Some(1440.0),
            layout_shifts: &[],
            frames: &frames,
            start_ms: 0.0,
            error: None,
        });
        assert_eq!(run.speed_index_ms, None);
        assert!(
            run.notes[0].contains("before the first contentful paint"),
            "{run:?}"
        );
        assert_eq!(run.fcp_ms, Some(1440.0));
    }

    #[test]
    fn a_load_becomes_a_run_with_speed_index_and_cls() {
        let frames = [Frame {
            ts_ms: 700.0,
            jpeg: jpeg_black(),
        }];
        let shifts = [LayoutShift {
            ts_ms: 300.0,
            value: 0.04,
            had_recent_input: false,
        }];
        let run = metric_run(&Load {
            ttfb_ms: Some(120.0),
            fcp_ms: Some(650.0),
            lcp_ms: Some(f64::NAN),
            layout_shifts: &shifts,
            frames: &frames,
            start_ms: 0.0,
            error: None,
        });
        assert_eq!(run.speed_index_ms, Some(700.0));
        assert_eq!(run.cls, Some(0.04));
        assert_eq!(
            (run.ttfb_ms, run.fcp_ms, run.lcp_ms),
            (Some(120.0), Some(650.0), None)
        );
        assert!(run.notes.is_empty() && run.error.is_none());
    }

    #[test]
    fn a_failed_load_keeps_no_whole_load_metric() {
        let frames = [Frame {
            ts_ms: 700.0,
            jpeg: jpeg_black(),
        }];
        let run = metric_run(&Load {
            ttfb_ms: Some(90.0),
            fcp_ms: None,
            lcp_ms: None,
            layout_shifts: &[],
            frames: &frames,
            start_ms: 0.0,
            error: Some("page did not finish loading in 30 s"),
        });
        assert_eq!((run.speed_index_ms, run.cls), (None, None));
        assert_eq!(run.ttfb_ms, Some(90.0));
        assert!(run.notes.is_empty());
        assert_eq!(
            run.error.as_deref(),
            Some("page did not finish loading in 30 s")
        );
    }

    #[test]
    fn a_load_without_frames_says_why_speed_index_is_missing() {
        let run = metric_run(&Load {
            ttfb_ms: None,
            fcp_ms: None,
            lcp_ms: None,
            layout_shifts: &[],
            frames: &[],
            start_ms: 0.0,
            error: None,
        });
        assert_eq!(run.speed_index_ms, None);
        assert_eq!(
            run.notes,
            ["Speed Index: no frame was painted at or after the start of the load"]
        );
        assert_eq!(run.cls, Some(0.0));
    }
}
