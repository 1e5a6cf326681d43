//! The e-form journey (PL1-3.x, PL1-4): the online application form of a catalogue procedure
//! with its field help, its input check (in the page's script and again on the server, with
//! the same messages) and its upload endpoint; the payment and signing step; the mock payment
//! platform (`PayGov`), which lives on another origin (`localhost`) and never takes a payment.
//!
//! Defects: `no-validation` (no script check, the server accepts anything), `upload-broken`
//! (the upload endpoint answers 500).

use std::collections::HashMap;
use std::fmt::Write;

use axum::Form;
use axum::body::Body;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::{St, not_found};
use crate::demo::State;
use crate::demo::content::{PORTAL, Procedure, esc};
use crate::demo::layout::{Opts, page};

/// The largest accepted upload (10 MiB); above it the endpoint answers 413.
pub(in crate::demo) const UPLOAD_LIMIT: usize = 10 * 1024 * 1024;
/// The fee the payment step asks, in đồng.
pub(in crate::demo) const FEE: u64 = 50_000;
/// The file types the form accepts (the `accept` attribute and the endpoint's check).
const ACCEPTED: &[&str] = &["pdf", "jpg", "jpeg", "png"];
/// The message of a missing name.
pub(in crate::demo) const NAME_MISSING: &str = "Vui lòng nhập họ và tên";
/// The message of a personal id that is not 12 digits.
pub(in crate::demo) const ID_INVALID: &str = "Số định danh cá nhân phải gồm đúng 12 chữ số";

/// The scripts of the form: the upload, and the input check unless `no-validation`.
const SCRIPTS: &[&str] = &["/assets/js/ho-so.js", "/assets/js/kiem-tra.js"];

fn procedure<'a>(st: &'a State, code: &str) -> Option<&'a Procedure> {
    st.procedures.iter().find(|p| p.code == code)
}

/// What was typed in the form.
#[derive(Default)]
struct Typed {
    name: String,
    id: String,
    email: String,
    post: bool,
}

impl Typed {
    fn from(f: &HashMap<String, String>) -> Self {
        let get = |k: &str| f.get(k).map_or_else(String::new, |v| v.trim().to_string());
        Self {
            name: get("ho-ten"),
            id: get("so-dinh-danh"),
            email: get("email"),
            post: f.contains_key("buu-chinh"),
        }
    }

    /// The message of each wrong field, by field id (the server's copy of `kiem-tra.js`).
    fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if self.name.is_empty() {
            out.push(("ho-ten", NAME_MISSING));
        }
        if self.id.len() != 12 || !self.id.bytes().all(|b| b.is_ascii_digit()) {
            out.push(("so-dinh-danh", ID_INVALID));
        }
        out
    }
}

/// One labelled text field with its help and, when wrong, its message (`{id}-loi`, after
/// the help, as the script puts it).
fn field(
    id: &str,
    label: &str,
    attrs: &str,
    value: &str,
    help: &str,
    error: Option<&str>,
) -> String {
    let mut described = Vec::new();
    let mut after = String::new();
    if !help.is_empty() {
        described.push(format!("{id}-huong-dan"));
        let _ = write!(after, "<small id=\"{id}-huong-dan\">{help}</small>");
    }
    let mut invalid = "";
    if let Some(e) = error {
        described.push(format!("{id}-loi"));
        let _ = write!(
            after,
            "<p id=\"{id}-loi\" class=\"thong-bao-loi\" role=\"alert\">{e}</p>"
        );
        invalid = " aria-invalid=\"true\"";
    }
    let described = if described.is_empty() {
        String::new()
    } else {
        format!(" aria-describedby=\"{}\"", described.join(" "))
    };
    format!(
        "<div class=\"truong\"><label for=\"{id}\">{label}</label><input id=\"{id}\" name=\"{id}\" {attrs} value=\"{}\"{invalid}{described}>{after}</div>",
        esc(value)
    )
}

