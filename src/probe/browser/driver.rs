//! A WebDriver endpoint: a `chromedriver` this process started (killed with its whole process
//! group on drop) or a remote one given by URL.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use std::os::unix::process::CommandExt;

use url::Url;

use super::BrowserError;

/// How to start a local `chromedriver`.
#[derive(Debug, Clone)]
pub struct LaunchOptions {
    /// The `chromedriver` program: a path, or a name looked up in `PATH`.
    pub chromedriver: PathBuf,
    /// The Chromium program; `None` looks for `chromium`, `chromium-browser`, `google-chrome`
    /// in `PATH`.
    pub chromium: Option<PathBuf>,
    /// How long to wait for `GET /status` to report ready.
    pub ready_timeout: Duration,
}

impl Default for LaunchOptions {
    fn default() -> Self {
        Self {
            chromedriver: PathBuf::from("chromedriver"),
            chromium: None,
            ready_timeout: Duration::from_secs(10),
        }
    }
}

/// A ready WebDriver endpoint. A local one is killed, with every Chromium it started, when
/// this value is dropped.
#[derive(Debug)]
pub struct Driver {
    url: Url,
    chromium: Option<PathBuf>,
    local: Option<LocalProcess>,
}

/// The chromedriver child, leader of its own process group.
#[derive(Debug)]
struct LocalProcess {
    child: Child,
}

