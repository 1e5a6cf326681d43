//! The steps of a citizen journey: finding the element (CSS, visible text or label, waiting
//! until it is usable), acting on it, and the waits of `expect-*` steps, through one page
//! helper script (`flow.js`).

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::{Value as Json, json};

use super::flow::{FlowOptions, Redactor, TEST_FILE, slug};
use super::{BrowserError, Session, bounded, command};
use crate::scenario::flows::{Action, Selector, Value};

/// The page helper (locators, texts, validation messages, masking).
const HELPER: &str = include_str!("flow.js");

/// Waits for the document to be complete and its DOM quiet for 150 ms (3 s at most).
const SETTLE: &str = r"const done = arguments[arguments.length - 1];
  const quiet = () => {
    const began = performance.now();
    let last = began;
    const mo = new MutationObserver(() => { last = performance.now(); });
    mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    const tick = () => {
      const now = performance.now();
      if (now - last >= 150 || now - began >= 3000) { mo.disconnect(); done(location.href); }
      else setTimeout(tick, 25);
    };
    setTimeout(tick, 25);
  };
  if (document.readyState === 'complete') quiet();
  else addEventListener('load', quiet, { once: true });";

/// A small valid PDF kiemdinh uploads when a step names no file.
const TEST_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// What a passed step adds to its record.
#[derive(Default)]
pub(super) struct Found {
    pub(super) message: Option<String>,
    pub(super) screenshot: Option<String>,
}

/// Why a step failed: the portal (`browser` false) or the browser.
pub(super) struct Failure {
    pub(super) message: String,
    pub(super) browser: bool,
    pub(super) hung: bool,
}

impl Failure {
    fn portal(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            browser: false,
            hung: false,
        }
    }
}

impl From<BrowserError> for Failure {
    fn from(e: BrowserError) -> Self {
        let hung = matches!(e, BrowserError::Timeout { .. });
        Self {
            message: e.chain(),
            browser: true,
            hung,
        }
    }
}

pub(super) struct Runner<'a> {
    pub(super) session: &'a Session,
    pub(super) options: &'a FlowOptions,
    pub(super) redactor: &'a Redactor,
    pub(super) prefix: String,
}

