//! PL1-12: the sampled pages in another browser (Firefox through geckodriver), when one is
//! installed: each page's title and how much text it shows, or what went wrong.

use std::time::Duration;

use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use url::Url;

use super::Driver;
use crate::observation::{OtherBrowser, SmokePage};

/// Loads each page in a headless Firefox. `accept_certs` accepts the portal's certificate
/// without a public root (a staging portal whose CA the scenario names, already checked by the
/// HTTP probe); `timeout` bounds each page.
pub async fn firefox(pages: &[Url], accept_certs: bool, timeout: Duration) -> OtherBrowser {
    let mut out = OtherBrowser {
        browser: "firefox".into(),
        version: None,
        not_run: None,
        pages: Vec::new(),
    };
    let (driver, binary) = match Driver::launch_gecko(Duration::from_secs(15)).await {
        Ok(d) => d,
        Err(why) => {
            out.not_run = Some(why);
            return out;
        }
    };
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("firefox"));
    caps.insert("acceptInsecureCerts".into(), json!(accept_certs));
    caps.insert(
        "moz:firefoxOptions".into(),
        json!({ "args": ["-headless"], "binary": binary.display().to_string() }),
    );
    let mut builder = ClientBuilder::new(HttpConnector::new());
    builder.capabilities(caps);
    let connect = builder.connect(driver.url().as_str());
    let client = match tokio::time::timeout(Duration::from_secs(30), connect).await {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => {
            out.not_run = Some(format!("Firefox did not start: {e}"));
            return out;
        }
        Err(_) => {
            out.not_run = Some("Firefox did not start within 30 s".into());
            return out;
        }
    };
    out.version = client
        .capabilities()
        .and_then(|c| c.get("browserVersion"))
        .and_then(|v| v.as_str())
        .map(String::from);
    for url in pages {
        let mut page = SmokePage {
            url: url.to_string(),
            title: None,
            text_chars: 0,
            error: None,
        };
        let load = async {
            client.goto(url.as_str()).await?;
            client
                .execute(
                    "return [document.title, document.body ? document.body.innerText.trim().length : 0];",
                    vec![],
                )
                .await
        };
        match tokio::time::timeout(timeout, load).await {
            Ok(Ok(v)) => {
                page.title = v[0]
                    .as_str()
                    .filter(|t| !t.trim().is_empty())
                    .map(String::from);
                page.text_chars = v[1].as_u64().unwrap_or(0);
            }
            Ok(Err(e)) => page.error = Some(e.to_string()),
            Err(_) => page.error = Some(format!("not loaded within {} ms", timeout.as_millis())),
        }
        out.pages.push(page);
    }
    let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
    drop(driver);
    out
}