impl Drop for LocalProcess {
    fn drop(&mut self) {
        ProcessGroup(self.child.id()).kill();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The process group of a local chromedriver and its Chromium, for a signal handler that must
/// end them before `std::process::exit` (which runs no destructors). Chromedriver runs in its
/// own group, so a terminal's Ctrl-C does not reach it: the caller's Ctrl-C path must either
/// drop the [`Driver`] or call [`ProcessGroup::kill`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessGroup(u32);

impl ProcessGroup {
    /// SIGKILLs the whole group. Safe to repeat: until the [`Driver`] is dropped the leader is
    /// not reaped, so its id cannot be reused by an unrelated group.
    pub fn kill(self) {
        // The child leads its own group (`process_group(0)`), so its pgid is its pid.
        if let Ok(pid) = i32::try_from(self.0) {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

impl Driver {
    /// Starts `chromedriver` on a free loopback port and waits until it is ready.
    pub async fn launch(options: &LaunchOptions) -> Result<Self, BrowserError> {
        let chromedriver =
            find_program(&options.chromedriver).ok_or_else(|| BrowserError::MissingBrowser {
                program: options.chromedriver.display().to_string(),
            })?;
        let chromium = match &options.chromium {
            Some(path) => find_program(path).ok_or_else(|| BrowserError::MissingBrowser {
                program: path.display().to_string(),
            })?,
            None => ["chromium", "chromium-browser", "google-chrome"]
                .iter()
                .find_map(|name| find_program(Path::new(name)))
                .ok_or_else(|| BrowserError::MissingBrowser {
                    program: "chromium".to_string(),
                })?,
        };
        let port = free_port()?;
        let child = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|source| BrowserError::Spawn {
                program: chromedriver.display().to_string(),
                source,
            })?;
        let mut local = LocalProcess { child };
        let url = Url::parse(&format!("http://127.0.0.1:{port}/")).expect("a valid URL");
        wait_ready(&url, options.ready_timeout, Some(&mut local)).await?;
        Ok(Self {
            url,
            chromium: Some(chromium),
            local: Some(local),
        })
    }

    /// Starts `geckodriver` (for Firefox, found as `firefox-esr` or `firefox`) on a free
    /// loopback port; `None` with the reason when either is not installed. Killed with its
    /// Firefox on drop, as a local chromedriver is.
    pub async fn launch_gecko(ready_timeout: Duration) -> Result<(Self, PathBuf), String> {
        let gecko = find_program(Path::new("geckodriver"));
        let firefox = ["firefox-esr", "firefox"]
            .iter()
            .find_map(|n| find_program(Path::new(n)));
        let (Some(gecko), Some(firefox)) = (gecko, firefox) else {
            return Err(
                "Firefox is not installed (`apt-get install firefox-esr` and `cargo install geckodriver`)"
                    .into(),
            );
        };
        let port = free_port().map_err(|e| e.chain())?;
        let child = Command::new(&gecko)
            .arg(format!("--port={port}"))
            .arg("--host=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("geckodriver could not be started: {e}"))?;
        let mut local = LocalProcess { child };
        let url = Url::parse(&format!("http://127.0.0.1:{port}/")).expect("a valid URL");
        wait_ready(&url, ready_timeout, Some(&mut local))
            .await
            .map_err(|e| e.chain())?;
        Ok((
            Self {
                url,
                chromium: None,
                local: Some(local),
            },
            firefox,
        ))
    }

    /// Uses a WebDriver endpoint someone else runs (a remote chromedriver, a Selenium Grid),
    /// after checking that it answers `GET /status` with ready within `timeout`.
    pub async fn connect(url: &Url, timeout: Duration) -> Result<Self, BrowserError> {
        let mut url = url.clone();
        if !url.path().ends_with('/') {
            url.set_path(&format!("{}/", url.path()));
        }
        wait_ready(&url, timeout, None).await?;
        Ok(Self {
            url,
            chromium: None,
            local: None,
        })
    }

    /// The WebDriver base URL (ends with `/`).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Whether this process started the driver (and the browser runs on this machine).
    pub fn is_local(&self) -> bool {
        self.local.is_some()
    }

    /// Whether the browser runs on this machine, so that its DevTools address (which
    /// Chromium reports as `localhost:PORT`) can be reached from here.
    pub fn on_this_machine(&self) -> bool {
        self.is_local() || is_loopback(&self.url)
    }

    /// The Chromium binary sessions ask for, when this process chose it.
    pub(crate) fn chromium(&self) -> Option<&Path> {
        self.chromium.as_deref()
    }

    /// The process group of a local chromedriver and every Chromium it started.
    pub fn process_group(&self) -> Option<ProcessGroup> {
        self.local.as_ref().map(|l| ProcessGroup(l.child.id()))
    }
}

/// Whether `url` points at this machine.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A port that was free a moment ago on 127.0.0.1.
fn free_port() -> Result<u16, BrowserError> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok(listener.local_addr()?.port())
}

/// Resolves `program` like a shell: a path with a `/` is taken as is, a bare name is looked up
/// in `PATH`; only executable files count.
pub(crate) fn find_program(program: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let executable = |p: &Path| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.components().count() > 1 || program.is_absolute() {
        return executable(program).then(|| program.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| executable(p))
}

/// Polls `GET {url}status` until it reports `ready: true`, the child exits, or `timeout`.
async fn wait_ready(
    url: &Url,
    timeout: Duration,
    mut child: Option<&mut LocalProcess>,
) -> Result<(), BrowserError> {
    let not_ready = |detail: Option<String>| BrowserError::NotReady {
        url: url.to_string(),
        timeout,
        detail,
    };
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(2).min(timeout))
        .build()
        .map_err(|e| not_ready(Some(e.to_string())))?;
    let status_url = url
        .join("status")
        .map_err(|e| not_ready(Some(e.to_string())))?;
    let started = Instant::now();
    let mut last = None;
    while started.elapsed() < timeout {
        if let Some(local) = child.as_deref_mut()
            && let Ok(Some(status)) = local.child.try_wait()
        {
            return Err(not_ready(Some(format!(
                "chromedriver exited with {status}"
            ))));
        }
        match client.get(status_url.clone()).send().await {
            Ok(response) => match response
                .text()
                .await
                .map_err(|e| e.to_string())
                .and_then(|t| {
                    serde_json::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string())
                }) {
                Ok(body) if body["value"]["ready"].as_bool() == Some(true) => return Ok(()),
                Ok(body) => last = Some(format!("not ready: {}", body["value"]["message"])),
                Err(e) => last = Some(e),
            },
            Err(e) => last = Some(e.to_string()),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(not_ready(last))
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn find_program_resolves_names_and_rejects_missing_paths() {
        assert!(find_program(Path::new("sh")).is_some());
        assert!(find_program(Path::new("/nonexistent/chromedriver")).is_none());
        assert!(find_program(Path::new("kiemdinh-no-such-program-x")).is_none());
        // a directory is not a program
        assert!(find_program(Path::new("/tmp")).is_none());
    }

    #[test]
    fn only_loopback_endpoints_are_on_this_machine() {
        let on = |u: &str| is_loopback(&Url::parse(u).unwrap());
        assert!(on("http://127.0.0.1:9515/"));
        assert!(on("http://localhost:4444/wd/hub/"));
        assert!(on("http://[::1]:4444/"));
        assert!(!on("http://grid.example:4444/"));
        assert!(!on("http://10.0.0.5:4444/"));
    }

    #[tokio::test]
    async fn launch_with_a_bad_driver_path_names_the_packages() {
        let options = LaunchOptions {
            chromedriver: PathBuf::from("/nonexistent/chromedriver"),
            ..LaunchOptions::default()
        };
        let err = Driver::launch(&options).await.unwrap_err();
        assert!(
            matches!(&err, BrowserError::MissingBrowser { program } if program == "/nonexistent/chromedriver"),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("chromium chromium-driver"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn launch_with_a_bad_chromium_path_names_the_packages() {
        let options = LaunchOptions {
            chromedriver: PathBuf::from("sh"),
            chromium: Some(PathBuf::from("/nonexistent/chromium")),
            ..LaunchOptions::default()
        };
        let err = Driver::launch(&options).await.unwrap_err();
        assert!(
            matches!(&err, BrowserError::MissingBrowser { program } if program == "/nonexistent/chromium"),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn connect_to_a_silent_endpoint_times_out() {
        // a port that was just free: nothing listens there
        let port = free_port().unwrap();
        let url = Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
        let started = Instant::now();
        let err = Driver::connect(&url, Duration::from_millis(300))
            .await
            .unwrap_err();
        assert!(matches!(err, BrowserError::NotReady { .. }), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[tokio::test]
    async fn a_driver_that_exits_is_reported_without_waiting() {
        // `true` exits at once: the readiness wait sees the exit, not the timeout
        let options = LaunchOptions {
            chromedriver: PathBuf::from("true"),
            chromium: Some(PathBuf::from("sh")),
            ready_timeout: Duration::from_secs(20),
        };
        let started = Instant::now();
        let err = Driver::launch(&options).await.unwrap_err();
        assert!(err.to_string().contains("exited"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
