//! The probes' tape: what the HTTP and TLS probes observed, reported as it is observed (the
//! journal writes it down) and, on `assess --resume`, handed back so that nothing already
//! observed is fetched again; journeys (flows) and the load run that ended before the
//! interruption are handed back whole (the journal writes them when they end).
//!
//! A [`Tape`] is given to the [`super::http::Fetcher`]s and the TLS probe of one run. Before
//! fetching a URL the fetcher asks the tape; a replayed answer is returned as it was observed
//! (its times included) and not reported again, a live one is reported through the tape's
//! recorder. Judges never see the tape: they get the same observations either way.
//!
//! Observations are keyed by URL *after rebasing* ([`Rebase`]): the reference portal started
//! by `assess --demo` comes back on other ports, so a stored `https://127.0.0.1:41234/thu-tuc/`
//! answers for `https://127.0.0.1:45678/thu-tuc/` — the same path on the same portal. Several
//! answers for one URL are replayed in the order they were observed.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use url::Url;

use crate::observation::{Fetch, FlowRun, LoadRun, TlsFacts};

/// A script file's text and whether it was cut, or why there is none.
pub type Text = Result<(String, bool), String>;

/// One observation as it is made.
pub enum Recorded<'a> {
    /// A page fetched (the URL asked for).
    Fetch(&'a Url, &'a Fetch),
    /// A script file read.
    Script(&'a Url, &'a Text),
    /// The TLS handshake.
    Tls(&'a TlsFacts),
}

/// Observations of an interrupted run, to be replayed.
#[derive(Debug, Default)]
pub struct Replay {
    fetches: HashMap<String, VecDeque<Fetch>>,
    scripts: HashMap<String, VecDeque<Text>>,
    tls: Option<TlsFacts>,
    flows: HashMap<String, FlowRun>,
    load: Option<LoadRun>,
}

impl Replay {
    /// Adds a page's fetch, observed for `url` (already rebased).
    pub fn add_fetch(&mut self, url: String, fetch: Fetch) {
        self.fetches.entry(url).or_default().push_back(fetch);
    }

    /// Adds a script file's text, observed for `url` (already rebased).
    pub fn add_script(&mut self, url: String, text: Text) {
        self.scripts.entry(url).or_default().push_back(text);
    }

    /// Sets the TLS handshake observed.
    pub fn set_tls(&mut self, tls: TlsFacts) {
        self.tls = Some(tls);
    }

    /// Adds a journey (flow) that ran to its end (already rebased); a later run of the same
    /// name replaces it.
    pub fn add_flow(&mut self, flow: FlowRun) {
        self.flows.insert(flow.name.clone(), flow);
    }

    /// Sets the load run measured to its end (already rebased).
    pub fn set_load(&mut self, run: LoadRun) {
        self.load = Some(run);
    }

