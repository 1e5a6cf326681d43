//! `report.pdf` (and `ranking.pdf`): an HTML report printed by headless Chromium
//! (`--print-to-pdf --no-pdf-header-footer`; page size and margins come from the report's
//! `@page` CSS, A4).
//!
//! Every Chromium this module starts runs in its own process group with a fresh profile
//! directory (named `kiemdinh-chromium-…`, as the browser probe's are) and a deadline; the
//! whole group is killed (`SIGKILL`) and the leader reaped on every path — success, failure, timeout or
//! a panic — so no browser process outlives the call.
//!
//! `pdf` is not among the default formats even when Chromium is installed: printing starts a
//! browser (a second or two and ~200 MB), and a default output set that changes with what the
//! machine has installed would make two runs of the same command differ. Ask for it with
//! `--format html,json,junit,md,pdf`; without Chromium that is a usage error before anything
//! touches the network.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use std::os::unix::process::CommandExt;

use crate::error::Error;

/// How long one print may take before the browser is killed.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The browser probe's headless flags (verified on Debian as root, `STACK.md`), and no
/// scrollbars in the print.
const FLAGS: &[&str] = &["--hide-scrollbars"];

/// The Chromium to print with: `chromium`, `chromium-browser` or `google-chrome` in `PATH`.
pub fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| crate::probe::browser::driver::find_program(Path::new(name)))
}

/// The usage error for `--format pdf` on a machine without Chromium.
pub fn missing_chromium() -> Error {
    Error::Usage(
        "--format pdf needs Chromium to print the report, and none was found in PATH \
         (`chromium`, `chromium-browser` or `google-chrome`): install it (scripts/setup) or \
         leave `pdf` out of --format"
            .into(),
    )
}

/// Whether the formats can be written here: `pdf` without Chromium is [`missing_chromium`].
/// `assess` and `rejudge` call it before anything else.
pub fn check_formats(formats: &[super::Format]) -> Result<(), Error> {
    if formats.contains(&super::Format::Pdf) && chromium().is_none() {
        return Err(missing_chromium());
    }
    Ok(())
}

/// Prints `html` to `pdf` with the Chromium in `PATH` within [`TIMEOUT`]. The PDF is written
/// under a temporary name and renamed, so a failed print never leaves a partial file.
pub fn print_pdf(html: &Path, pdf: &Path) -> Result<(), Error> {
    let chromium = chromium().ok_or_else(missing_chromium)?;
    print_pdf_with(&chromium, html, pdf, TIMEOUT)
}

