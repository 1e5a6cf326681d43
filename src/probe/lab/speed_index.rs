//! Speed Index from the frames painted during a load, computed as speedline-core 1.4 does when
//! Lighthouse calls it (`speedline(trace, {timeOrigin, fastMode: true, include: 'speedIndex'})`
//! in Lighthouse's `core/computed/speedline.js`). Each rule below is speedline's
//! (`core/lib/frame.js`, `core/lib/speed-index.js`):
//!
//! - frames before the start are dropped, the rest sorted by time, and a frame whose bytes equal
//!   the previous frame's is dropped;
//! - a white frame is put at the start time: it is the initial frame, so progress runs from a
//!   blank page to the last frame;
//! - a frame's histogram counts, per RGB channel, the value of every pixel that is not
//!   near-white (a pixel whose three channels are all ≥ 249 is left out), so the white start
//!   frame's histogram is empty;
//! - visual progress = `floor(100 · match / total)` over every channel `c` and value `v`, with
//!   `cur = |H(c,v) − H_first(c,v)|`, `tgt = |H_last(c,v) − H_first(c,v)|`, `match += min(cur,
//!   tgt)`, `total += tgt`; 100 when `total` is 0;
//! - fast mode (Lighthouse's) computes the progress of the first and last frame of a span and,
//!   when the two differ by less than an allowance that shrinks with the span's duration
//!   (5 points at 0 s, 3 at 1 s, tending to −1), gives the frames between the first one's
//!   progress without decoding them; otherwise it halves the span;
//! - `SI = (first paint − start) + Σ (tᵢ − tᵢ₋₁) · (1 − pᵢ₋₁/100)` over the frames after the
//!   first paint (the first frame with progress > 0): the area above the visual-progress curve;
//! - Lighthouse refuses a trace without frames (`NO_SCREENSHOTS`) and a Speed Index of 0
//!   (`SPEEDINDEX_OF_ZERO`, an entirely white page): both are errors here too.
//!
//! One difference remains: speedline decodes JPEG with jpeg-js, which samples chroma
//! nearest-neighbour, and this module with zune-jpeg, which smooths it like libjpeg, so pixels
//! at the edge of near-white can fall on the other side of 249. On speedline's own test traces
//! (`tests/fixtures/speedline`) progress stays within a point of speedline's and Speed Index
//! within 1 %.

use std::io::Cursor;

use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

/// A frame as the browser recorded it: when it was painted and its JPEG bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Paint time, in milliseconds on the same clock as the `start` given to [`speed_index`].
    pub ts_ms: f64,
    /// The screenshot, JPEG-encoded (as in trace `Screenshot` events and `Page.screencastFrame`).
    pub jpeg: Vec<u8>,
}

/// Per channel (R, G, B), how many non-white pixels have each value.
pub type Histogram = [[u32; 256]; 3];

/// A pixel whose three channels are all at least this is white and left out of histograms
/// (speedline `frame.js`, `isWhitePixel`).
pub const WHITE_MIN: u8 = 249;

/// Largest frame side decoded, in pixels: screenshots are a viewport (1350 × 940 desktop, 721 ×
/// 1440 for a DPR-1.75 mobile screen); anything far larger is refused, not decoded.
pub const MAX_SIDE: usize = 4096;

/// How progress is computed for the frames between two others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Lighthouse's: interpolate spans whose ends differ little (see the module docs).
    #[default]
    Fast,
    /// Every frame's progress computed from its own histogram.
    Full,
}

/// Why Speed Index could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpeedIndexError {
    /// No frame was painted at or after the start.
    #[error("no frame was painted at or after the start of the load")]
    NoFrames,
    /// A time is NaN or infinite.
    #[error("frame time {0} is not a finite number")]
    BadTime(f64),
    /// A frame could not be decoded.
    #[error("the frame painted at {ts_ms} ms is not a decodable JPEG: {message}")]
    Decode {
        /// The frame's time.
        ts_ms: f64,
        /// The decoder's message.
        message: String,
    },
    /// Raw pixels that are not whole RGB triplets.
    #[error("{0} bytes are not a whole number of RGB pixels")]
    NotRgb(usize),
    /// Every frame is the same as the white start: the page painted nothing but white.
    #[error(
        "Speed Index is 0: the page painted nothing but white (Lighthouse: SPEEDINDEX_OF_ZERO)"
    )]
    Zero,
}

/// The visual progress of one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameProgress {
    /// Milliseconds after the start.
    pub ts_ms: f64,
    /// Visual progress, 0–100.
    pub progress: u8,
    /// Whether fast mode gave it its span's first progress instead of computing it.
    pub interpolated: bool,
}

/// Speed Index and the visual-progress curve it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeedIndex {
    /// Speed Index, milliseconds.
    pub speed_index_ms: f64,
    /// First frame with progress > 0, milliseconds after the start.
    pub first_paint_ms: f64,
    /// First frame with progress 100, milliseconds after the start.
    pub visually_complete_ms: f64,
    /// Every frame kept, the white start frame first.
    pub frames: Vec<FrameProgress>,
}

