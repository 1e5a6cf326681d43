//! One monitor probe: a `GET` of one target with a timeout, judged on the spot — a 2xx status,
//! a certificate that verifies (its days left recorded), and content that is the portal's own
//! (its name or organisation appears, compared as NFC-folded Vietnamese), not a proxy's error
//! page or a parked domain. Nothing of the answer is kept beyond the row.

use std::time::{Duration, Instant};

use url::Url;

use crate::error::Error;
use crate::observation::Target;
use crate::scenario::Scenario;

/// Most bytes of an answer read (the portal's name is in its first kilobytes).
pub const MAX_BODY: usize = 1024 * 1024;

/// What one probe found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The verdict.
    pub ok: bool,
    /// HTTP status, when an answer came.
    pub status: Option<u16>,
    /// Time to the whole answer or to the failure, milliseconds.
    pub latency_ms: Option<f64>,
    /// Days until the certificate expires.
    pub tls_days_left: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
}

/// A portal's probe client and what its pages must show.
#[derive(Debug, Clone)]
pub struct Prober {
    client: reqwest::Client,
    timeout: Duration,
    /// The portal's name and organisation: one must appear on its pages.
    marks: Vec<String>,
}

impl Prober {
    /// A client for the scenario's portal (its extra CA trusted), each request bounded by
    /// `timeout`.
    ///
    /// # Errors
    /// The scenario's CA cannot be loaded or the TLS stack cannot start.
    pub fn new(scenario: &Scenario, timeout: Duration) -> Result<Self, Error> {
        let builder = reqwest::Client::builder()
            .user_agent(concat!(
                "kiemdinh-monitor/",
                env!("CARGO_PKG_VERSION"),
                " (availability monitoring)"
            ))
            .redirect(reqwest::redirect::Policy::limited(5))
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .pool_max_idle_per_host(2)
            .tls_info(true);
        let builder = crate::probe::http::trust_scenario_ca(builder, scenario)?;
        let client = builder
            .build()
            .map_err(|e| Error::Client(crate::probe::http::error_chain(&e)))?;
        let marks = [scenario.name.as_str(), scenario.organisation.as_str()]
            .into_iter()
            .filter(|m| !m.trim().is_empty())
            .map(crate::unicode::nfc)
            .collect();
        Ok(Self {
            client,
            timeout,
            marks,
        })
    }

    /// Fetches `url` and judges it. Never fails: problems are the outcome.
    pub async fn probe(&self, target: Target, url: &Url) -> Outcome {
        let start = Instant::now();
        let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
        let fetched = tokio::time::timeout(self.timeout, self.fetch(url)).await;
        let latency_ms = Some(ms(start));
        let failed = |status: Option<u16>, tls: Option<i64>, error: String| Outcome {
            ok: false,
            status,
            latency_ms,
            tls_days_left: tls,
            error: Some(error),
        };
        let (status, tls_days_left, body) = match fetched {
            Err(_) => return failed(None, None, format!("timeout after {}", human(self.timeout))),
            Ok(Err(e)) => return failed(None, None, describe(&e, self.timeout)),
            Ok(Ok(answer)) => answer,
        };
        if let Some(days) = tls_days_left.filter(|d| *d < 0) {
            return failed(
                Some(status),
                tls_days_left,
                format!("TLS: the certificate expired {} days ago", -days),
            );
        }
        if !(200..300).contains(&status) {
            return failed(Some(status), tls_days_left, format!("HTTP {status}"));
        }
        if target != Target::DvcqgStatus
            && let Some(why) = self.not_the_portal(&body)
        {
            return failed(
                Some(status),
                tls_days_left,
                format!("not the portal: {why}"),
            );
        }
        Outcome {
            ok: true,
            status: Some(status),
            latency_ms,
            tls_days_left,
            error: None,
        }
    }

