//! An exact latency histogram: HDR, microseconds from 1 µs to one hour, 3 significant digits
//! (every recorded value is kept within 0.1 %), serialised in the HDR V2 format (deflated,
//! base64) so histograms written by separate processes merge exactly.

use base64::Engine as _;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer as _, V2DeflateSerializer};
use serde::{Deserialize, Serialize, Serializer};

use crate::observation::Latency;

/// Largest value kept, µs (one hour); longer values are clamped to it.
pub const MAX_US: u64 = 3_600_000_000;

/// A latency histogram in microseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Hist(Histogram<u64>);

impl Default for Hist {
    fn default() -> Self {
        Self::new()
    }
}

impl Hist {
    /// An empty histogram (1 µs … 1 h, 3 significant digits).
    pub fn new() -> Self {
        Self(Histogram::new_with_bounds(1, MAX_US, 3).expect("valid HDR bounds"))
    }

    /// Records one latency in microseconds (0 counts as 1 µs; past an hour as an hour).
    pub fn record_us(&mut self, us: u64) {
        self.0.saturating_record(us.clamp(1, MAX_US));
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &Hist) {
        // Both have the same bounds, so `add` cannot fail; saturate rather than panic.
        if self.0.add(&other.0).is_err() {
            for v in other.0.iter_recorded() {
                self.0
                    .saturating_record_n(v.value_iterated_to(), v.count_at_value());
            }
        }
    }

    /// Values recorded.
    pub fn count(&self) -> u64 {
        self.0.len()
    }

    /// The value at quantile `q` (0–1), µs.
    pub fn quantile_us(&self, q: f64) -> u64 {
        self.0.value_at_quantile(q)
    }

    /// The summary, in milliseconds (all zero when empty).
    pub fn latency(&self) -> Latency {
        if self.0.is_empty() {
            return Latency::default();
        }
        let ms = |us: u64| us as f64 / 1000.0;
        Latency {
            count: self.0.len(),
            mean: (self.0.mean() / 1000.0 * 1000.0).round() / 1000.0,
            min: ms(self.0.min()),
            p50: ms(self.0.value_at_quantile(0.50)),
            p90: ms(self.0.value_at_quantile(0.90)),
            p95: ms(self.0.value_at_quantile(0.95)),
            p99: ms(self.0.value_at_quantile(0.99)),
            p999: ms(self.0.value_at_quantile(0.999)),
            max: ms(self.0.max()),
        }
    }

    /// HDR V2 (deflate) serialisation, base64.
    pub fn to_base64(&self) -> String {
        let mut buf = Vec::new();
        V2DeflateSerializer::new()
            .serialize(&self.0, &mut buf)
            .expect("serialising to memory cannot fail");
        base64::engine::general_purpose::STANDARD.encode(buf)
    }

    /// Reads [`Self::to_base64`]'s output (V2 or V2-deflate).
    pub fn from_base64(s: &str) -> Result<Self, String> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(s.trim())
            .map_err(|e| format!("not base64: {e}"))?;
        let h: Histogram<u64> = Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .map_err(|e| format!("not an HDR histogram: {e:?}"))?;
        // Re-home into our bounds so merging never fails on a foreign layout.
        let mut out = Self::new();
        for v in h.iter_recorded() {
            out.0
                .saturating_record_n(v.value_iterated_to().clamp(1, MAX_US), v.count_at_value());
        }
        Ok(out)
    }
}

impl Serialize for Hist {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Hist {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Hist::from_base64(&s).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Hist {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "HdrHistogramV2".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An HDR histogram of latencies in microseconds, V2 deflate serialisation, base64."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_v2_base64() {
        let mut h = Hist::new();
        for us in [1, 900, 1_000, 1_234_567, MAX_US + 5] {
            h.record_us(us);
        }
        let back = Hist::from_base64(&h.to_base64()).unwrap();
        assert_eq!(back.count(), 5);
        assert_eq!(back.latency(), h.latency());
        assert!(Hist::from_base64("not base64!").is_err());
        assert!(Hist::from_base64("aGVsbG8=").is_err());
    }

    #[test]
    fn keeps_three_significant_digits_above_a_second() {
        let mut h = Hist::new();
        h.record_us(1_200_000);
        let l = h.latency();
        assert!((l.p50 - 1200.0).abs() <= 1.2, "{l:?}");
        assert!((l.max - 1200.0).abs() <= 1.2, "{l:?}");
    }
}