/// The e-form page, empty or as typed with its messages.
fn eform_page(st: &State, p: &Procedure, typed: &Typed, errors: &[(&str, &str)]) -> Response {
    let error = |id: &str| errors.iter().find(|(f, _)| *f == id).map(|(_, m)| *m);
    let code = &p.code;
    let summary = if errors.is_empty() {
        String::new()
    } else {
        "<p class=\"tom-tat-loi\">Tờ khai chưa hợp lệ: vui lòng sửa các trường được đánh dấu.</p>"
            .to_string()
    };
    let body = format!(
        "<h1>Nộp hồ sơ trực tuyến: {name}</h1><p>Thủ tục {code} — {agency}. Các trường họ tên và số định danh là bắt buộc.</p>{summary}\
         <form id=\"to-khai\" method=\"post\" action=\"/nop-ho-so/{code}\" novalidate>{ho_ten}{so_dinh_danh}{email}\
         <div class=\"truong\"><label for=\"giay-to\">Giấy tờ kèm theo</label><input id=\"giay-to\" type=\"file\" accept=\".pdf,.jpg,.jpeg,.png\" aria-describedby=\"giay-to-huong-dan\">\
         <small id=\"giay-to-huong-dan\">Tệp PDF, JPG hoặc PNG, tối đa 10 MB</small><p id=\"tep-da-tai\" role=\"status\"></p></div>\
         <div class=\"truong\"><input type=\"checkbox\" id=\"buu-chinh\" name=\"buu-chinh\" value=\"co\"{post}> <label for=\"buu-chinh\">Nhận kết quả qua dịch vụ bưu chính công ích</label></div>\
         <button type=\"submit\">Nộp hồ sơ</button></form>",
        name = esc(p.name),
        agency = esc(p.agency),
        ho_ten = field(
            "ho-ten",
            "Họ và tên",
            "autocomplete=\"name\" required",
            &typed.name,
            "Ghi đầy đủ họ tên như trên thẻ Căn cước",
            error("ho-ten"),
        ),
        so_dinh_danh = field(
            "so-dinh-danh",
            "Số định danh cá nhân",
            "inputmode=\"numeric\" pattern=\"[0-9]{12}\" required",
            &typed.id,
            "Gồm 12 chữ số",
            error("so-dinh-danh"),
        ),
        email = field(
            "email",
            "Thư điện tử",
            "type=\"email\" autocomplete=\"email\"",
            &typed.email,
            "",
            None,
        ),
        post = if typed.post { " checked" } else { "" },
    );
    let scripts = if st.defects.has("no-validation") {
        &SCRIPTS[..1]
    } else {
        SCRIPTS
    };
    page(
        st,
        "/thu-tuc/",
        &format!("Nộp hồ sơ trực tuyến: {}", p.name),
        &body,
        &Opts {
            scripts,
            ..Opts::default()
        },
    )
}

/// `GET /nop-ho-so/{code}`: the empty e-form of a catalogue procedure.
pub(in crate::demo) async fn eform(AxState(st): AxState<St>, Path(code): Path<String>) -> Response {
    match procedure(&st, &code) {
        Some(p) => eform_page(&st, p, &Typed::default(), &[]),
        None => not_found(&st),
    }
}

/// `POST /nop-ho-so/{code}`: checked as the script checks (422 with the same messages), then
/// on to the payment step (303). `no-validation` takes anything.
pub(in crate::demo) async fn submit(
    AxState(st): AxState<St>,
    Path(code): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let Some(p) = procedure(&st, &code) else {
        return not_found(&st);
    };
    let typed = Typed::from(&f);
    let errors = typed.problems();
    if errors.is_empty() || st.defects.has("no-validation") {
        return Redirect::to(&format!("/nop-ho-so/{code}/thanh-toan")).into_response();
    }
    let mut r = eform_page(&st, p, &typed, &errors);
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

/// The dossier code the payment step shows (as the lookup page's codes: agency, date, number).
fn dossier_code(st: &State, p: &Procedure) -> String {
    let n = st
        .procedures
        .iter()
        .position(|q| q.code == p.code)
        .unwrap_or(0)
        + 1;
    let t = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+7));
    format!(
        "H55.12-{:02}{:02}{:02}-{n:04}",
        t.year() % 100,
        u8::from(t.month()),
        t.day()
    )
}

