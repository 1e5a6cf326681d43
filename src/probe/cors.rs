//! The CORS probe: exactly one harmless preflight per run, an `OPTIONS` request to the home
//! page (after its redirects, as MDN HTTP Observatory does) with an `Origin` no portal can
//! know and `Access-Control-Request-Method: GET`. Nothing is changed on the portal: a
//! preflight carries no body and no credentials. The answer is journaled like a page fetch
//! (under the URL with the fragment [`TAPE_FRAGMENT`]), so `assess --resume` replays it.

use url::Url;

use super::http::{Fetcher, error_chain, error_kind};
use super::tape::Recorded;
use crate::observation::{CorsPreflight, Fetch, FetchError, Page, Role};

/// The `Origin` sent: a reserved `.invalid` name, so a portal that answers with it reflects
/// whatever it is sent.
pub const CORS_ORIGIN: &str = "https://kiemdinh-cors-check.invalid";

/// The fragment that keys the preflight on the tape (a fragment is never sent).
pub const TAPE_FRAGMENT: &str = "kiemdinh-cors-preflight";

/// Requests the preflight sends: one.
pub const REQUESTS: usize = 1;

/// Where the preflight goes: the home page's final URL, else the base URL.
pub fn target(base: &Url, pages: &[Page]) -> Url {
    pages
        .iter()
        .find(|p| p.roles.contains(&Role::Home))
        .filter(|p| p.fetch.status.is_some())
        .and_then(|p| Url::parse(&p.fetch.final_url).ok())
        .unwrap_or_else(|| base.clone())
}

/// Sends the preflight (or replays it from the tape). Never fails: problems are facts.
pub async fn preflight(fetcher: &Fetcher, target: &Url) -> CorsPreflight {
    let mut key = target.clone();
    key.set_fragment(Some(TAPE_FRAGMENT));
    let fetch = if let Some(f) = fetcher.tape().and_then(|t| t.take_fetch(&key)) {
        f
    } else {
        let f = live(fetcher, target).await;
        if let Some(t) = fetcher.tape() {
            t.record(Recorded::Fetch(&key, &f));
        }
        f
    };
    CorsPreflight {
        url: target.to_string(),
        origin: CORS_ORIGIN.to_string(),
        fetch,
    }
}

async fn live(fetcher: &Fetcher, target: &Url) -> Fetch {
    let start = std::time::Instant::now();
    let sent = fetcher
        .client()
        .request(reqwest::Method::OPTIONS, target.clone())
        .header(reqwest::header::ORIGIN, CORS_ORIGIN)
        .header("access-control-request-method", "GET")
        .send()
        .await;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut fetch = Fetch {
        final_url: target.to_string(),
        ttfb_ms: ms,
        total_ms: ms,
        ..Fetch::default()
    };
    match sent {
        Ok(resp) => {
            fetch.status = Some(resp.status().as_u16());
            fetch.headers = resp
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
        }
        Err(e) => {
            fetch.error = Some(FetchError {
                kind: error_kind(&e),
                message: error_chain(&e),
            });
        }
    }
    fetch
}