    /// How many observations it holds (pages, scripts, the handshake, journeys, the load run).
    pub fn len(&self) -> usize {
        self.fetches.values().map(VecDeque::len).sum::<usize>()
            + self.scripts.values().map(VecDeque::len).sum::<usize>()
            + usize::from(self.tls.is_some())
            + self.flows.len()
            + usize::from(self.load.is_some())
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The recorder of live observations, with what is left to replay.
pub struct Tape {
    replay: Mutex<Replay>,
    record: Box<dyn Fn(Recorded<'_>) + Send + Sync>,
    replayed: AtomicUsize,
}

impl Tape {
    /// A tape that reports every live observation to `record` and replays `replay` first.
    pub fn new(replay: Replay, record: impl Fn(Recorded<'_>) + Send + Sync + 'static) -> Self {
        Self {
            replay: Mutex::new(replay),
            record: Box::new(record),
            replayed: AtomicUsize::new(0),
        }
    }

    /// How many observations were replayed instead of made.
    pub fn replayed(&self) -> usize {
        self.replayed.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Replay> {
        self.replay
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The stored fetch of `url`, if any is left.
    pub(crate) fn take_fetch(&self, url: &Url) -> Option<Fetch> {
        let f = self.lock().fetches.get_mut(url.as_str())?.pop_front()?;
        self.replayed.fetch_add(1, Ordering::Relaxed);
        Some(f)
    }

    /// The stored text of the script at `url`, if any is left.
    pub(crate) fn take_script(&self, url: &Url) -> Option<Text> {
        let t = self.lock().scripts.get_mut(url.as_str())?.pop_front()?;
        self.replayed.fetch_add(1, Ordering::Relaxed);
        Some(t)
    }

    /// The stored TLS handshake, if any.
    pub(crate) fn take_tls(&self) -> Option<TlsFacts> {
        let t = self.lock().tls.take()?;
        self.replayed.fetch_add(1, Ordering::Relaxed);
        Some(t)
    }

    /// The stored run of the journey (flow) named `name`, if it ran to its end.
    pub fn take_flow(&self, name: &str) -> Option<FlowRun> {
        let f = self.lock().flows.remove(name)?;
        self.replayed.fetch_add(1, Ordering::Relaxed);
        Some(f)
    }

    /// The stored load run, if it was measured to its end.
    pub fn take_load(&self) -> Option<LoadRun> {
        let r = self.lock().load.take()?;
        self.replayed.fetch_add(1, Ordering::Relaxed);
        Some(r)
    }

    /// Reports a live observation.
    pub(crate) fn record(&self, r: Recorded<'_>) {
        (self.record)(r);
    }
}

/// Moves URLs of one run of a portal onto another run's: each origin of the old run (its
/// HTTPS and plain-HTTP bases) maps to the new run's. When only the ports changed (the
/// reference portal on loopback), any URL authority ending in an old port takes the new one,
/// whatever the host name (`localhost`, `emc.localhost`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebase {
    /// (old authority or `:PORT`, new one), longest first.
    map: Vec<(String, String)>,
}

/// `host:port` of a URL (the port always written).
fn authority(u: &Url) -> Option<(String, u16)> {
    Some((u.host_str()?.to_string(), u.port_or_known_default()?))
}

impl Rebase {
    /// From the old run's bases to the new run's (pairs of `base-url`, `http-url`).
    pub fn new(pairs: &[(&Url, &Url)]) -> Self {
        let mut map = Vec::new();
        for (old, new) in pairs {
            let (Some((oh, op)), Some((nh, np))) = (authority(old), authority(new)) else {
                continue;
            };
            if (oh.as_str(), op) == (nh.as_str(), np) {
                continue;
            }
            if oh == nh {
                map.push((format!(":{op}"), format!(":{np}")));
            } else {
                map.push((format!("{oh}:{op}"), format!("{nh}:{np}")));
                if old.port().is_none() {
                    map.push((oh.clone(), format!("{nh}:{np}")));
                }
            }
        }
        map.sort_by_key(|(o, _)| std::cmp::Reverse(o.len()));
        Self { map }
    }

    /// Whether nothing moves.
    pub fn is_identity(&self) -> bool {
        self.map.is_empty()
    }

    /// Rebases every URL inside a text: each authority after `://`.
    pub fn text(&self, s: &str) -> String {
        if self.is_identity() || !s.contains("://") {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(at) = rest.find("://") {
            out.push_str(&rest[..at + 3]);
            rest = &rest[at + 3..];
            let end = rest
                .find(['/', '?', '#', '"', '\'', ' ', '<', '>', '\n'])
                .unwrap_or(rest.len());
            let auth = &rest[..end];
            out.push_str(&self.authority(auth));
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    fn authority(&self, auth: &str) -> String {
        for (old, new) in &self.map {
            if old.starts_with(':') {
                if let Some(host) = auth.strip_suffix(old.as_str())
                    && !host.is_empty()
                {
                    return format!("{host}{new}");
                }
            } else if auth == old {
                return new.clone();
            }
        }
        auth.to_string()
    }

    /// Rebases every string (and object key) of a JSON value.
    pub fn json(&self, v: &mut serde_json::Value) {
        if self.is_identity() {
            return;
        }
        match v {
            serde_json::Value::String(s) => *s = self.text(s),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| self.json(x)),
            serde_json::Value::Object(o) => {
                let old = std::mem::take(o);
                for (k, mut x) in old {
                    self.json(&mut x);
                    o.insert(self.text(&k), x);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn a_port_change_moves_every_host_on_that_port() {
        let (old, new) = (u("https://127.0.0.1:41000/"), u("https://127.0.0.1:42000/"));
        let (old_http, new_http) = (u("http://127.0.0.1:41001/"), u("http://127.0.0.1:42001/"));
        let r = Rebase::new(&[(&old, &new), (&old_http, &new_http)]);
        assert_eq!(
            r.text("see https://127.0.0.1:41000/thu-tuc/?q=1 and http://localhost:41001/idp"),
            "see https://127.0.0.1:42000/thu-tuc/?q=1 and http://localhost:42001/idp"
        );
        assert_eq!(
            r.text("https://emc.localhost:41000/emc/tracking"),
            "https://emc.localhost:42000/emc/tracking"
        );
        // Other ports, numbers outside URLs and other schemes' text stay.
        assert_eq!(
            r.text("https://127.0.0.1:410001/ 41000 https://x.vn/:41000"),
            "https://127.0.0.1:410001/ 41000 https://x.vn/:41000"
        );
        let mut v = serde_json::json!({"https://127.0.0.1:41000/": ["http://127.0.0.1:41001/"], "n": 41000});
        r.json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"https://127.0.0.1:42000/": ["http://127.0.0.1:42001/"], "n": 41000})
        );
    }

    #[test]
    fn a_host_change_moves_that_host_only_and_the_same_bases_move_nothing() {
        let r = Rebase::new(&[(&u("https://old.gov.vn/"), &u("https://new.gov.vn:8443/"))]);
        assert_eq!(
            r.text("https://old.gov.vn/a https://old.gov.vn:443/b https://other.vn/"),
            "https://new.gov.vn:8443/a https://new.gov.vn:8443/b https://other.vn/"
        );
        let same = u("https://dichvucong.mau.gov.vn/");
        assert!(Rebase::new(&[(&same, &same)]).is_identity());
    }

    #[test]
    fn the_tape_replays_in_order_then_lets_the_probe_fetch() {
        let mut replay = Replay::default();
        let first = Fetch {
            status: Some(200),
            ..Fetch::default()
        };
        let second = Fetch {
            status: Some(302),
            ..Fetch::default()
        };
        replay.add_fetch("https://a.vn/".into(), first);
        replay.add_fetch("https://a.vn/".into(), second);
        replay.add_script("https://a.vn/x.js".into(), Err("HTTP 404".into()));
        assert_eq!(replay.len(), 3);
        let seen = std::sync::Arc::new(AtomicUsize::new(0));
        let s = seen.clone();
        let tape = Tape::new(replay, move |_| {
            s.fetch_add(1, Ordering::Relaxed);
        });
        let home = u("https://a.vn/");
        assert_eq!(tape.take_fetch(&home).unwrap().status, Some(200));
        assert_eq!(tape.take_fetch(&home).unwrap().status, Some(302));
        assert!(tape.take_fetch(&home).is_none(), "each answer once");
        assert!(tape.take_fetch(&u("https://a.vn/b")).is_none());
        assert!(tape.take_script(&u("https://a.vn/x.js")).unwrap().is_err());
        assert!(tape.take_tls().is_none());
        assert_eq!(tape.replayed(), 3);
        tape.record(Recorded::Fetch(&home, &Fetch::default()));
        assert_eq!(seen.load(Ordering::Relaxed), 1);
    }
}
