//! The reference portal's pages, by what a reader looks for: [`portal`] (home, catalogue,
//! procedures, fields, search, dossier lookup), [`functions`] (complaints, rating, statistics,
//! survey, guide, FAQ, chatbot, contact, site maps) and [`account`] (login, SSO, back office,
//! machine endpoints and hostile-input pages), [`api`] (the load-bearing JSON API), [`forms`] (the e-form, its upload, the payment
//! and signing step, the mock payment platform) and [`widgets`] (the rating and chatbot
//! answers, the page scripts). Every portal page goes through
//! [`super::layout::page`], which dresses it in the running theme.

pub(super) mod account;
pub(super) mod api;
pub(super) mod forms;
pub(super) mod functions;
pub(super) mod portal;
pub(super) mod session;
pub(super) mod widgets;

use std::sync::Arc;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::State;
use super::content::{Procedure, esc};
use super::layout::{Opts, page};

/// The shared state as handlers receive it.
pub(super) type St = Arc<State>;

pub(super) fn level(p: &Procedure) -> &'static str {
    if p.full_online {
        "Toàn trình"
    } else {
        "Một phần"
    }
}

pub(super) fn proc_row(st: &State, p: &Procedure) -> String {
    format!(
        "<tr><td>{}</td><td><a href=\"/thu-tuc/{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
        p.code,
        p.code,
        esc(p.name),
        esc(p.field),
        if st.defects.has("no-service-level") {
            "—"
        } else {
            level(p)
        }
    )
}

/// The procedure hidden by `deep-service`.
pub(super) fn hidden_code(st: &State) -> Option<&str> {
    st.defects
        .has("deep-service")
        .then(|| st.procedures[7].code.as_str())
}

pub(super) fn visible(st: &State) -> impl Iterator<Item = &Procedure> + '_ {
    let hidden = hidden_code(st).map(str::to_string);
    st.procedures
        .iter()
        .filter(move |p| Some(&p.code) != hidden.as_ref())
}

pub(super) fn not_found(st: &State) -> Response {
    if st.defects.has("stack-trace") {
        let trace = "java.lang.NullPointerException: Cannot invoke \"HoSo.getMa()\" because \"hoSo\" is null\n\
            \tat vn.gov.mau.dvc.web.HoSoController.traCuu(HoSoController.java:142)\n\
            \tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)\n\
            \tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)";
        let html = format!(
            "<html><head><title>HTTP Status 500 – Internal Server Error</title></head><body><h1>HTTP Status 500</h1><pre>{}</pre><p>Apache Tomcat/9.0.41</p></body></html>",
            esc(trace)
        );
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response();
    }
    let mut r = page(
        st,
        "/404",
        "Không tìm thấy trang",
        "<h1>Không tìm thấy trang</h1><p>Trang bạn tìm không tồn tại. <a href=\"/\">Về trang chủ</a>.</p>",
        &Opts::default(),
    );
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}