/// As [`print_pdf`], with the browser program and the deadline given.
pub fn print_pdf_with(
    chromium: &Path,
    html: &Path,
    pdf: &Path,
    timeout: Duration,
) -> Result<(), Error> {
    let err = |message: String| Error::Render {
        name: pdf
            .file_name()
            .map_or_else(|| "pdf".into(), |n| n.to_string_lossy().into_owned()),
        message,
    };
    let url = file_url(html).map_err(&err)?;
    let file_name = pdf.file_name().ok_or_else(|| err("no file name".into()))?;
    let tmp = pdf.with_file_name(format!(".{}.tmp", file_name.to_string_lossy()));
    let _ = std::fs::remove_file(&tmp);
    let mut target = OsString::from("--print-to-pdf=");
    target.push(&tmp);
    let run = run_headless(
        chromium,
        &[
            target,
            "--no-pdf-header-footer".into(),
            // Keep the tagged structure out: smaller files, and the text order is the page's.
            "--disable-pdf-tagging".into(),
            url.into(),
        ],
        timeout,
    );
    let result = run.map_err(&err).and_then(|_| {
        let bytes = std::fs::read(&tmp).map_err(|e| err(format!("Chromium wrote no PDF ({e})")))?;
        if !bytes.starts_with(b"%PDF-") {
            return Err(err("Chromium's output is not a PDF".into()));
        }
        std::fs::rename(&tmp, pdf).map_err(|e| err(format!("cannot rename the PDF: {e}")))
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A `file://` URL for a local file.
fn file_url(path: &Path) -> Result<String, String> {
    let abs = std::fs::canonicalize(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    url::Url::from_file_path(&abs)
        .map(String::from)
        .map_err(|()| format!("`{}` has no file URL", abs.display()))
}

/// A browser process group, killed (`SIGKILL`) and its leader reaped when dropped.
struct Group {
    child: Child,
}

impl Group {
    fn kill(&self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // The leader's pid is the group id (`process_group(0)`). After the leader is
            // reaped the id stays reserved while any member lives, so this never hits another
            // group.
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }

    /// Whether any process of the group is still alive (zombies excluded: they are dead).
    fn alive(&self) -> bool {
        let Ok(pgid) = i32::try_from(self.child.id()) else {
            return false;
        };
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return false;
        };
        dir.filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|s| s.parse::<u32>().is_ok())
            })
            .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
            .any(|stat| {
                // `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses.
                let Some((_, rest)) = stat.rsplit_once(") ") else {
                    return false;
                };
                let mut f = rest.split_whitespace();
                let state = f.next();
                let pgrp = f.nth(1).and_then(|p| p.parse::<i32>().ok());
                pgrp == Some(pgid) && state != Some("Z") && state != Some("X")
            })
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill();
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Members SIGKILLed a moment ago may still be exiting: wait (bounded) until none runs.
        let deadline = Instant::now() + Duration::from_secs(2);
        while self.alive() && Instant::now() < deadline {
            self.kill();
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Runs headless `chromium` with the probe's headless flags, a fresh profile directory and
/// `args`, and returns its standard output (`--dump-dom` prints the page there). Fails when
/// the browser cannot be started, exits with a failure status, or is still running after
/// `timeout`; on every path the browser's whole process group is killed before this returns.
pub fn run_headless(
    chromium: &Path,
    args: &[OsString],
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    let dir = tempfile::Builder::new()
        .prefix("kiemdinh-chromium-")
        .tempdir()
        .map_err(|e| format!("cannot create a browser profile directory: {e}"))?;
    let profile = dir.path().join("profile");
    let out_path = dir.path().join("stdout");
    let err_path = dir.path().join("stderr");
    let io = |p: &Path| {
        std::fs::File::create(p).map_err(|e| format!("cannot create `{}`: {e}", p.display()))
    };
    let mut data_dir = OsString::from("--user-data-dir=");
    data_dir.push(&profile);
    let child = Command::new(chromium)
        .args(crate::probe::browser::session::CHROMIUM_FLAGS)
        .args(FLAGS)
        .arg(data_dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(io(&out_path)?)
        .stderr(io(&err_path)?)
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", chromium.display()))?;
    let mut group = Group { child };
    let deadline = Instant::now() + timeout;
    let status = loop {
        match group.child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                drop(group);
                return Err(format!(
                    "`{}` did not finish within {} s and was killed",
                    chromium.display(),
                    timeout.as_secs_f64()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(25)),
            Err(e) => return Err(format!("cannot wait for `{}`: {e}", chromium.display())),
        }
    };
    drop(group);
    if !status.success() {
        let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
        let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
        return Err(format!(
            "`{}` failed ({status}){}",
            chromium.display(),
            if tail.is_empty() {
                String::new()
            } else {
                format!(
                    ": {}",
                    tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
                )
            }
        ));
    }
    std::fs::read(&out_path).map_err(|e| format!("cannot read the browser's output: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake browser: a shell script that starts a child and sleeps (a hung Chromium).
    fn script(dir: &Path, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.join("fake-chromium");
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    /// Processes whose command line holds `marker`.
    fn running(marker: &str) -> Vec<u32> {
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
                let zombie = stat
                    .rsplit_once(") ")
                    .is_some_and(|(_, r)| r.starts_with('Z'));
                !zombie
                    && std::fs::read(format!("/proc/{pid}/cmdline"))
                        .is_ok_and(|c| String::from_utf8_lossy(&c).contains(marker))
            })
            .collect()
    }

    #[test]
    fn a_hung_browser_is_killed_with_its_children_at_the_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let marker = "417.25";
        // The script and a grandchild both hang; neither may outlive the call.
        let fake = script(
            dir.path(),
            &format!("sleep {marker} &\nexec sleep {marker}"),
        );
        let html = dir.path().join("r.html");
        std::fs::write(&html, "<p>x</p>").unwrap();
        let pdf = dir.path().join("r.pdf");
        let start = Instant::now();
        let e = print_pdf_with(&fake, &html, &pdf, Duration::from_millis(600)).unwrap_err();
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        let msg = e.to_string();
        assert!(
            msg.contains("did not finish within 0.6 s and was killed"),
            "{msg}"
        );
        assert!(
            running(marker).is_empty(),
            "left behind: {:?}",
            running(marker)
        );
        assert!(!pdf.exists() && !dir.path().join(".r.pdf.tmp").exists());
    }

    #[test]
    fn a_failing_or_silent_browser_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let html = dir.path().join("r.html");
        std::fs::write(&html, "<p>x</p>").unwrap();
        let pdf = dir.path().join("r.pdf");
        let failing = script(dir.path(), "echo 'cannot open display' >&2\nexit 3");
        let msg = print_pdf_with(&failing, &html, &pdf, TIMEOUT)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("failed (exit status: 3): cannot open display"),
            "{msg}"
        );
        let silent = script(dir.path(), "exit 0");
        let msg = print_pdf_with(&silent, &html, &pdf, TIMEOUT)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("Chromium wrote no PDF"), "{msg}");
        let missing = dir.path().join("no-such-browser");
        let msg = print_pdf_with(&missing, &html, &pdf, TIMEOUT)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("cannot start"), "{msg}");
        let msg = print_pdf_with(&silent, &dir.path().join("nope.html"), &pdf, TIMEOUT)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("cannot read"), "{msg}");
        assert!(!pdf.exists());
    }

    #[test]
    fn a_browser_that_writes_something_else_is_not_a_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let html = dir.path().join("r.html");
        std::fs::write(&html, "<p>x</p>").unwrap();
        // Writes "oops" where the PDF should go.
        let fake = script(
            dir.path(),
            "for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) echo oops > \"${a#--print-to-pdf=}\";; esac; done",
        );
        let pdf = dir.path().join("r.pdf");
        let msg = print_pdf_with(&fake, &html, &pdf, TIMEOUT)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("not a PDF"), "{msg}");
        assert!(!pdf.exists());
    }

    #[test]
    fn the_missing_browser_error_names_the_fix() {
        let msg = missing_chromium().to_string();
        assert!(
            msg.contains("--format pdf") && msg.contains("scripts/setup"),
            "{msg}"
        );
    }
}
