//! One load user: each goose transaction sends the next step of the user's journey and then
//! thinks, so goose can stop a user between any two steps. Values captured from answers and
//! the user's cookies live in the user's session data.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use goose::goose::GooseUser;
use reqwest::cookie::CookieStore as _;

use super::record::{Failure, Recorder};
use crate::observation::LoadMode;
use crate::scenario::load::{Body, CaptureFrom, Journey, LoadStep};

/// Largest body read for captures; the rest is read and dropped.
const MAX_CAPTURE_BYTES: usize = 2 * 1024 * 1024;
/// Longest sleep between checks that the run is over.
const TICK: Duration = Duration::from_millis(100);

/// What every user of one attack shares.
pub struct Shared {
    /// The client (one pool; cookies are per user).
    pub client: reqwest::Client,
    /// The journeys.
    pub journeys: Vec<Journey>,
    /// Index of each journey's first step among all steps (recorder order).
    pub step_offset: Vec<usize>,
    /// Journey of each global user index (cycled).
    pub assignment: Vec<usize>,
    /// The recorder.
    pub recorder: Arc<Recorder>,
    /// Default think time, ms.
    pub think_ms: u64,
    /// Closed or open.
    pub mode: LoadMode,
    /// Open model: journeys per second over all segments.
    pub rate: Option<f64>,
    /// Users over all segments (open-model slots).
    pub total_users: u32,
    /// This segment (0-based) and the count.
    pub segment: (u32, u32),
    /// `[load.data]`.
    pub data: std::collections::BTreeMap<String, Vec<String>>,
    /// When the plan ends, after the recorder's start.
    pub plan: Duration,
}

/// A user's own state.
#[derive(Clone)]
struct UserState {
    global: u64,
    journey: usize,
    position: usize,
    iteration: u64,
    vars: HashMap<String, String>,
    jar: Arc<reqwest::cookie::Jar>,
    journey_started: Instant,
    next_due: Option<Instant>,
}

impl Shared {
    fn over(&self) -> bool {
        goose::is_killswitch_triggered() || self.recorder.start().elapsed() >= self.plan
    }

