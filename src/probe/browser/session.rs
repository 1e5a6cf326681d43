//! One WebDriver session: headless Chromium with a fresh profile directory, throttled through
//! ChromeDriver's CDP endpoint, closed by its guard.

use std::path::Path;
use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use url::Url;

use super::{BrowserError, Driver, bounded};

/// Chromium flags verified headless on Debian as root (`STACK.md`).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
];

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
fn milestone(version: &str) -> Option<u32> {
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
fn bytes_per_second(kbps: Option<f64>) -> f64 {
    kbps.map_or(-1.0, |k| (k * 1024.0 / 8.0).floor())
}

/// ChromeDriver's vendor endpoint `POST /session/{id}/goog/cdp/execute`.
#[derive(Debug)]
struct CdpCommand {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &Url) -> (reqwest::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (reqwest::Method::POST, Some(body.to_string()))
    }
}

/// An open browser session. Close it with [`Session::close`]; dropping it also ends the
/// session (fantoccini sends the delete in the background) and removes the profile directory.
#[derive(Debug)]
pub struct Session {
    // Field order matters: the client goes before the profile directory it uses.
    client: Client,
    timeout: Duration,
    profile_dir: Option<tempfile::TempDir>,
}

/// What a session is opened with beyond the fixed flags.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// Base64 SHA-256 hashes of public keys (SPKI) whose certificate errors the browser
    /// ignores: the scenario's own CA (`--ignore-certificate-errors-spki-list`, honoured with a
    /// fresh profile directory). Trust is limited to that key; nothing else is switched off.
    pub trusted_spki: Vec<String>,
    /// Record the network log (ChromeDriver's `performance` log, network events only), read
    /// with [`Session::network_events`].
    pub network_log: bool,
}

/// Base64 SHA-256 of every certificate's `SubjectPublicKeyInfo` in a PEM bundle: what
/// `--ignore-certificate-errors-spki-list` takes. Blocks that are not certificates are skipped.
pub fn spki_hashes(pem: &[u8]) -> Vec<String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    x509_parser::pem::Pem::iter_from_buffer(pem)
        .filter_map(Result::ok)
        .filter(|p| p.label == "CERTIFICATE")
        .filter_map(|p| {
            let (_, cert) = x509_parser::parse_x509_certificate(&p.contents).ok()?;
            let digest = sha2::Sha256::digest(cert.tbs_certificate.subject_pki.raw);
            Some(base64::engine::general_purpose::STANDARD.encode(digest))
        })
        .collect()
}

/// ChromeDriver's log endpoint `POST /session/{id}/se/log`.
#[derive(Debug)]
struct LogCommand;

impl WebDriverCompatibleCommand for LogCommand {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &Url) -> (reqwest::Method, Option<String>) {
        (
            reqwest::Method::POST,
            Some(json!({ "type": "performance" }).to_string()),
        )
    }
}

impl Session {
    /// Opens a session on `driver`; `timeout` bounds this and every later WebDriver command
    /// issued through [`Session::cdp`].
    pub async fn start(driver: &Driver, timeout: Duration) -> Result<Self, BrowserError> {
        Self::start_with(driver, &SessionOptions::default(), timeout).await
    }

    /// As [`Session::start`], with trusted keys and the network log.
    pub async fn start_with(
        driver: &Driver,
        session: &SessionOptions,
        timeout: Duration,
    ) -> Result<Self, BrowserError> {
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(ToString::to_string).collect();
        if !session.trusted_spki.is_empty() {
            args.push(format!(
                "--ignore-certificate-errors-spki-list={}",
                session.trusted_spki.join(",")
            ));
        }
        // A profile directory only means something on this machine.
        let profile_dir = if driver.is_local() {
            let dir = tempfile::Builder::new()
                .prefix("kiemdinh-chromium-")
                .tempdir()?;
            args.push(format!("--user-data-dir={}", dir.path().display()));
            Some(dir)
        } else {
            None
        };
        let mut options = json!({ "args": args });
        if let Some(binary) = driver.chromium() {
            options["binary"] = json!(binary.display().to_string());
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        if session.network_log {
            options["perfLoggingPrefs"] = json!({ "enableNetwork": true, "enablePage": false });
            capabilities.insert("goog:loggingPrefs".into(), json!({ "performance": "ALL" }));
        }
        capabilities.insert("goog:chromeOptions".into(), options);
        let url = driver.url().to_string();
        let connect = async {
            ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities)
                .connect(&url)
                .await
                .map_err(|source| BrowserError::NewSession {
                    url: url.clone(),
                    source,
                })
        };
        let client = bounded("new session", timeout, connect).await?;
        Ok(Self {
            client,
            timeout,
            profile_dir,
        })
    }

