//! A DevTools trace over the page target's websocket: navigation start, screenshot frames, and
//! the paint marks, for Speed Index and as a second source for FCP/LCP.
//!
//! Recipe (`STACK.md`): the session's `goog:chromeOptions.debuggerAddress` → `GET /json/list`
//! → the page target's `webSocketDebuggerUrl`; `Tracing.start` (`transferMode: ReportEvents`),
//! navigate, `Tracing.end`, then `Tracing.dataCollected` batches until `Tracing.tracingComplete`.

use std::time::Duration;

use base64::Engine;
use futures_util::SinkExt;
use futures_util::stream::{SplitSink, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{BrowserError, bounded};

/// The categories that carry screenshots, navigation start and paint marks (`STACK.md`).
const CATEGORIES: &str =
    "devtools.timeline,disabled-by-default-devtools.screenshot,loading,blink.user_timing";

/// Wait between `Tracing.start` and the navigation, so the renderer records from the start.
const TRACING_SETTLE: Duration = Duration::from_millis(300);

/// A trace larger than this is abandoned (a page that never stops animating).
const MAX_EVENTS: usize = 2_000_000;

/// One screenshot from the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Screenshot {
    /// Trace timestamp, µs (same clock as [`Trace::navigation_start_us`]).
    pub ts_us: f64,
    /// The JPEG, decoded from base64.
    pub jpeg: Vec<u8>,
}

/// What the trace says about one navigation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    /// `navigationStart` of the main-frame navigation to an http(s) page, µs.
    pub navigation_start_us: Option<f64>,
    /// Screenshots in time order (Chromium emits one only when a frame changed).
    pub screenshots: Vec<Screenshot>,
    /// `firstContentfulPaint` of that frame, µs.
    pub fcp_us: Option<f64>,
    /// The last `largestContentfulPaint::Candidate` of that frame, µs.
    pub lcp_us: Option<f64>,
    /// How many trace events arrived in all.
    pub event_count: usize,
}

/// Accumulates the events that matter while batches arrive; [`Collector::finish`] resolves
/// them against the chosen navigation.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    /// (ts, frame, main frame, http(s) URL)
    navigations: Vec<(f64, String, bool, bool)>,
    fcps: Vec<(f64, String)>,
    lcps: Vec<(f64, String)>,
    screenshots: Vec<Screenshot>,
    count: usize,
    bad_screenshots: usize,
}

