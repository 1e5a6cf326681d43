//! What a page tried to send to the EMC tracker: the blocking patterns for the tracker hosts,
//! and the requests to them read back from ChromeDriver's network log.

use serde_json::Value;
use url::Url;

use crate::observation::{TrackerFacts, TrackerRequest};

/// Largest tracker request body kept.
const MAX_BODY: usize = 512;

/// `Network.setBlockedURLs` patterns for hosts (any scheme, any port).
pub fn blocked_patterns(hosts: &[String]) -> Vec<String> {
    hosts
        .iter()
        .flat_map(|h| [format!("*://{h}/*"), format!("*://{h}:*/*")])
        .collect()
}

/// Requests to tracker hosts from the network log, with whether the browser blocked them.
pub fn tracker_facts(
    events: &[Value],
    hosts: &[String],
    queue: &str,
    queued: &Value,
) -> TrackerFacts {
    let on_tracker = |u: &str| {
        Url::parse(u)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .is_some_and(|h| hosts.iter().any(|t| t.eq_ignore_ascii_case(&h)))
    };
    let mut requests: Vec<(String, TrackerRequest)> = Vec::new();
    for e in events {
        let p = &e["params"];
        match e["method"].as_str() {
            Some("Network.requestWillBeSent") => {
                let url = p["request"]["url"].as_str().unwrap_or_default();
                if !on_tracker(url) {
                    continue;
                }
                requests.push((
                    p["requestId"].as_str().unwrap_or_default().to_string(),
                    TrackerRequest {
                        url: url.chars().take(2048).collect(),
                        method: p["request"]["method"].as_str().unwrap_or("GET").to_string(),
                        resource_type: p["type"].as_str().unwrap_or("Other").to_string(),
                        blocked: false,
                        body: p["request"]["postData"]
                            .as_str()
                            .map(|b| b.chars().take(MAX_BODY).collect()),
                    },
                ));
            }
            Some("Network.loadingFailed") if p["blockedReason"].is_string() => {
                let id = p["requestId"].as_str().unwrap_or_default();
                for (rid, r) in &mut requests {
                    if rid == id {
                        r.blocked = true;
                    }
                }
            }
            _ => {}
        }
    }
    TrackerFacts {
        blocked_hosts: hosts.to_vec(),
        queue: queued.as_array().cloned(),
        queue_name: queue.to_string(),
        requests: requests.into_iter().map(|(_, r)| r).collect(),
        error: None,
    }
}

#[cfg(test)]
mod unit {
    use super::*;
    use serde_json::json;

    #[test]
    fn patterns_cover_every_port_and_scheme() {
        assert_eq!(
            blocked_patterns(&["emc.gov.vn".into()]),
            ["*://emc.gov.vn/*", "*://emc.gov.vn:*/*"]
        );
    }

    #[test]
    fn tracker_requests_are_matched_with_their_blocking() {
        let events = vec![
            json!({"method": "Network.requestWillBeSent", "params": {"requestId": "1",
                "type": "Document", "request": {"url": "https://portal/", "method": "GET"}}}),
            json!({"method": "Network.requestWillBeSent", "params": {"requestId": "2",
                "type": "Script", "request": {"url": "https://EMC.localhost:8443/t.js", "method": "GET"}}}),
            json!({"method": "Network.loadingFailed", "params": {"requestId": "2",
                "blockedReason": "inspector", "errorText": ""}}),
            json!({"method": "Network.requestWillBeSent", "params": {"requestId": "3",
                "type": "Ping", "request": {"url": "https://emc.localhost/hit", "method": "POST",
                "postData": "idsite=1"}}}),
        ];
        let f = tracker_facts(
            &events,
            &["emc.localhost".into()],
            "_govaq",
            &json!([["trackPageView"]]),
        );
        assert_eq!(
            f.requests.len(),
            2,
            "the portal's own request is not the tracker's"
        );
        assert!(f.requests[0].blocked);
        assert_eq!(f.requests[0].resource_type, "Script");
        assert!(!f.requests[1].blocked, "no loadingFailed: not blocked");
        assert_eq!(f.requests[1].body.as_deref(), Some("idsite=1"));
        assert_eq!(f.queue, Some(vec![json!(["trackPageView"])]));
        let none = tracker_facts(&[], &[], "_govaq", &Value::Null);
        assert_eq!(none.queue, None);
    }
}