    /// Sleeps `d` in short ticks, returning early when the run is over.
    async fn sleep(&self, d: Duration) {
        let until = Instant::now() + d;
        while !self.over() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            tokio::time::sleep(left.min(TICK)).await;
        }
    }

    fn state(&self, user: &mut GooseUser) -> UserState {
        if let Some(s) = user.get_session_data::<UserState>() {
            return s.clone();
        }
        let (index, of) = self.segment;
        let global = user.weighted_users_index as u64 * u64::from(of) + u64::from(index);
        let journey = self.assignment[(global as usize) % self.assignment.len().max(1)];
        self.recorder.user_started();
        self.recorder.journey_user(journey);
        let next_due = self
            .rate
            .filter(|_| self.mode == LoadMode::Open)
            .map(|r| self.recorder.start() + Duration::from_secs_f64(global as f64 / r));
        UserState {
            global,
            journey,
            position: 0,
            iteration: 0,
            vars: HashMap::new(),
            jar: Arc::new(reqwest::cookie::Jar::default()),
            journey_started: Instant::now(),
            next_due,
        }
    }

    /// Runs the user's next step (and its think time).
    pub async fn tick(&self, user: &mut GooseUser) {
        let mut st = self.state(user);
        self.step(&mut st).await;
        user.set_session_data(st);
    }

    /// The user leaves.
    pub fn stop(&self, user: &mut GooseUser) {
        if user.get_session_data::<UserState>().is_some() {
            self.recorder.user_stopped();
        }
    }

    async fn step(&self, st: &mut UserState) {
        if self.over() {
            // goose loops the transaction until it stops the user: never spin.
            tokio::time::sleep(TICK).await;
            return;
        }
        if st.position == 0 {
            if let Some(due) = st.next_due {
                self.wait_for_slot(st, due).await;
                if self.over() {
                    return;
                }
            }
            st.journey_started = Instant::now();
        }
        let journey = &self.journeys[st.journey];
        let Some(step) = journey.steps.get(st.position) else {
            tokio::time::sleep(TICK).await;
            return;
        };
        if !self.recorder.admit() {
            tokio::time::sleep(TICK).await;
            return;
        }
        let at = Instant::now();
        let failure = self.send(step, st).await;
        let took = at.elapsed();
        let index = self.step_offset[st.journey] + st.position;
        self.recorder.request(index, at, took, failure);
        let last = st.position + 1 == journey.steps.len();
        if failure.is_some() || last {
            self.recorder
                .journey_done(st.journey, st.journey_started, failure.is_none());
            st.position = 0;
            st.iteration += 1;
            st.vars.clear();
        } else {
            st.position += 1;
        }
        let think = Duration::from_millis(step.think_ms.unwrap_or(self.think_ms));
        if self.mode == LoadMode::Closed && !think.is_zero() && took > think {
            // The user's pace planned the next request `think` after this one started; it
            // goes out `took - think` late (coordinated omission).
            self.recorder.late(at, took.saturating_sub(think));
        }
        self.sleep(think).await;
    }

    /// Open model: waits for the user's next journey slot; slots already missed are dropped.
    async fn wait_for_slot(&self, st: &mut UserState, due: Instant) {
        let period = Duration::from_secs_f64(
            f64::from(self.total_users.max(1)) / self.rate.unwrap_or(1.0).max(1e-9),
        );
        let now = Instant::now();
        let mut due = due;
        if now > due + period {
            #[expect(clippy::cast_sign_loss, reason = "now > due: the quotient is positive")]
            let missed = ((now - due).as_secs_f64() / period.as_secs_f64()).floor() as u64;
            self.recorder.dropped(now, missed);
            due += period.mul_f64(missed as f64);
        }
        self.sleep(due.saturating_duration_since(now)).await;
        st.next_due = Some(due + period);
    }

    fn value(&self, st: &UserState, name: &str) -> Option<String> {
        match name {
            "user" => Some(st.global.to_string()),
            "iteration" => Some(st.iteration.to_string()),
            _ => st.vars.get(name).cloned().or_else(|| {
                self.data.get(name).and_then(|v| {
                    v.get(((st.iteration + st.global) % v.len().max(1) as u64) as usize)
                        .cloned()
                })
            }),
        }
    }

    async fn send(&self, step: &LoadStep, st: &mut UserState) -> Option<Failure> {
        let val = |n: &str| self.value(st, n);
        // Values go into the URL as they are (a captured value may be a path or a query);
        // the URL parser percent-encodes spaces and non-ASCII letters.
        let Ok(Ok(url)) = step
            .url
            .render(val, str::to_string)
            .map(|u| url::Url::parse(&u))
        else {
            return Some(Failure::Request);
        };
        let method = reqwest::Method::from_bytes(step.method.as_bytes()).unwrap_or_default();
        let mut rb = self.client.request(method, url.clone());
        for (k, v) in &step.headers {
            let Ok(v) = v.render(val, str::to_string) else {
                return Some(Failure::Request);
            };
            rb = rb.header(k, v);
        }
        if let Some(c) = st.jar.cookies(&url) {
            rb = rb.header(reqwest::header::COOKIE, c);
        }
        rb = match &step.body {
            Body::None => rb,
            Body::Raw(t) => match t.render(val, str::to_string) {
                Ok(b) => rb.body(b),
                Err(_) => return Some(Failure::Request),
            },
            Body::Form(fields) => {
                let mut ser = url::form_urlencoded::Serializer::new(String::new());
                for (k, t) in fields {
                    let Ok(v) = t.render(val, str::to_string) else {
                        return Some(Failure::Request);
                    };
                    ser.append_pair(k, &v);
                }
                rb.header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(ser.finish())
            }
            Body::Json(t) => {
                let json_str = |s: &str| {
                    let q = serde_json::to_string(s).unwrap_or_default();
                    q[1..q.len().saturating_sub(1).max(1)].to_string()
                };
                match t.render(val, json_str) {
                    Ok(b) => rb
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(b),
                    Err(_) => return Some(Failure::Request),
                }
            }
        };
        let mut resp = match rb.send().await {
            Ok(r) => r,
            Err(e) => return Some(classify(&e)),
        };
        let cookies: Vec<_> = resp
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .cloned()
            .collect();
        if !cookies.is_empty() {
            st.jar.set_cookies(&mut cookies.iter(), resp.url());
        }
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let keep = !step.captures.is_empty();
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(c)) => {
                    if keep && body.len() < MAX_CAPTURE_BYTES {
                        body.extend_from_slice(&c);
                    }
                }
                Ok(None) => break,
                Err(e) => return Some(classify(&e)),
            }
        }
        let ok = match step.expect_status {
            Some(s) => status == s,
            None => (200..400).contains(&status),
        };
        if !ok {
            return Some(Failure::Status(status));
        }
        for c in &step.captures {
            let text = String::from_utf8_lossy(&body);
            let got = match &c.from {
                CaptureFrom::Regex(r) => r.captures(&text).and_then(|m| {
                    m.get(1)
                        .or_else(|| m.get(0))
                        .map(|g| g.as_str().to_string())
                }),
                CaptureFrom::Json(p) => serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| {
                        v.pointer(p).map(|x| match x {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                    }),
                CaptureFrom::Header(h) => headers
                    .get(h.as_str())
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string),
            };
            match got {
                Some(v) => {
                    st.vars.insert(c.name.clone(), v);
                }
                None => return Some(Failure::Capture),
            }
        }
        None
    }
}

fn classify(e: &reqwest::Error) -> Failure {
    if e.is_timeout() {
        Failure::Timeout
    } else if e.is_connect() {
        Failure::Connect
    } else if e.is_body() || e.is_decode() {
        Failure::Body
    } else if let Some(s) = e.status() {
        Failure::Status(s.as_u16())
    } else {
        Failure::Connect
    }
}