impl Collector {
    /// Takes one trace event.
    pub(crate) fn push(&mut self, event: &Value) {
        self.count += 1;
        let Some(ts) = event["ts"].as_f64() else {
            return;
        };
        let frame = || {
            event["args"]["frame"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        match event["name"].as_str().unwrap_or_default() {
            "navigationStart" => {
                let data = &event["args"]["data"];
                let url = data["documentLoaderURL"].as_str().unwrap_or_default();
                self.navigations.push((
                    ts,
                    frame(),
                    data["isLoadingMainFrame"].as_bool().unwrap_or(false),
                    url.starts_with("http://") || url.starts_with("https://"),
                ));
            }
            "firstContentfulPaint" => self.fcps.push((ts, frame())),
            "largestContentfulPaint::Candidate" => self.lcps.push((ts, frame())),
            "Screenshot" => {
                let decoded = event["args"]["snapshot"]
                    .as_str()
                    .map(|s| base64::engine::general_purpose::STANDARD.decode(s));
                match decoded {
                    Some(Ok(jpeg)) => self.screenshots.push(Screenshot { ts_us: ts, jpeg }),
                    _ => self.bad_screenshots += 1,
                }
            }
            _ => {}
        }
    }

    /// How many events so far.
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// Picks the main-frame http(s) navigation (the last one, else the last of any kind) and
    /// the paint marks of its frame that follow it.
    pub(crate) fn finish(mut self) -> Trace {
        let nav = self
            .navigations
            .iter()
            .rev()
            .find(|n| n.2 && n.3)
            .or_else(|| self.navigations.last())
            .cloned();
        let after = |marks: &[(f64, String)], (start, frame): (f64, &str)| {
            marks
                .iter()
                .filter(|(ts, f)| *ts >= start && (frame.is_empty() || f.is_empty() || f == frame))
                .map(|(ts, _)| *ts)
                .collect::<Vec<_>>()
        };
        let (fcp_us, lcp_us) = match &nav {
            Some((start, frame, ..)) => (
                after(&self.fcps, (*start, frame))
                    .into_iter()
                    .reduce(f64::min),
                after(&self.lcps, (*start, frame))
                    .into_iter()
                    .reduce(f64::max),
            ),
            None => (None, None),
        };
        self.screenshots.sort_by(|a, b| a.ts_us.total_cmp(&b.ts_us));
        Trace {
            navigation_start_us: nav.map(|n| n.0),
            screenshots: self.screenshots,
            fcp_us,
            lcp_us,
            event_count: self.count,
        }
    }
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A running trace. Navigate after [`Tracer::start`], then call [`Tracer::finish`]; dropping
/// it stops reading and closes the socket.
#[derive(Debug)]
pub struct Tracer {
    sink: SplitSink<Socket, Message>,
    replies: mpsc::UnboundedReceiver<Value>,
    reader: JoinHandle<Result<Trace, BrowserError>>,
    timeout: Duration,
}

impl Drop for Tracer {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl Tracer {
    /// Connects to the page target behind `debugger_address` (`host:port`) and starts tracing;
    /// `timeout` bounds each step.
    pub async fn start(debugger_address: &str, timeout: Duration) -> Result<Self, BrowserError> {
        let ws_url = bounded(
            "devtools target list",
            timeout,
            page_socket(debugger_address),
        )
        .await?;
        let config = WebSocketConfig::default()
            .max_message_size(Some(512 << 20))
            .max_frame_size(Some(512 << 20));
        let connect = async {
            tokio_tungstenite::connect_async_with_config(ws_url.as_str(), Some(config), true)
                .await
                .map_err(|e| BrowserError::DevTools(format!("websocket `{ws_url}`: {e}")))
        };
        let (socket, _) = bounded("devtools websocket", timeout, connect).await?;
        let (sink, stream) = socket.split();
        let (tx, replies) = mpsc::unbounded_channel();
        let reader = tokio::spawn(read(stream, tx));
        let mut tracer = Self {
            sink,
            replies,
            reader,
            timeout,
        };
        tracer
            .call(
                1,
                "Tracing.start",
                json!({ "categories": CATEGORIES, "transferMode": "ReportEvents" }),
            )
            .await?;
        // `Tracing.start` answers before every process records: a navigation straight after it
        // sometimes leaves the renderer's events (navigationStart, screenshots) out of the trace.
        tokio::time::sleep(TRACING_SETTLE).await;
        Ok(tracer)
    }

    /// Ends tracing and waits (bounded) for every batch.
    pub async fn finish(mut self) -> Result<Trace, BrowserError> {
        self.call(2, "Tracing.end", json!({})).await?;
        let timeout = self.timeout;
        let reader = &mut self.reader;
        let joined = async {
            reader
                .await
                .map_err(|e| BrowserError::DevTools(format!("trace reader: {e}")))?
        };
        bounded("trace collection", timeout, joined).await
    }

    /// Sends one command and waits for its reply.
    async fn call(&mut self, id: u64, method: &str, params: Value) -> Result<(), BrowserError> {
        let text = json!({ "id": id, "method": method, "params": params }).to_string();
        let timeout = self.timeout;
        let send = async {
            self.sink
                .send(Message::Text(text.into()))
                .await
                .map_err(|e| BrowserError::DevTools(format!("`{method}`: {e}")))?;
            loop {
                let Some(reply) = self.replies.recv().await else {
                    return Err(BrowserError::DevTools(format!(
                        "the websocket closed before `{method}` was answered"
                    )));
                };
                if reply["id"].as_u64() != Some(id) {
                    continue;
                }
                return match reply.get("error") {
                    Some(error) => Err(BrowserError::DevTools(format!("`{method}`: {error}"))),
                    None => Ok(()),
                };
            }
        };
        bounded(method, timeout, send).await
    }
}

/// `GET http://{address}/json/list` → the first page target's websocket URL.
async fn page_socket(debugger_address: &str) -> Result<String, BrowserError> {
    // Chromium listens on 127.0.0.1; `localhost` may resolve to ::1 first.
    let address = debugger_address.replace("localhost", "127.0.0.1");
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| BrowserError::DevTools(e.to_string()))?;
    let failed = |e: &dyn std::fmt::Display| {
        BrowserError::DevTools(format!("target list at `{address}`: {e}"))
    };
    let body = client
        .get(format!("http://{address}/json/list"))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| failed(&e))?
        .text()
        .await
        .map_err(|e| failed(&e))?;
    let targets: Value = serde_json::from_str(&body).map_err(|e| failed(&e))?;
    targets
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["type"] == "page")
        .and_then(|t| t["webSocketDebuggerUrl"].as_str())
        .map(|u| u.replace("ws://localhost:", "ws://127.0.0.1:"))
        .ok_or_else(|| BrowserError::DevTools(format!("no page target at `{address}`")))
}

/// Reads the socket: replies go to `replies`, trace batches to a [`Collector`], until
/// `Tracing.tracingComplete`.
async fn read(
    mut stream: futures_util::stream::SplitStream<Socket>,
    replies: mpsc::UnboundedSender<Value>,
) -> Result<Trace, BrowserError> {
    let mut collector = Collector::default();
    while let Some(message) = stream.next().await {
        let message = message.map_err(|e| BrowserError::DevTools(format!("websocket: {e}")))?;
        let Message::Text(text) = message else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<Value>(text.as_str()) else {
            continue;
        };
        match value["method"].as_str() {
            Some("Tracing.dataCollected") => {
                for event in value["params"]["value"].as_array().into_iter().flatten() {
                    collector.push(event);
                }
                if collector.count() > MAX_EVENTS {
                    return Err(BrowserError::DevTools(format!(
                        "the trace passed {MAX_EVENTS} events"
                    )));
                }
            }
            Some("Tracing.tracingComplete") => return Ok(collector.finish()),
            Some("Inspector.targetCrashed") => {
                return Err(BrowserError::DevTools("the tab crashed".to_string()));
            }
            Some(_) => {}
            None => {
                let _ = replies.send(value);
            }
        }
    }
    Err(BrowserError::DevTools(
        "the websocket closed before the trace was complete".to_string(),
    ))
}

#[cfg(test)]
mod unit {
    use super::*;