    /// The fantoccini client, for WebDriver commands.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The fresh profile directory of a local session.
    pub fn profile_dir(&self) -> Option<&Path> {
        self.profile_dir.as_ref().map(tempfile::TempDir::path)
    }

    /// The DevTools address (`host:port`) from the session's capabilities.
    pub fn debugger_address(&self) -> Option<String> {
        self.client
            .capabilities()?
            .get("goog:chromeOptions")?
            .get("debuggerAddress")?
            .as_str()
            .map(ToString::to_string)
    }

    /// Runs one Chrome DevTools Protocol command through ChromeDriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, BrowserError> {
        let command = CdpCommand {
            cmd: cmd.to_string(),
            params,
        };
        let issue = async {
            self.client
                .issue_cmd(command)
                .await
                .map_err(|source| BrowserError::Command {
                    what: cmd.to_string(),
                    source,
                })
        };
        bounded(cmd, self.timeout, issue).await
    }

    /// Applies a throttling profile (network, CPU, screen, touch, user agent) to the current
    /// tab, the way Lighthouse's `emulate` and `throttle` do (see [`PROFILES`]).
    pub async fn apply(&self, profile: Profile) -> Result<(), BrowserError> {
        let c = profile.conditions();
        self.cdp("Network.enable", json!({})).await?;
        if let Some(ua) = c.user_agent {
            let version = self.client.capabilities().and_then(|caps| {
                caps.get("browserVersion")?
                    .as_str()
                    .map(ToString::to_string)
            });
            let params = ua.override_params(version.as_deref().and_then(milestone), c.mobile);
            self.cdp("Network.setUserAgentOverride", params).await?;
        }
        self.cdp(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": c.latency_ms,
                "downloadThroughput": bytes_per_second(c.down_kbps),
                "uploadThroughput": bytes_per_second(c.up_kbps),
            }),
        )
        .await?;
        self.cdp(
            "Emulation.setCPUThrottlingRate",
            json!({ "rate": c.cpu_slowdown }),
        )
        .await?;
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": c.width,
                "height": c.height,
                "deviceScaleFactor": c.device_scale_factor,
                "mobile": c.mobile,
            }),
        )
        .await?;
        self.cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": c.mobile }),
        )
        .await?;
        Ok(())
    }

    /// The network events logged since the last call (`method`, `params` of each DevTools
    /// event), when the session was opened with [`SessionOptions::network_log`].
    pub async fn network_events(&self) -> Result<Vec<Value>, BrowserError> {
        let issue = async {
            self.client
                .issue_cmd(LogCommand)
                .await
                .map_err(|source| BrowserError::Command {
                    what: "read the performance log".to_string(),
                    source,
                })
        };
        let entries = bounded("read the performance log", self.timeout, issue).await?;
        Ok(entries
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
            .map(|m| m["message"].clone())
            .collect())
    }

    /// The browser's name and version from the session's capabilities.
    pub fn browser_version(&self) -> Option<String> {
        let caps = self.client.capabilities()?;
        let name = caps.get("browserName")?.as_str()?;
        let version = caps.get("browserVersion")?.as_str()?;
        Some(format!("{name} {version}"))
    }

    /// A JPEG screenshot of the viewport (`Page.captureScreenshot`), decoded.
    pub async fn screenshot_jpeg(&self, quality: u8) -> Result<Vec<u8>, BrowserError> {
        use base64::Engine as _;
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({ "format": "jpeg", "quality": quality }),
            )
            .await?;
        let data = shot["data"]
            .as_str()
            .ok_or_else(|| BrowserError::DevTools("the screenshot has no data".into()))?;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| BrowserError::DevTools(format!("the screenshot is not base64: {e}")))
    }

    /// Turns the HTTP cache off, for cold loads.
    pub async fn disable_cache(&self) -> Result<(), BrowserError> {
        self.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
            .await
            .map(drop)
    }

    /// Ends the session within the session timeout; the profile directory goes with `self`.
    pub async fn close(self) -> Result<(), BrowserError> {
        let client = self.client.clone();
        let close = async {
            client
                .close()
                .await
                .map_err(|source| BrowserError::Command {
                    what: "delete session".to_string(),
                    source,
                })
        };
        bounded("delete session", self.timeout, close).await
    }
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

    #[test]
    fn cdp_command_posts_to_the_vendor_endpoint() {
        let base = Url::parse("http://127.0.0.1:9515/").unwrap();
        let cmd = CdpCommand {
            cmd: "Network.enable".into(),
            params: json!({}),
        };
        let url = cmd.endpoint(&base, Some("abc")).unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9515/session/abc/goog/cdp/execute"
        );
        let (method, body) = cmd.method_and_body(&url);
        assert_eq!(method, reqwest::Method::POST);
        let body: Value = serde_json::from_str(&body.unwrap()).unwrap();
        assert_eq!(body, json!({ "cmd": "Network.enable", "params": {} }));
    }
}
