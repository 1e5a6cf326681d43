//! The load-bearing JSON API a load journey drives: catalogue search, one procedure, the
//! dossier lookup and an exact delay. Each answer is built straight from the shared catalogue
//! (a few small allocations, no page chrome), so the portal serves thousands of them a second.
//!
//! - `GET /api/thu-tuc?q=…` — the procedures whose name contains `q` (case-, accent- and
//!   normal-form-insensitive, like the search page), a JSON list; no `q`: the whole catalogue.
//!   `search-broken`: a non-empty `q` answers 500.
//! - `GET /api/thu-tuc/{code}` — one procedure, 404 when unknown.
//! - `POST /api/tra-cuu` — a form (`ma=…`) or JSON (`{"ma": "…"}`) dossier code: the demo's
//!   dossiers (`H55.…`, e.g. `H55.12-260315-0042`) are in progress; another code is 404
//!   (`lookup-silent`: 200 with an empty object); no code or a body that does not parse, 400.
//! - `GET /api/tre?ms=N` — answers N ms after the request reached it, to within tens of
//!   microseconds on an idle machine (0 to [`MAX_DELAY_MS`]), else 400.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use super::{St, level, visible};
use crate::demo::content::Procedure;

/// The longest delay `/api/tre` takes.
pub(in crate::demo) const MAX_DELAY_MS: u64 = 10_000;

/// A procedure in a search answer.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Item<'a> {
    ma: &'a str,
    ten: &'a str,
    linh_vuc: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    muc_do: Option<&'static str>,
}

/// One procedure.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Detail<'a> {
    #[serde(flatten)]
    item: Item<'a>,
    co_quan: &'a str,
    thoi_han_ngay: u32,
    le_phi_dong: u32,
    trang: String,
}

fn item<'a>(st: &St, p: &'a Procedure) -> Item<'a> {
    Item {
        ma: &p.code,
        ten: p.name,
        linh_vuc: p.field,
        muc_do: (!st.defects.has("no-service-level")).then(|| level(p)),
    }
}

/// A JSON answer with a status.
fn json(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A JSON error answer: `{"loi": "…"}`.
fn error(status: StatusCode, message: &str) -> Response {
    json(status, &serde_json::json!({ "loi": message }))
}

/// The search query.
#[derive(Deserialize)]
pub(in crate::demo) struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub(in crate::demo) async fn search(
    AxState(st): AxState<St>,
    Query(query): Query<SearchQuery>,
) -> Response {
    let term = query.q.trim();
    if st.defects.has("search-broken") && !term.is_empty() {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "Hệ thống đang bận");
    }
    let folded = crate::unicode::fold(term);
    let found: Vec<Item<'_>> = visible(&st)
        .filter(|p| folded.is_empty() || crate::unicode::fold(p.name).contains(&folded))
        .map(|p| item(&st, p))
        .collect();
    json(StatusCode::OK, &found)
}

pub(in crate::demo) async fn procedure(
    AxState(st): AxState<St>,
    Path(code): Path<String>,
) -> Response {
    let Some(p) = st.procedures.iter().find(|p| p.code == code) else {
        return error(
            StatusCode::NOT_FOUND,
            &format!("Không tìm thấy thủ tục có mã {code}"),
        );
    };
    json(
        StatusCode::OK,
        &Detail {
            item: item(&st, p),
            co_quan: p.agency,
            thoi_han_ngay: p.days,
            le_phi_dong: p.fee,
            trang: format!("{}thu-tuc/{}", st.base, p.code),
        },
    )
}

/// A dossier lookup's body (form or JSON).
#[derive(Deserialize)]
struct LookupBody {
    #[serde(default)]
    ma: String,
}

/// The dossier code of a lookup body: JSON when the content type says so, else a form.
fn dossier_code(headers: &HeaderMap, body: &[u8]) -> Result<String, &'static str> {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if kind.starts_with("application/json") {
        serde_json::from_slice::<LookupBody>(body)
            .map(|b| b.ma)
            .map_err(|_| "Nội dung JSON không hợp lệ: cần {\"ma\": \"…\"}")
    } else {
        Ok(url::form_urlencoded::parse(body)
            .find(|(k, _)| k == "ma")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default())
    }
}

pub(in crate::demo) async fn lookup(
    AxState(st): AxState<St>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let code = match dossier_code(&headers, &body) {
        Ok(c) => c.trim().to_string(),
        Err(why) => return error(StatusCode::BAD_REQUEST, why),
    };
    if code.is_empty() {
        return error(StatusCode::BAD_REQUEST, "Thiếu mã hồ sơ (ma)");
    }
    if code.starts_with("H55.") {
        return json(
            StatusCode::OK,
            &serde_json::json!({
                "ma": code,
                "trang-thai": "dang-xu-ly",
                "mo-ta": "Đang xử lý",
                "co-quan": "Sở Tư pháp",
            }),
        );
    }
    if st.defects.has("lookup-silent") {
        return json(StatusCode::OK, &serde_json::json!({}));
    }
    json(
        StatusCode::NOT_FOUND,
        &serde_json::json!({
            "ma": code,
            "trang-thai": "khong-tim-thay",
            "mo-ta": "Không tìm thấy hồ sơ",
        }),
    )
}

/// The delay query, read as text so a bad value gets the API's own 400.
#[derive(Deserialize)]
pub(in crate::demo) struct DelayQuery {
    #[serde(default)]
    ms: String,
}

pub(in crate::demo) async fn delay(Query(query): Query<DelayQuery>) -> Response {
    let arrived = Instant::now();
    let Some(ms) = query
        .ms
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|ms| *ms <= MAX_DELAY_MS)
    else {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("ms phải là số nguyên từ 0 đến {MAX_DELAY_MS}"),
        );
    };
    wait_until(arrived + Duration::from_millis(ms)).await;
    json(StatusCode::OK, &serde_json::json!({ "ms": ms }))
}

/// How much of a delay is slept on a blocking thread rather than on tokio's timer.
const FINE: Duration = Duration::from_millis(2);

/// Waits until `deadline` to within a few tens of microseconds: tokio's timer wakes on
/// millisecond ticks (up to a tick or more late), so it sleeps all but the last [`FINE`]
/// there and the rest with the operating system's sleep on a blocking thread (occupied at
/// most 2 ms, burning no CPU).
async fn wait_until(deadline: Instant) {
    if let Some(coarse) = deadline.checked_sub(FINE) {
        tokio::time::sleep_until(coarse).await;
    }
    let rest = deadline.saturating_duration_since(Instant::now());
    if !rest.is_zero() {
        let _ = tokio::task::spawn_blocking(move || std::thread::sleep(rest)).await;
    }
}