/// Speed Index of a load that started at `start_ms`, from its frames (any order).
pub fn speed_index(
    frames: &[Frame],
    start_ms: f64,
    mode: Mode,
) -> Result<SpeedIndex, SpeedIndexError> {
    check_time(start_ms)?;
    for f in frames {
        check_time(f.ts_ms)?;
    }
    let mut kept: Vec<&Frame> = frames.iter().filter(|f| f.ts_ms >= start_ms).collect();
    kept.sort_by(|a, b| a.ts_ms.total_cmp(&b.ts_ms));
    kept.dedup_by(|b, a| a.jpeg == b.jpeg);
    let times: Vec<f64> = kept.iter().map(|f| f.ts_ms).collect();
    compute(start_ms, &times, mode, &mut |i| {
        decode_histogram(&kept[i].jpeg).map_err(|message| SpeedIndexError::Decode {
            ts_ms: kept[i].ts_ms,
            message,
        })
    })
}

/// Speed Index from frames already reduced to histograms, `(time, histogram)` in time order
/// and without repeats (what [`speed_index`] computes from the JPEGs).
pub fn speed_index_of_histograms(
    frames: &[(f64, Histogram)],
    start_ms: f64,
    mode: Mode,
) -> Result<SpeedIndex, SpeedIndexError> {
    check_time(start_ms)?;
    for (t, _) in frames {
        check_time(*t)?;
    }
    let kept: Vec<&(f64, Histogram)> = frames.iter().filter(|(t, _)| *t >= start_ms).collect();
    let times: Vec<f64> = kept.iter().map(|(t, _)| *t).collect();
    compute(start_ms, &times, mode, &mut |i| Ok(kept[i].1))
}

fn check_time(t: f64) -> Result<(), SpeedIndexError> {
    if t.is_finite() {
        Ok(())
    } else {
        Err(SpeedIndexError::BadTime(t))
    }
}

/// The histogram of raw RGB pixels (3 bytes each), near-white pixels left out.
pub fn histogram(rgb: &[u8]) -> Result<Histogram, SpeedIndexError> {
    if !rgb.len().is_multiple_of(3) {
        return Err(SpeedIndexError::NotRgb(rgb.len()));
    }
    let mut h = [[0_u32; 256]; 3];
    for px in rgb.chunks_exact(3) {
        add_pixel(&mut h, px[0], px[1], px[2]);
    }
    Ok(h)
}

fn add_pixel(h: &mut Histogram, r: u8, g: u8, b: u8) {
    if r >= WHITE_MIN && g >= WHITE_MIN && b >= WHITE_MIN {
        return;
    }
    h[0][usize::from(r)] += 1;
    h[1][usize::from(g)] += 1;
    h[2][usize::from(b)] += 1;
}

/// Decodes a JPEG and returns its histogram; a grey-scale JPEG counts as R = G = B.
pub fn decode_histogram(jpeg: &[u8]) -> Result<Histogram, String> {
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_max_width(MAX_SIDE)
        .set_max_height(MAX_SIDE);
    let mut decoder = JpegDecoder::new_with_options(Cursor::new(jpeg), options);
    let pixels = decoder.decode().map_err(|e| e.to_string())?;
    let components = decoder
        .output_colorspace()
        .map_or(0, |c| c.num_components());
    let mut h = [[0_u32; 256]; 3];
    match components {
        1 => pixels.iter().for_each(|&v| add_pixel(&mut h, v, v, v)),
        3 | 4 => pixels
            .chunks_exact(components)
            .for_each(|p| add_pixel(&mut h, p[0], p[1], p[2])),
        n => {
            return Err(format!(
                "{n} colour components per pixel, expected 1, 3 or 4"
            ));
        }
    }
    Ok(h)
}

/// Visual progress of `current` between `initial` and `target` (speedline
/// `calculateFrameProgress`), floored like speedline in floating point.
pub fn frame_progress(current: &Histogram, initial: &Histogram, target: &Histogram) -> u8 {
    let mut matched = 0_u64;
    let mut total = 0_u64;
    for c in 0..3 {
        for v in 0..256 {
            let cur = current[c][v].abs_diff(initial[c][v]);
            let tgt = target[c][v].abs_diff(initial[c][v]);
            matched += u64::from(cur.min(tgt));
            total += u64::from(tgt);
        }
    }
    if total == 0 {
        return 100;
    }
    // speedline: Math.floor(match / total * 100); match ≤ total, so 0–100.
    let p = (matched as f64 / total as f64 * 100.0).floor();
    #[expect(clippy::cast_sign_loss, reason = "clamped to 0–100")]
    let p = p.clamp(0.0, 100.0) as u8;
    p
}

