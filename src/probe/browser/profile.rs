//! Throttling profiles: the numbers behind `mobile`, `desktop` and `none`, as Lighthouse 13
//! applies them with `--throttling-method=devtools`, and the user agents it emulates.

use serde_json::{Value, json};

/// A throttling profile for page loads: the observation type, so what a run used is what the
/// evaluation records.
pub use crate::observation::ThrottlingProfile as Profile;

/// The numbers behind one [`Profile`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conditions {
    /// Added round-trip latency per request, ms (0 = none).
    pub latency_ms: f64,
    /// Download throughput, kbit/s (`None` = unthrottled).
    pub down_kbps: Option<f64>,
    /// Upload throughput, kbit/s (`None` = unthrottled).
    pub up_kbps: Option<f64>,
    /// CPU slowdown factor (1 = none).
    pub cpu_slowdown: f64,
    /// Viewport width, CSS px.
    pub width: u32,
    /// Viewport height, CSS px.
    pub height: u32,
    /// Device pixel ratio.
    pub device_scale_factor: f64,
    /// Mobile emulation (viewport meta, touch).
    pub mobile: bool,
    /// The emulated browser, `None` = the host's own user agent.
    pub user_agent: Option<UserAgent>,
}

/// An emulated user agent as Lighthouse sets it (`core/lib/emulation.js`: `emulate`,
/// `matchHostUAVersion`, `parseUseragentIntoMetadata`): the string with its `Chrome/…` version
/// replaced by the host's milestone (`Chrome/156.0.0.0`), plus client-hint metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserAgent {
    /// The `User-Agent` string as Lighthouse ships it (`Chrome/136.0.0.0`).
    pub template: &'static str,
    /// `Sec-CH-UA-Platform`.
    pub platform: &'static str,
    /// `Sec-CH-UA-Platform-Version`.
    pub platform_version: &'static str,
    /// `Sec-CH-UA-Arch`.
    pub architecture: &'static str,
    /// `Sec-CH-UA-Model`.
    pub model: &'static str,
}

/// Lighthouse 13 `core/config/constants.js` `MOTOG4_USERAGENT`, metadata `motoGPowerDetails`.
const MOBILE_UA: UserAgent = UserAgent {
    template: "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 \
               (KHTML, like Gecko) Chrome/136.0.0.0 Mobile Safari/537.36",
    platform: "Android",
    platform_version: "11.0",
    architecture: "",
    model: "moto g power (2022)",
};