impl Runner<'_> {
    pub(super) async fn step(&self, action: &Action, wait: Duration) -> Result<Found, Failure> {
        let deadline = Instant::now() + wait;
        let ms = wait.as_millis();
        match action {
            Action::Goto { url } => {
                let client = self.session.client();
                let to = url.to_string();
                bounded("navigate", self.options.command_timeout, async {
                    client.goto(&to).await.map_err(|s| command("navigate", s))
                })
                .await?;
                self.settle().await;
                Ok(Found::default())
            }
            Action::Click { target } => {
                let el = self.locate(target, deadline, false).await?;
                let mut last: String;
                loop {
                    match bounded("click", self.options.command_timeout, async {
                        el.click().await.map_err(|s| command("click", s))
                    })
                    .await
                    {
                        Ok(()) => break,
                        Err(e @ BrowserError::Timeout { .. }) => return Err(e.into()),
                        Err(e) => last = e.chain(),
                    }
                    if Instant::now() >= deadline {
                        return Err(Failure::portal(format!(
                            "`{target}` could not be clicked within {ms} ms: {last}"
                        )));
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                self.settle().await;
                Ok(Found::default())
            }
            Action::Fill { target, value } => {
                let el = self.locate(target, deadline, false).await?;
                let text = match value {
                    Value::Literal(v) => v.clone(),
                    Value::Env(var) => {
                        self.helper("mark-secret", json!({})).await?;
                        std::env::var(var).unwrap_or_default()
                    }
                };
                let _ = el.clear().await;
                bounded("type", self.options.command_timeout, async {
                    el.send_keys(&text).await.map_err(|s| command("type", s))
                })
                .await
                .map_err(|e| {
                    Failure::portal(format!(
                        "`{target}` does not take text: {}",
                        self.redactor.scrub(&e.chain())
                    ))
                })?;
                Ok(Found::default())
            }
            Action::Select { target, value } => {
                let el = self.locate(target, deadline, false).await?;
                if el.select_by_label(value).await.is_err()
                    && el.select_by_value(value).await.is_err()
                {
                    return Err(Failure::portal(format!(
                        "`{target}` has no option `{value}`"
                    )));
                }
                self.settle().await;
                Ok(Found::default())
            }
            Action::Upload { target, file } => self.upload(target, file.as_deref(), deadline).await,
            Action::WaitFor { target } => {
                self.locate(target, deadline, false).await?;
                Ok(Found::default())
            }
            Action::ExpectText { text } => self
                .poll(
                    deadline,
                    |r| r.as_bool() == Some(true),
                    "has-text",
                    json!({ "text": text }),
                )
                .await?
                .map(|_| Found::default())
                .ok_or_else(|| {
                    Failure::portal(format!("the page did not show \"{text}\" within {ms} ms"))
                }),
            Action::ExpectUrl { pattern } => {
                let glob = crate::scenario::flows::glob(pattern).map_err(Failure::portal)?;
                loop {
                    let url = self.url().await.unwrap_or_default();
                    let candidate = if pattern.starts_with('/') {
                        url::Url::parse(&url)
                            .map(|u| match u.query() {
                                Some(q) => format!("{}?{q}", u.path()),
                                None => u.path().to_string(),
                            })
                            .unwrap_or_default()
                    } else {
                        url.clone()
                    };
                    if glob.is_match(&candidate) {
                        return Ok(Found::default());
                    }
                    if Instant::now() >= deadline {
                        return Err(Failure::portal(format!(
                            "the address stayed {url}, not {pattern}, for {ms} ms"
                        )));
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            Action::ExpectInvalid { text } => {
                let want = crate::unicode::nfc(text).to_lowercase();
                let matches = |r: &Json| {
                    r.as_array().is_some_and(|a| {
                        a.iter().filter_map(Json::as_str).any(|m| {
                            want.is_empty() || crate::unicode::nfc(m).to_lowercase().contains(&want)
                        })
                    })
                };
                match self.poll(deadline, matches, "messages", json!({})).await? {
                    Some(found) => Ok(Found {
                        message: Some(messages(&found)),
                        screenshot: None,
                    }),
                    None => Err(Failure::portal(if want.is_empty() {
                        format!("no validation message within {ms} ms")
                    } else {
                        format!("no validation message saying \"{text}\" within {ms} ms")
                    })),
                }
            }
            Action::Screenshot { name } => Ok(Found {
                message: None,
                screenshot: Some(self.screenshot(name).await?),
            }),
        }
    }

    /// Attaches the file, then waits for the page to settle: an error message that was not
    /// there before fails the step (the portal refused the file).
    async fn upload(
        &self,
        target: &Selector,
        file: Option<&Path>,
        deadline: Instant,
    ) -> Result<Found, Failure> {
        let el = self.locate(target, deadline, true).await?;
        let path = if let Some(f) = file {
            f.to_path_buf()
        } else {
            let dir = self.options.out.join("flows");
            let p = dir.join(TEST_FILE);
            fs_err::create_dir_all(&dir)
                .and_then(|()| fs_err::write(&p, TEST_PDF))
                .map_err(|e| Failure::portal(e.to_string()))?;
            p
        };
        let path = std::path::absolute(&path)
            .map_err(|e| Failure::portal(format!("{}: {e}", path.display())))?;
        let before = self.helper("messages", json!({})).await?;
        bounded("attach file", self.options.command_timeout, async {
            el.send_keys(&path.display().to_string())
                .await
                .map_err(|s| command("attach file", s))
        })
        .await
        .map_err(|e| Failure::portal(format!("`{target}` does not take a file: {}", e.chain())))?;
        self.settle().await;
        // Give an upload made by a script time to answer (up to the step's deadline).
        let fresh = |now: &Json| -> Vec<String> {
            let old: Vec<&str> = before
                .as_array()
                .map(|a| a.iter().filter_map(Json::as_str).collect())
                .unwrap_or_default();
            now.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Json::as_str)
                        .filter(|m| !old.contains(m))
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default()
        };
        let until = Instant::now() + Duration::from_millis(1500);
        loop {
            let now = self.helper("messages", json!({})).await?;
            let new = fresh(&now);
            if !new.is_empty() {
                return Err(Failure::portal(format!(
                    "the page answered the upload with: {}",
                    new.join(" | ")
                )));
            }
            if Instant::now() >= until.min(deadline) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        Ok(Found {
            message: Some(format!(
                "attached {}",
                path.file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default()
            )),
            screenshot: None,
        })
    }

    /// Finds the first usable element for `target`, waiting until `deadline`.
    async fn locate(
        &self,
        target: &Selector,
        deadline: Instant,
        hidden_ok: bool,
    ) -> Result<fantoccini::elements::Element, Failure> {
        let (by, value) = match target {
            Selector::Css(v) => ("css", v),
            Selector::Text(v) => ("text", v),
            Selector::Label(v) => ("label", v),
        };
        let mark = "k";
        let mut seen = 0;
        loop {
            let r = self
                .helper(
                    "locate",
                    json!({ "by": by, "value": value, "mark": mark, "hiddenOk": hidden_ok }),
                )
                .await;
            match r {
                Ok(r) if r["error"].is_string() => {
                    return Err(Failure::portal(
                        r["error"].as_str().unwrap_or_default().to_string(),
                    ));
                }
                Ok(r) if r["usable"].as_u64().unwrap_or(0) > 0 => {
                    let client = self.session.client();
                    if let Ok(el) = client
                        .find(Locator::Css("[data-kiemdinh-target='k']"))
                        .await
                    {
                        return Ok(el);
                    }
                }
                Ok(r) => seen = r["count"].as_u64().unwrap_or(0),
                Err(e @ BrowserError::Timeout { .. }) => return Err(e.into()),
                // A page navigating away answers scripts with errors for a moment.
                Err(_) => {}
            }
            if Instant::now() >= deadline {
                return Err(Failure::portal(if seen > 0 {
                    format!("`{target}` matched {seen} element(s), none visible")
                } else {
                    format!("nothing matches `{target}`")
                }));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs the helper until `ok` accepts its answer or `deadline` passes (`None`).
    async fn poll(
        &self,
        deadline: Instant,
        ok: impl Fn(&Json) -> bool,
        op: &str,
        params: Json,
    ) -> Result<Option<Json>, Failure> {
        loop {
            match self.helper(op, params.clone()).await {
                Ok(r) if ok(&r) => return Ok(Some(r)),
                Err(e @ BrowserError::Timeout { .. }) => return Err(e.into()),
                _ => {}
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn helper(&self, op: &str, params: Json) -> Result<Json, BrowserError> {
        let client = self.session.client();
        bounded("page script", self.options.command_timeout, async {
            client
                .execute(HELPER, vec![json!(op), params])
                .await
                .map_err(|s| command("page script", s))
        })
        .await
    }

    /// Waits (bounded) for the page a step may have started loading.
    async fn settle(&self) {
        let client = self.session.client();
        for _ in 0..3 {
            let r =
                tokio::time::timeout(Duration::from_secs(5), client.execute_async(SETTLE, vec![]))
                    .await;
            if matches!(r, Ok(Ok(_))) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub(super) async fn url(&self) -> Option<String> {
        let client = self.session.client();
        let u = tokio::time::timeout(self.options.command_timeout, client.current_url())
            .await
            .ok()?
            .ok()?;
        Some(self.redactor.scrub(u.as_str()))
    }

    pub(super) async fn screenshot(&self, name: &str) -> Result<String, Failure> {
        let _ = self.helper("mask-secrets", json!({})).await;
        let jpeg = self.session.screenshot_jpeg(60).await?;
        let file = format!("{}-{}.jpg", self.prefix, slug(name));
        let dir = self.options.out.join("flows");
        fs_err::create_dir_all(&dir)
            .and_then(|()| fs_err::write(dir.join(&file), jpeg))
            .map_err(|e| Failure::portal(e.to_string()))?;
        Ok(format!("flows/{file}"))
    }
}

fn messages(found: &Json) -> String {
    found
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Json::as_str)
                .take(3)
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}