/// How many points of progress fast mode lets two frames `elapsed_ms` apart differ by and
/// still interpolate the frames between them (speedline `calculateFastModeAllowableChange`:
/// `6 · e^(ln(4/6) · t/1000) − 1`, i.e. 5 at 0 s, 3 at 1 s, tending to −1).
pub fn fast_mode_allowance(elapsed_ms: f64) -> f64 {
    const MAX: f64 = 5.0;
    const MEDIAN: f64 = 3.0;
    const MIN: f64 = -1.0;
    let multiplier = MAX - MIN;
    let coefficient = ((MEDIAN - MIN) / multiplier).ln();
    multiplier * (coefficient * elapsed_ms / 1000.0).exp() + MIN
}

/// Frame 0 is the white start frame; frame `i ≥ 1` is `times[i − 1]`, its histogram `get(i − 1)`.
struct Curve<'a> {
    times: Vec<f64>,
    histograms: Vec<Option<Histogram>>,
    progress: Vec<Option<(u8, bool)>>,
    get: &'a mut dyn FnMut(usize) -> Result<Histogram, SpeedIndexError>,
}

impl Curve<'_> {
    fn histogram(&mut self, i: usize) -> Result<Histogram, SpeedIndexError> {
        if let Some(h) = self.histograms[i] {
            return Ok(h);
        }
        let h = (self.get)(i - 1)?;
        self.histograms[i] = Some(h);
        Ok(h)
    }

    fn progress_of(&mut self, i: usize) -> Result<u8, SpeedIndexError> {
        if let Some((p, _)) = self.progress[i] {
            return Ok(p);
        }
        let last = self.times.len() - 1;
        let target = self.histogram(last)?;
        let current = self.histogram(i)?;
        let initial = self.histogram(0)?;
        Ok(frame_progress(&current, &initial, &target))
    }

    /// speedline `calculateProgressBetweenFrames`; recursion depth is log₂ of the frame count.
    fn between(&mut self, lower: usize, upper: usize, mode: Mode) -> Result<(), SpeedIndexError> {
        if mode == Mode::Full {
            for i in lower..=upper {
                let p = self.progress_of(i)?;
                self.progress[i] = Some((p, false));
            }
            return Ok(());
        }
        let lp = self.progress_of(lower)?;
        let up = self.progress_of(upper)?;
        self.progress[lower] = Some((lp, false));
        self.progress[upper] = Some((up, false));
        let elapsed = self.times[upper] - self.times[lower];
        if f64::from(lp.abs_diff(up)) < fast_mode_allowance(elapsed) {
            for i in lower + 1..upper {
                self.progress[i] = Some((lp, true));
            }
        } else if upper - lower > 1 {
            let mid = lower.midpoint(upper);
            self.between(lower, mid, mode)?;
            self.between(mid, upper, mode)?;
        }
        Ok(())
    }
}

fn compute(
    start_ms: f64,
    frame_times: &[f64],
    mode: Mode,
    get: &mut dyn FnMut(usize) -> Result<Histogram, SpeedIndexError>,
) -> Result<SpeedIndex, SpeedIndexError> {
    if frame_times.is_empty() {
        return Err(SpeedIndexError::NoFrames);
    }
    let mut times = Vec::with_capacity(frame_times.len() + 1);
    times.push(start_ms);
    times.extend_from_slice(frame_times);
    let n = times.len();
    let mut histograms = vec![None; n];
    histograms[0] = Some([[0_u32; 256]; 3]);
    let mut curve = Curve {
        times,
        histograms,
        progress: vec![None; n],
        get,
    };
    curve.between(0, n - 1, mode)?;
    let frames: Vec<FrameProgress> = curve
        .times
        .iter()
        .zip(&curve.progress)
        .map(|(t, p)| {
            let (progress, interpolated) = p.unwrap_or((0, false));
            FrameProgress {
                ts_ms: t - start_ms,
                progress,
                interpolated,
            }
        })
        .collect();
    // The last frame's progress is 100 by construction (match = total), so both exist.
    let first_paint = frames
        .iter()
        .find(|f| f.progress > 0)
        .map_or(0.0, |f| f.ts_ms);
    let complete = frames
        .iter()
        .find(|f| f.progress >= 100)
        .map_or(0.0, |f| f.ts_ms);
    let mut si = first_paint;
    let mut prev_ts = frames[0].ts_ms;
    let mut prev_progress = f64::from(frames[0].progress) / 100.0;
    for f in &frames {
        if f.ts_ms > first_paint {
            si += (f.ts_ms - prev_ts) * (1.0 - prev_progress);
        }
        prev_ts = f.ts_ms;
        prev_progress = f64::from(f.progress) / 100.0;
    }
    // Lighthouse: `speedline.speedIndex === 0`; frames are sorted and after the start, so ≥ 0.
    if si <= 0.0 {
        return Err(SpeedIndexError::Zero);
    }
    Ok(SpeedIndex {
        speed_index_ms: si,
        first_paint_ms: first_paint,
        visually_complete_ms: complete,
        frames,
    })
}

#[cfg(test)]
#[path = "speed_index_tests.rs"]
mod tests;