/// Lighthouse 13 `core/config/constants.js` `DESKTOP_USERAGENT`, metadata `macDesktopDetails`.
const DESKTOP_UA: UserAgent = UserAgent {
    template: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 \
               (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36",
    platform: "macOS",
    platform_version: "10.15.7",
    architecture: "x86",
    model: "",
};

impl UserAgent {
    /// The string with its `Chrome/x.y.z.w` version set to `milestone.0.0.0`, as Lighthouse's
    /// `matchHostUAVersion` does; `None` keeps the template.
    pub fn string_for(self, milestone: Option<u32>) -> String {
        let Some(m) = milestone else {
            return self.template.to_string();
        };
        let Some(at) = self.template.find("Chrome/") else {
            return self.template.to_string();
        };
        let version_start = at + "Chrome/".len();
        let rest = &self.template[version_start..];
        let version_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        format!(
            "{}{m}.0.0.0{}",
            &self.template[..version_start],
            &rest[version_len..]
        )
    }

    /// `Network.setUserAgentOverride` parameters for a host of `milestone`.
    pub fn override_params(self, milestone: Option<u32>, mobile: bool) -> Value {
        let mut params = json!({ "userAgent": self.string_for(milestone) });
        if let Some(m) = milestone {
            let version = m.to_string();
            params["userAgentMetadata"] = json!({
                "brands": [
                    { "brand": "Chromium", "version": version },
                    { "brand": "Google Chrome", "version": version },
                ],
                "fullVersion": format!("{m}.0.0.0"),
                "platform": self.platform,
                "platformVersion": self.platform_version,
                "architecture": self.architecture,
                "model": self.model,
                "mobile": mobile,
            });
        }
        params
    }
}

/// The major version in a `browserVersion` capability (`156.0.7390.54`) or a
/// `Browser.getVersion` product (`HeadlessChrome/156.0.7390.54`).
pub(super) fn milestone(version: &str) -> Option<u32> {
    let v = version.rsplit('/').next()?;
    v.split('.').next()?.parse().ok()
}

/// The profiles' numbers: what Lighthouse 13 *applies* with `--throttling-method=devtools`
/// (`core/lib/emulation.js` `throttle` → `enableNetworkThrottling` with the profile's
/// `requestLatencyMs`, `downloadThroughputKbps`, `uploadThroughputKbps`, and
/// `cpuSlowdownMultiplier`; the profiles are lantern's `Constants.js` in npm
/// `@paulirish/trace_engine`; screens and user agents `core/config/constants.js`).
///
/// - `mobile` = `mobileSlow4G`: RTT 150 ms × 3.75 = 562.5 ms request latency, 1.6 × 1024 =
///   1638.4 kbit/s × 0.9 = 1474.56 kbit/s down, 750 × 0.9 = 675 kbit/s up, CPU 4×.
/// - `desktop` = `desktopDense4G` (what `--preset=desktop` selects): its `rttMs: 40` and
///   `throughputKbps: 10240` only feed Lighthouse's *simulation*; the applied figures are
///   `requestLatencyMs: 0 // 0 means unset`, `downloadThroughputKbps: 0`,
///   `uploadThroughputKbps: 0`, i.e. **no network throttling**, CPU 1×. Measured against
///   Lighthouse (benches/lighthouse-compare), emulating 40 ms / 10 Mbit/s here would add one
///   emulated round trip per request that Lighthouse never adds.
/// - `none`: nothing emulated but the desktop screen; the host's user agent.
const PROFILES: [(Profile, Conditions); 3] = [
    (
        Profile::Mobile,
        Conditions {
            latency_ms: 562.5,
            down_kbps: Some(1474.56),
            up_kbps: Some(675.0),
            cpu_slowdown: 4.0,
            width: 412,
            height: 823,
            device_scale_factor: 1.75,
            mobile: true,
            user_agent: Some(MOBILE_UA),
        },
    ),
    (
        Profile::Desktop,
        Conditions {
            latency_ms: 0.0,
            down_kbps: None,
            up_kbps: None,
            cpu_slowdown: 1.0,
            width: 1350,
            height: 940,
            device_scale_factor: 1.0,
            mobile: false,
            user_agent: Some(DESKTOP_UA),
        },
    ),
    (
        Profile::None,
        Conditions {
            latency_ms: 0.0,
            down_kbps: None,
            up_kbps: None,
            cpu_slowdown: 1.0,
            width: 1350,
            height: 940,
            device_scale_factor: 1.0,
            mobile: false,
            user_agent: None,
        },
    ),
];

impl Profile {
    /// This profile's numbers.
    pub fn conditions(self) -> Conditions {
        PROFILES
            .iter()
            .find(|(p, _)| *p == self)
            .map(|(_, c)| *c)
            .expect("every profile is in the table")
    }

    /// Whether network latency is emulated (then `responseStart` does not move, see
    /// `STACK.md`).
    pub fn throttles_network(self) -> bool {
        let c = self.conditions();
        c.latency_ms > 0.0 || c.down_kbps.is_some() || c.up_kbps.is_some()
    }
}

/// kbit/s → bytes/s the way Lighthouse converts (`Math.floor(kbps * 1024 / 8)`); -1 disables
/// throttling.
pub(super) fn bytes_per_second(kbps: Option<f64>) -> f64 {
    kbps.map_or(-1.0, |k| (k * 1024.0 / 8.0).floor())
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn profiles_carry_the_lighthouse_numbers() {
        let m = Profile::Mobile.conditions();
        assert!((m.latency_ms - 562.5).abs() < f64::EPSILON);
        assert_eq!(m.down_kbps, Some(1474.56));
        assert_eq!(m.up_kbps, Some(675.0));
        assert!((m.cpu_slowdown - 4.0).abs() < f64::EPSILON);
        assert_eq!((m.width, m.height, m.mobile), (412, 823, true));
        assert!((m.device_scale_factor - 1.75).abs() < f64::EPSILON);
        let d = Profile::Desktop.conditions();
        // desktopDense4G as applied: requestLatencyMs 0, throughputs 0 ("unset"), CPU 1×.
        assert_eq!(
            (d.latency_ms, d.down_kbps, d.up_kbps, d.cpu_slowdown),
            (0.0, None, None, 1.0)
        );
        assert_eq!((d.width, d.height, d.mobile), (1350, 940, false));
        assert!(Profile::Mobile.throttles_network());
        assert!(!Profile::Desktop.throttles_network());
        assert!(!Profile::None.throttles_network());
        assert_eq!(m.user_agent, Some(MOBILE_UA));
        assert_eq!(d.user_agent, Some(DESKTOP_UA));
        assert_eq!(Profile::None.conditions().user_agent, None);
    }

    #[test]
    fn mobile_numbers_are_lighthouse_constants_times_its_devtools_factors() {
        // lantern Constants.js: DEVTOOLS_RTT_ADJUSTMENT_FACTOR 3.75, THROUGHPUT 0.9;
        // mobileSlow4G rttMs 150, throughputKbps 1.6 * 1024, upload 750.
        let m = Profile::Mobile.conditions();
        assert!((m.latency_ms - 150.0 * 3.75).abs() < 1e-9);
        assert!((m.down_kbps.unwrap() - 1.6 * 1024.0 * 0.9).abs() < 1e-9);
        assert!((m.up_kbps.unwrap() - 750.0 * 0.9).abs() < 1e-9);
    }

    #[test]
    fn throughput_converts_like_lighthouse() {
        // Math.floor(1474.56 * 1024 / 8) = Math.floor(188,743.68) = 188,743 bytes/s
        assert!((bytes_per_second(Some(1474.56)) - 188_743.0).abs() < f64::EPSILON);
        assert!((bytes_per_second(Some(675.0)) - 86_400.0).abs() < f64::EPSILON);
        assert!((bytes_per_second(None) + 1.0).abs() < f64::EPSILON);
    }

    #[test]
    fn user_agent_takes_the_host_milestone_like_lighthouse() {
        assert_eq!(
            MOBILE_UA.string_for(Some(156)),
            "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 \
             (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
        );
        assert_eq!(
            DESKTOP_UA.string_for(Some(156)),
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 \
             (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
        );
        assert!(MOBILE_UA.template.contains("Chrome/136.0.0.0"));
        assert_eq!(MOBILE_UA.string_for(None), MOBILE_UA.template);
        let p = MOBILE_UA.override_params(Some(156), true);
        assert_eq!(p["userAgentMetadata"]["platform"], "Android");
        assert_eq!(p["userAgentMetadata"]["model"], "moto g power (2022)");
        assert_eq!(p["userAgentMetadata"]["mobile"], true);
        assert_eq!(p["userAgentMetadata"]["brands"][0]["version"], "156");
        assert_eq!(p["userAgentMetadata"]["fullVersion"], "156.0.0.0");
        let p = DESKTOP_UA.override_params(None, false);
        assert!(p.get("userAgentMetadata").is_none(), "{p}");
        assert_eq!(milestone("156.0.7390.54"), Some(156));
        assert_eq!(milestone("HeadlessChrome/156.0.7390.54"), Some(156));
        assert_eq!(milestone("unknown"), None);
    }

    #[test]
    fn profiles_serialise_kebab_case() {
        assert_eq!(serde_json::to_string(&Profile::None).unwrap(), "\"none\"");
        let p: Profile = serde_json::from_str("\"mobile\"").unwrap();
        assert_eq!(p, Profile::Mobile);
        assert_eq!(Profile::Desktop.to_string(), "desktop");
    }
}