/// An amount in đồng as written in Vietnamese (`50.000`).
pub(in crate::demo) fn dong(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `GET /nop-ho-so/{code}/thanh-toan`: the fee with a link to the payment platform (another
/// origin) and the signing control.
pub(in crate::demo) async fn payment(
    AxState(st): AxState<St>,
    Path(code): Path<String>,
) -> Response {
    let Some(p) = procedure(&st, &code) else {
        return not_found(&st);
    };
    let dossier = dossier_code(&st, p);
    let paygov = st.base.replacen("127.0.0.1", "localhost", 1);
    let body = format!(
        "<h1>Thanh toán lệ phí và ký số hồ sơ</h1><p>Hồ sơ {name} đã được tạo. Mã hồ sơ: <strong class=\"ma-ho-so\">{dossier}</strong>.</p>\
         <h2>Thanh toán</h2><p class=\"le-phi\">Lệ phí: {fee} đồng</p>\
         <p><a class=\"thanh-toan\" href=\"{paygov}paygov/thanh-toan?ma-ho-so={dossier}&amp;so-tien={FEE}\">Thanh toán qua Nền tảng thanh toán trực tuyến (PayGov)</a></p>\
         <h2>Ký số</h2><p>Ký số tờ khai bằng chứng thư số qua Cổng eSign trước khi nộp.</p>\
         <p><button type=\"button\" class=\"ky-so\" data-esign=\"{dossier}\">Ký số hồ sơ</button></p><p id=\"ky-so-trang-thai\" role=\"status\"></p>",
        name = esc(p.name),
        fee = dong(FEE),
    );
    page(
        &st,
        "/thu-tuc/",
        "Thanh toán lệ phí và ký số hồ sơ",
        &body,
        &Opts {
            scripts: &["/assets/js/thanh-toan.js"],
            ..Opts::default()
        },
    )
}

/// A page of the mock payment platform (its own plain chrome: another site than the portal).
fn paygov_page(status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>PayGov (mô phỏng)</title></head><body><main><h1>Cổng thanh toán PayGov (mô phỏng)</h1>{body}</main></body></html>"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

/// The payment request's dossier code and amount, when well formed.
fn payment_request(q: &HashMap<String, String>) -> Option<(&str, u64)> {
    let code = q.get("ma-ho-so")?.as_str();
    let amount = q.get("so-tien")?;
    let code_ok = !code.is_empty()
        && code.len() <= 40
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let amount: u64 = (amount.len() <= 12 && amount.bytes().all(|b| b.is_ascii_digit()))
        .then(|| amount.parse().ok())
        .flatten()?;
    (code_ok && amount > 0).then_some((code, amount))
}

/// `GET /paygov/thanh-toan?ma-ho-so=…&so-tien=…`: the mock payment platform's checkout.
pub(in crate::demo) async fn paygov(Query(q): Query<HashMap<String, String>>) -> Response {
    let Some((code, amount)) = payment_request(&q) else {
        return paygov_page(
            StatusCode::BAD_REQUEST,
            "<p class=\"loi\">Yêu cầu thanh toán không hợp lệ: thiếu mã hồ sơ hoặc số tiền.</p>",
        );
    };
    paygov_page(
        StatusCode::OK,
        &format!(
            "<p>Đơn vị thụ hưởng: {PORTAL}</p><p>Mã hồ sơ: {code}</p><p class=\"so-tien\">Số tiền: {} đồng</p>\
             <form method=\"post\" action=\"/paygov/thanh-toan\"><input type=\"hidden\" name=\"ma-ho-so\" value=\"{code}\">\
             <input type=\"hidden\" name=\"so-tien\" value=\"{amount}\"><button type=\"submit\">Xác nhận thanh toán</button></form>",
            dong(amount)
        ),
    )
}

/// `POST /paygov/thanh-toan`: the mock takes no payment, whatever is posted.
pub(in crate::demo) async fn paygov_confirm() -> Response {
    paygov_page(
        StatusCode::OK,
        "<p role=\"status\">Cổng thanh toán mô phỏng không nhận thanh toán: không có khoản tiền nào được chuyển.</p>",
    )
}

/// A `%XX`-encoded header value (what `encodeURIComponent` sends), decoded as UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn upload_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({ "loi": message }).to_string(),
    )
        .into_response()
}

/// `POST /nop-ho-so/tai-len`: the raw file, its URL-encoded name in `X-Ten-Tep`. Answers
/// `{"ten-tep", "kich-thuoc"}`; 400 without a name or with an empty file, 415 for another
/// type, 413 above [`UPLOAD_LIMIT`]; 500 with `upload-broken`. Nothing is kept.
pub(in crate::demo) async fn upload(
    AxState(st): AxState<St>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if st.defects.has("upload-broken") {
        return upload_error(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi máy chủ khi lưu tệp");
    }
    let Some(name) = headers
        .get("x-ten-tep")
        .and_then(|v| v.to_str().ok())
        .and_then(percent_decode)
        .map(|n| {
            n.rsplit(['/', '\\'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .filter(|n| !n.is_empty() && n.chars().count() <= 255)
    else {
        return upload_error(StatusCode::BAD_REQUEST, "Thiếu tên tệp (X-Ten-Tep)");
    };
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !ACCEPTED.contains(&ext.as_str()) {
        return upload_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Chỉ nhận tệp PDF, JPG hoặc PNG",
        );
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > UPLOAD_LIMIT as u64) {
        return upload_error(StatusCode::PAYLOAD_TOO_LARGE, "Tệp lớn hơn 10 MB");
    }
    let Ok(bytes) = axum::body::to_bytes(body, UPLOAD_LIMIT).await else {
        return upload_error(StatusCode::PAYLOAD_TOO_LARGE, "Tệp lớn hơn 10 MB");
    };
    if bytes.is_empty() {
        return upload_error(StatusCode::BAD_REQUEST, "Tệp rỗng");
    }
    (
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({ "ten-tep": name, "kich-thuoc": bytes.len() }).to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(dong(50_000), "50.000");
        assert_eq!(dong(1_250_000), "1.250.000");
        assert_eq!(dong(999), "999");
    }

    #[test]
    fn the_file_name_header_is_url_decoded() {
        assert_eq!(
            percent_decode("gi%E1%BA%A5y%20t%E1%BB%9D.pdf").as_deref(),
            Some("giấy tờ.pdf")
        );
        assert_eq!(percent_decode("a%2").as_deref(), None, "truncated escape");
        assert_eq!(percent_decode("%FF").as_deref(), None, "not UTF-8");
    }

    #[test]
    fn the_server_checks_what_the_script_checks() {
        let typed = |name: &str, id: &str| Typed {
            name: name.into(),
            id: id.into(),
            ..Typed::default()
        };
        assert!(typed("Nguyễn Văn A", "001203004567").problems().is_empty());
        assert_eq!(
            typed("", "00120300456").problems(),
            [("ho-ten", NAME_MISSING), ("so-dinh-danh", ID_INVALID)]
        );
        assert_eq!(
            typed("A", "00120300456x").problems(),
            [("so-dinh-danh", ID_INVALID)]
        );
        let trimmed = Typed::from(&HashMap::from([
            ("ho-ten".to_string(), "  ".to_string()),
            ("so-dinh-danh".to_string(), " 001203004567 ".to_string()),
        ]));
        assert_eq!(trimmed.problems(), [("ho-ten", NAME_MISSING)]);
    }
}
