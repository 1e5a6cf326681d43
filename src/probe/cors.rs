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
            fetch.headers = super::http::header_pairs(resp.headers());
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::input::Source;
    use crate::probe::tape::{Replay, Tape};
    use crate::scenario::Scenario;

    fn fetcher(tape: Option<Arc<Tape>>) -> Fetcher {
        let s = Scenario::from_source(&Source {
            path: "s.toml".into(),
            text: "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\nbase-url = \"https://127.0.0.1:9/\"\n[pages]\ntimeout-ms = 2000\n".into(),
        })
        .unwrap();
        Fetcher::new(&s).unwrap().with_tape(tape)
    }

    #[tokio::test]
    async fn a_live_preflight_is_recorded_and_a_stored_one_is_replayed_without_a_request() {
        let target = Url::parse("https://127.0.0.1:9/").unwrap();
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = Arc::clone(&seen);
        let tape = Arc::new(Tape::new(Replay::default(), move |r| {
            if let Recorded::Fetch(u, _) = r {
                log.lock().unwrap().push(u.to_string());
            }
        }));
        // Port 9 (discard) on loopback refuses: the failure is a fact, and it is journaled.
        let live = preflight(&fetcher(Some(Arc::clone(&tape))), &target).await;
        assert!(live.fetch.status.is_none() && live.fetch.error.is_some());
        assert_eq!(live.origin, CORS_ORIGIN);
        assert_eq!(
            *seen.lock().unwrap(),
            [format!("https://127.0.0.1:9/#{TAPE_FRAGMENT}")]
        );
        let mut replay = Replay::default();
        let stored = Fetch {
            status: Some(204),
            headers: vec![("access-control-allow-origin".into(), "*".into())],
            ..Fetch::default()
        };
        replay.add_fetch(format!("https://127.0.0.1:9/#{TAPE_FRAGMENT}"), stored);
        let tape = Arc::new(Tape::new(replay, |_| {
            panic!("a replayed preflight is not recorded")
        }));
        let again = preflight(&fetcher(Some(Arc::clone(&tape))), &target).await;
        assert_eq!(again.fetch.status, Some(204));
        assert_eq!(tape.replayed(), 1);
    }
}