    /// The body of a page that answered 2xx within the timeout, else `None`.
    pub async fn page(&self, url: &Url) -> Option<String> {
        match tokio::time::timeout(self.timeout, self.fetch(url)).await {
            Ok(Ok((status, _, body))) if (200..300).contains(&status) => Some(body),
            _ => None,
        }
    }

    async fn fetch(&self, url: &Url) -> Result<(u16, Option<i64>, String), reqwest::Error> {
        let mut resp = self.client.get(url.clone()).send().await?;
        let status = resp.status().as_u16();
        let days = resp
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .and_then(reqwest::tls::TlsInfo::peer_certificate)
            .and_then(days_left);
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await? {
            let room = MAX_BODY - body.len();
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if body.len() >= MAX_BODY {
                break;
            }
        }
        Ok((status, days, String::from_utf8_lossy(&body).into_owned()))
    }

    /// Why a page is not the portal's, `None` when its name or organisation appears.
    fn not_the_portal(&self, body: &str) -> Option<String> {
        let text = words(body);
        if self.marks.is_empty()
            || self
                .marks
                .iter()
                .any(|m| crate::unicode::contains_folded(&text, m))
        {
            return None;
        }
        Some(match title(body) {
            Some(t) => format!(
                "“{t}” does not name {}",
                self.marks.first().map_or("", String::as_str)
            ),
            None => format!(
                "a page without a title that does not name {} ({} bytes)",
                self.marks.first().map_or("", String::as_str),
                body.len()
            ),
        })
    }
}

/// The page with every tag replaced by a space, so words next to markup are words
/// (`Mẫu</title>`): what [`crate::unicode::contains_folded`] compares.
fn words(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_tag = false;
    for c in body.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                out.push(' ');
            }
            (true, '>') => in_tag = false,
            (false, c) => out.push(c),
            (true, _) => {}
        }
    }
    out
}

/// The page's `<title>`, NFC, whitespace collapsed, at most 80 characters.
fn title(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let text: Vec<&str> = body[start..end].split_whitespace().collect();
    let text = crate::unicode::nfc(&text.join(" "));
    let cut: String = text.chars().take(80).collect();
    Some(if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    })
}

/// Days from now until the certificate's `notAfter` (negative once expired).
fn days_left(der: &[u8]) -> Option<i64> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let not_after = cert.validity().not_after.timestamp();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    Some((not_after - now).div_euclid(86_400))
}

/// A duration as people read it: `10 s`, `200 ms`.
fn human(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// A transport failure as one line: `timeout after 10 s`, `TLS: …`, `cannot connect: …`.
fn describe(e: &reqwest::Error, timeout: Duration) -> String {
    let text = crate::probe::http::error_chain(e);
    let lower = text.to_ascii_lowercase();
    if e.is_timeout() {
        format!("timeout after {}", human(timeout))
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        format!("TLS: {text}")
    } else if e.is_connect() {
        format!("cannot connect: {text}")
    } else if e.is_redirect() {
        format!("redirects: {text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_cut_and_collapsed() {
        assert_eq!(
            title("<html><HEAD><title lang=vi>\n  Domain   for sale </TITLE>").as_deref(),
            Some("Domain for sale")
        );
        assert_eq!(title("<p>no title</p>"), None);
        let long = format!("<title>{}</title>", "á".repeat(100));
        let t = title(&long).unwrap();
        assert_eq!(t.chars().count(), 81);
        assert!(t.ends_with('…'));
    }

    #[test]
    fn markup_is_not_part_of_words() {
        assert_eq!(words("<title>Tỉnh Mẫu</title><p>x</p>"), " Tỉnh Mẫu  x ");
        assert!(crate::unicode::contains_folded(
            &words("<h1>Ủy ban nhân dân tỉnh Mẫu</h1>"),
            "Uỷ ban nhân dân tỉnh Mẫu"
        ));
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(human(Duration::from_secs(10)), "10 s");
        assert_eq!(human(Duration::from_millis(160)), "160 ms");
        assert_eq!(human(Duration::from_millis(1500)), "1500 ms");
    }
}
