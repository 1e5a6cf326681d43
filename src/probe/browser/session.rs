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

/// Chromium flags verified headless on Debian as root (`STACK.md`); printing reuses them.
pub(crate) const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
];

pub use super::profile::{Conditions, Profile, UserAgent};
use super::profile::{bytes_per_second, milestone};

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
    /// tab, the way Lighthouse's `emulate` and `throttle` do (see `profile::PROFILES`).
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