    fn event(name: &str, ts: f64, args: &Value) -> Value {
        json!({ "name": name, "ts": ts, "args": args })
    }

    #[test]
    fn collector_picks_the_http_main_frame_navigation_and_its_marks() {
        let jpeg = base64::engine::general_purpose::STANDARD.encode([0xff, 0xd8, 1, 2]);
        let mut c = Collector::default();
        let nav = |url: &str, main: bool| json!({ "frame": "F", "data": { "documentLoaderURL": url, "isLoadingMainFrame": main } });
        c.push(&event("navigationStart", 100.0, &nav("about:blank", true)));
        c.push(&event(
            "firstContentfulPaint",
            150.0,
            &json!({ "frame": "F" }),
        ));
        c.push(&event(
            "navigationStart",
            1_000.0,
            &nav("http://127.0.0.1/", true),
        ));
        c.push(&event(
            "navigationStart",
            1_500.0,
            &nav("http://127.0.0.1/frame", false),
        ));
        c.push(&event("Screenshot", 3_000.0, &json!({ "snapshot": jpeg })));
        c.push(&event("Screenshot", 2_000.0, &json!({ "snapshot": jpeg })));
        c.push(&event("Screenshot", 2_500.0, &json!({ "snapshot": "%%%" })));
        c.push(&event(
            "firstContentfulPaint",
            2_000.0,
            &json!({ "frame": "F" }),
        ));
        c.push(&event(
            "firstContentfulPaint",
            1_900.0,
            &json!({ "frame": "other" }),
        ));
        c.push(&event(
            "largestContentfulPaint::Candidate",
            2_000.0,
            &json!({ "frame": "F" }),
        ));
        c.push(&event(
            "largestContentfulPaint::Candidate",
            4_000.0,
            &json!({ "frame": "F" }),
        ));
        c.push(&json!({ "name": "noTimestamp" }));
        let t = c.finish();
        assert_eq!(t.navigation_start_us, Some(1_000.0));
        assert_eq!(t.fcp_us, Some(2_000.0));
        assert_eq!(t.lcp_us, Some(4_000.0));
        assert_eq!(t.event_count, 12);
        let ts: Vec<f64> = t.screenshots.iter().map(|s| s.ts_us).collect();
        assert_eq!(ts, [2_000.0, 3_000.0], "sorted, undecodable one dropped");
        assert_eq!(t.screenshots[0].jpeg, [0xff, 0xd8, 1, 2]);
    }

    #[test]
    fn collector_without_navigation_has_no_marks() {
        let mut c = Collector::default();
        c.push(&event("firstContentfulPaint", 2_000.0, &json!({})));
        let t = c.finish();
        assert_eq!(
            (t.navigation_start_us, t.fcp_us, t.lcp_us),
            (None, None, None)
        );
    }

    #[tokio::test]
    async fn a_debugger_address_without_devtools_is_an_error_not_a_hang() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        drop(listener);
        let err = Tracer::start(&address, Duration::from_secs(2))
            .await
            .unwrap_err();
        assert!(matches!(err, BrowserError::DevTools(_)), "{err:?}");
    }
}
