//! Speed Index on synthetic frames: histograms built from raw pixels, and JPEGs encoded here.
#![expect(clippy::float_cmp, reason = "the synthetic times are exact in binary")]

use super::*;

/// A `w`×`h` RGB JPEG whose pixel at (x, y) is `f(x, y)`.
fn jpeg(w: u16, h: u16, f: impl Fn(u16, u16) -> [u8; 3]) -> Vec<u8> {
    let mut data = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for y in 0..h {
        for x in 0..w {
            data.extend(f(x, y));
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 95)
        .encode(&data, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

const BLACK: [u8; 3] = [0, 0, 0];
const WHITE: [u8; 3] = [255, 255, 255];

/// `n` pixels of `colour` followed by white up to 100 pixels.
fn hist(colour: [u8; 3], n: usize) -> Histogram {
    let mut rgb = Vec::new();
    for i in 0..100 {
        rgb.extend(if i < n { colour } else { WHITE });
    }
    histogram(&rgb).unwrap()
}

fn frame(ts_ms: f64, jpeg: Vec<u8>) -> Frame {
    Frame { ts_ms, jpeg }
}

#[test]
fn histograms_leave_out_near_white_pixels_only() {
    let rgb = [255, 255, 255, 249, 249, 249, 248, 255, 255, 0, 10, 20];
    let h = histogram(&rgb).unwrap();
    assert_eq!(h[0][248], 1, "one channel below 249 is not white");
    assert_eq!(h[0][249] + h[0][255], 0, "all three ≥ 249 is white");
    assert_eq!((h[0][0], h[1][10], h[2][20]), (1, 1, 1));
    assert_eq!(h.iter().flatten().sum::<u32>(), 6);
    assert_eq!(histogram(&[1, 2]), Err(SpeedIndexError::NotRgb(2)));
}

#[test]
fn progress_is_the_floored_share_of_the_histogram_change() {
    let white = [[0_u32; 256]; 3];
    let full = hist(BLACK, 100);
    assert_eq!(frame_progress(&hist(BLACK, 50), &white, &full), 50);
    assert_eq!(frame_progress(&hist(BLACK, 33), &white, &full), 33);
    assert_eq!(frame_progress(&white, &white, &full), 0);
    assert_eq!(frame_progress(&full, &white, &full), 100);
    // Overshooting the target counts no more than the target.
    assert_eq!(
        frame_progress(&hist(BLACK, 100), &white, &hist(BLACK, 40)),
        100
    );
    // A different colour is no progress towards black.
    assert_eq!(frame_progress(&hist([9, 9, 9], 100), &white, &full), 0);
    // No change from start to end: 100.
    assert_eq!(frame_progress(&white, &white, &white), 100);
}

#[test]
fn fast_mode_allowance_follows_speedline() {
    assert!((fast_mode_allowance(0.0) - 5.0).abs() < 1e-9);
    assert!((fast_mode_allowance(1000.0) - 3.0).abs() < 1e-9);
    assert!(fast_mode_allowance(10_000.0) < 0.0);
}

#[test]
fn a_page_painted_at_once_has_its_paint_time_as_speed_index() {
    for mode in [Mode::Fast, Mode::Full] {
        let si = speed_index_of_histograms(&[(1500.0, hist(BLACK, 100))], 1000.0, mode).unwrap();
        assert!((si.speed_index_ms - 500.0).abs() < 1e-9, "{mode:?}: {si:?}");
        assert_eq!(si.first_paint_ms, 500.0);
        assert_eq!(si.visually_complete_ms, 500.0);
        let curve: Vec<(f64, u8)> = si.frames.iter().map(|f| (f.ts_ms, f.progress)).collect();
        assert_eq!(curve, [(0.0, 0), (500.0, 100)]);
    }
}

#[test]
fn half_at_200_ms_and_the_rest_at_1000_ms_is_the_area_above_the_curve() {
    // 200 ms at 0 % + 800 ms at 50 % = 200 + 400.
    let frames = [(200.0, hist(BLACK, 50)), (1000.0, hist(BLACK, 100))];
    for mode in [Mode::Fast, Mode::Full] {
        let si = speed_index_of_histograms(&frames, 0.0, mode).unwrap();
        assert!((si.speed_index_ms - 600.0).abs() < 1e-9, "{mode:?}: {si:?}");
        assert_eq!(si.first_paint_ms, 200.0);
        assert_eq!(si.visually_complete_ms, 1000.0);
    }
}

#[test]
fn fast_mode_interpolates_a_flat_span_and_full_mode_does_not() {
    let mut frames: Vec<(f64, Histogram)> = (1..=9)
        .map(|i| (f64::from(i) * 100.0, hist(BLACK, 50)))
        .collect();
    frames.push((1000.0, hist(BLACK, 100)));
    let fast = speed_index_of_histograms(&frames, 0.0, Mode::Fast).unwrap();
    let full = speed_index_of_histograms(&frames, 0.0, Mode::Full).unwrap();
    assert!(fast.frames.iter().any(|f| f.interpolated), "{fast:?}");
    assert!(full.frames.iter().all(|f| !f.interpolated));
    assert!(fast.frames[3].interpolated && fast.frames[3].progress == 50);
    assert_eq!(fast.speed_index_ms, full.speed_index_ms);
    assert!((full.speed_index_ms - 550.0).abs() < 1e-9, "{full:?}");
}

#[test]
fn jpeg_frames_give_the_same_area_as_their_pixels() {
    // 8-pixel-aligned halves keep every JPEG block uniform, so decoding is near-exact.
    let half = jpeg(32, 32, |x, _| if x < 16 { BLACK } else { WHITE });
    let full = jpeg(32, 32, |_, _| BLACK);
    let frames = [frame(1200.0, half), frame(2000.0, full)];
    let si = speed_index(&frames, 1000.0, Mode::Fast).unwrap();
    assert_eq!(si.frames[1].progress, 50, "{si:?}");
    assert!((si.speed_index_ms - 600.0).abs() < 1e-6, "{si:?}");
    // Order of arrival does not matter.
    let reversed = [frames[1].clone(), frames[0].clone()];
    assert_eq!(speed_index(&reversed, 1000.0, Mode::Fast).unwrap(), si);
}

#[test]
fn frames_before_the_start_and_repeats_are_dropped() {
    let full = jpeg(16, 16, |_, _| [20, 40, 200]);
    let frames = [
        frame(100.0, jpeg(16, 16, |_, _| BLACK)),
        frame(700.0, full.clone()),
        frame(900.0, full),
    ];
    let si = speed_index(&frames, 200.0, Mode::Full).unwrap();
    assert_eq!(si.frames.len(), 2, "{si:?}");
    assert!((si.speed_index_ms - 500.0).abs() < 1e-9);
}

#[test]
fn grey_scale_jpegs_count_as_equal_channels() {
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 95)
        .encode(&[0_u8; 64], 8, 8, jpeg_encoder::ColorType::Luma)
        .unwrap();
    let h = decode_histogram(&out).unwrap();
    for (c, channel) in h.iter().enumerate() {
        assert_eq!(channel.iter().sum::<u32>(), 64, "channel {c}");
        let near_black: u32 = channel[..4].iter().sum();
        assert_eq!(near_black, 64, "near black in channel {c}");
    }
}

#[test]
fn no_frames_is_an_error_not_a_panic() {
    assert_eq!(
        speed_index(&[], 0.0, Mode::Fast),
        Err(SpeedIndexError::NoFrames)
    );
    let early = [frame(10.0, jpeg(8, 8, |_, _| BLACK))];
    assert_eq!(
        speed_index(&early, 50.0, Mode::Fast),
        Err(SpeedIndexError::NoFrames)
    );
    assert!(matches!(
        speed_index(&early, f64::NAN, Mode::Fast),
        Err(SpeedIndexError::BadTime(_))
    ));
}

#[test]
fn a_corrupt_jpeg_is_an_error_naming_its_frame() {
    let good = jpeg(16, 16, |_, _| BLACK);
    for bad in [b"not a jpeg".to_vec(), good[..20].to_vec(), Vec::new()] {
        let frames = [frame(300.0, good.clone()), frame(800.0, bad)];
        match speed_index(&frames, 0.0, Mode::Fast) {
            Err(SpeedIndexError::Decode { ts_ms, message }) => {
                assert_eq!(ts_ms, 800.0);
                assert!(!message.is_empty());
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}

#[test]
fn an_all_white_page_has_no_speed_index() {
    let white = [frame(400.0, jpeg(16, 16, |_, _| WHITE))];
    assert_eq!(
        speed_index(&white, 0.0, Mode::Fast),
        Err(SpeedIndexError::Zero)
    );
}

/// speedline's reading of a trace: screenshot events' times (µs → ms) and JPEGs, and the
/// start = the earliest non-zero event time (no `timeOrigin` given).
fn trace_frames(name: &str) -> (f64, Vec<Frame>) {
    use base64::Engine as _;
    let path = format!(
        "{}/tests/fixtures/speedline/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let trace: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let events = trace["traceEvents"].as_array().unwrap();
    let ts = |e: &serde_json::Value| e["ts"].as_f64().unwrap();
    let start = events
        .iter()
        .map(ts)
        .filter(|t| *t != 0.0)
        .fold(f64::MAX, f64::min)
        / 1000.0;
    let frames = events
        .iter()
        .filter(|e| {
            e["cat"]
                .as_str()
                .unwrap()
                .contains("disabled-by-default-devtools.screenshot")
        })
        .map(|e| Frame {
            ts_ms: ts(e) / 1000.0,
            jpeg: base64::engine::general_purpose::STANDARD
                .decode(e["args"]["snapshot"].as_str().unwrap())
                .unwrap(),
        })
        .collect();
    (start, frames)
}

/// speedline decodes with jpeg-js, which samples chroma nearest-neighbour; zune-jpeg smooths it
/// like libjpeg, so pixels at the edge of near-white differ (the last frame of the two-frame
/// trace has 18 276 non-white pixels for jpeg-js, 16 828 here). Progress stays within a point
/// of speedline's and Speed Index within 1 %.
#[test]
fn speedline_traces_give_speedlines_speed_index_within_a_point_of_progress() {
    for (name, expected, progress) in [
        ("oneframe-content", 4242.0, &[0, 100][..]),
        ("twoframes-blank_content", 1970.0, &[0, 3, 100]),
        ("twoframes-content_more", 1040.0, &[0, 96, 100]),
        ("threeframes-blank_content_more", 2040.0, &[0, 0, 96, 100]),
    ] {
        let (start, frames) = trace_frames(name);
        for mode in [Mode::Full, Mode::Fast] {
            let si = speed_index(&frames, start, mode).unwrap();
            let ours: Vec<u8> = si.frames.iter().map(|f| f.progress).collect();
            assert_eq!(ours.len(), progress.len(), "{name}: {si:?}");
            for (a, b) in ours.iter().zip(progress) {
                assert!(
                    a.abs_diff(*b) <= 1,
                    "{name} {mode:?}: {ours:?} vs {progress:?}"
                );
            }
            let off = (si.speed_index_ms - expected).abs() / expected;
            assert!(
                off <= 0.01,
                "{name} {mode:?}: {} vs {expected}",
                si.speed_index_ms
            );
        }
    }
}
