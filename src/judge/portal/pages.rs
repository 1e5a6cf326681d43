//! PL1-6, PL1-7, PL1-9, DVCQG-6: function pages that hold their function, or its delegation to DVCQG.

use url::Url;

use super::{function_page, label, ok_status};
use crate::checklist::check::{FunctionPage, Holds};
use crate::evaluation::{EvidenceRef, Status};
use crate::judge::{Outcome, contains_ci, host_in, list, no_pages, short};
use crate::observation::{HtmlFacts, Observations};
use crate::text::Text;
use crate::tr;

/// What one way of holding a function asks, for `expected`.
fn describe(h: &Holds) -> Text {
    let mut parts = Vec::new();
    if !h.form_inputs.is_empty() || h.submit {
        let kinds = h.form_inputs.join("/");
        parts.push(match (kinds.is_empty(), h.submit) {
            (true, _) => Text::new("biểu mẫu có nút gửi", "a form with a submit button"),
            (false, true) => Text::new(
                format!("biểu mẫu có {kinds} và nút gửi"),
                format!("a form with {kinds} and a submit button"),
            ),
            (false, false) => Text::new(
                format!("biểu mẫu có {kinds}"),
                format!("a form with {kinds}"),
            ),
        });
    }
    if h.min_items > 0 {
        parts.push(tr!("≥ {} mục", "≥ {} entries", h.min_items));
    }
    if h.min_questions > 0 {
        parts.push(tr!("≥ {} câu hỏi", "≥ {} questions", h.min_questions));
    }
    if !h.scripts.is_empty() {
        parts.push(tr!(
            "mã nhúng tiện ích ({})",
            "a widget script ({})",
            h.scripts.join(", ")
        ));
    }
    if parts.is_empty() {
        Text::new("trang hoạt động", "a working page")
    } else {
        Text::join(&parts, " + ")
    }
}

/// Whether a page meets one way of holding a function; the first unmet part otherwise.
fn holds(h: &HtmlFacts, want: &Holds) -> Result<(), String> {
    if !want.form_inputs.is_empty() || want.submit {
        let ok = h.forms.iter().any(|f| {
            let kinds = || f.inputs.iter().map(|i| i.kind.as_str());
            (want.form_inputs.is_empty()
                || kinds().any(|k| want.form_inputs.iter().any(|w| w == k)))
                && (!want.submit || kinds().any(|k| matches!(k, "submit" | "image")))
        });
        if !ok {
            return Err(if h.forms.is_empty() {
                "no form".into()
            } else {
                format!(
                    "no form with {}",
                    describe(&Holds {
                        form_inputs: want.form_inputs.clone(),
                        submit: want.submit,
                        ..Holds::default()
                    })
                    .en
                    .trim_start_matches("a form with ")
                )
            });
        }
    }
    if h.rows.len() < want.min_items as usize {
        return Err(format!("{} entries", h.rows.len()));
    }
    if want.min_questions > 0 {
        let asks = |t: &str| t.trim_end().ends_with('?');
        let questions = h.labels.iter().filter(|l| asks(l)).count()
            + h.links.iter().filter(|l| asks(&l.text)).count()
            + h.rows
                .iter()
                .filter(|r| r.cells.iter().any(|c| asks(c)))
                .count();
        if questions < want.min_questions as usize {
            return Err(format!("{questions} questions"));
        }
    }
    if !want.scripts.is_empty()
        && !h
            .resources
            .iter()
            .any(|r| r.kind == "script" && want.scripts.iter().any(|s| contains_ci(&r.url, s)))
    {
        return Err("no widget script".into());
    }
    Ok(())
}

/// PL1-6, PL1-7, PL1-9, DVCQG-6: each function has a page that holds it — a form, a rating
/// widget, a list of guides or questions, a chatbot — not only a link whose text matches; or it
/// is delegated to DVCQG through a link to an allow-listed host.
pub fn functions_present(
    items: &[FunctionPage],
    dvcqg_hosts: &[String],
    obs: &Observations,
) -> Outcome {
    let labels: Vec<Text> = items.iter().map(label).collect();
    let wants: Vec<Text> = items
        .iter()
        .zip(&labels)
        .map(|(i, l)| {
            let ways: Vec<Text> = i.holds.iter().map(describe).collect();
            if ways.is_empty() {
                l.clone()
            } else {
                let w = Text::join(&ways, " | ");
                Text::new(
                    format!("{} ({})", l.vi, w.vi),
                    format!("{} ({})", l.en, w.en),
                )
            }
        })
        .collect();
    let wanted = Text::join(&wants, "; ");
    let expected = Text::new(
        format!(
            "Trang chức năng hoạt động và có chức năng thật, không chỉ liên kết: {} (hoặc liên kết tới Cổng DVCQG: {})",
            wanted.vi,
            dvcqg_hosts.join(", ")
        ),
        format!(
            "a working page that holds the function, not only a link: {} (or a link to DVCQG: {})",
            wanted.en,
            dvcqg_hosts.join(", ")
        ),
    );
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    let mut present = Vec::new();
    let mut delegated = Vec::new();
    let mut missing: Vec<Text> = Vec::new();
    let mut evidence = Vec::new();
    for (i, l) in items.iter().zip(&labels) {
        if let Some((_, target)) = obs.delegated.iter().find(|(f, _)| *f == i.function) {
            let host = Url::parse(target)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default();
            if !host_in(&host, dvcqg_hosts) {
                missing.push(l.clone().with(&format!(
                    " (delegated to `{host}`, not an allow-listed DVCQG host)"
                )));
                continue;
            }
            // The portal itself must carry the link, to the declared DVCQG address.
            let on = obs.html_pages().find(|(_, h)| {
                h.links.iter().any(|k| {
                    Url::parse(&k.href).is_ok_and(|u| {
                        u.host_str().is_some_and(|h| host_in(h, dvcqg_hosts))
                            && k.href.trim_end_matches('/') == target.trim_end_matches('/')
                    })
                })
            });
            match on {
                Some((p, _)) => {
                    delegated.push(format!("{} → {target}", i.function));
                    evidence.push(EvidenceRef::url(
                        format!("{} (DVCQG link)", i.function),
                        &p.url,
                    ));
                }
                None => missing.push(l.clone().with(&format!(
                    " (declared delegated, but no page links to {target})"
                ))),
            }
            continue;
        }
        let page = function_page(obs, &i.function, &i.synonyms);
        let verdict = page.map(|p| match (&p.fetch.error, obs.facts(p)) {
            (Some(e), _) => Err(e.message.clone()),
            (None, Some(h)) if ok_status(p) => {
                if i.holds.is_empty() {
                    Ok(())
                } else {
                    // One of the ways must be met; report why the first was not.
                    i.holds
                        .iter()
                        .map(|w| holds(h, w))
                        .find(Result::is_ok)
                        .unwrap_or_else(|| holds(h, &i.holds[0]))
                }
            }
            _ => Err(format!(
                "HTTP {}",
                p.fetch.status.map_or("—".into(), |s| s.to_string())
            )),
        });
        match (page, verdict) {
            (Some(p), Some(Ok(()))) => {
                present.push(format!("{} ({})", i.function, short(&p.url, obs)));
                evidence.push(EvidenceRef::url(i.function.clone(), &p.url));
            }
            (Some(p), Some(Err(why))) => {
                missing.push(l.clone().with(&format!(" ({}: {why})", short(&p.url, obs))));
                evidence.push(EvidenceRef::url(i.function.clone(), &p.url));
            }
            _ => missing.push(l.clone()),
        }
    }
    let observed = Text::new(
        format!(
            "Có: {}{}",
            list(&present, 6),
            if delegated.is_empty() {
                String::new()
            } else {
                format!("; liên kết DVCQG: {}", list(&delegated, 4))
            }
        ),
        format!(
            "present: {}{}",
            list(&present, 6),
            if delegated.is_empty() {
                String::new()
            } else {
                format!("; delegated: {}", list(&delegated, 4))
            }
        ),
    );
    let credit = (present.len() + delegated.len()) as f64 / items.len().max(1) as f64;
    if !missing.is_empty() {
        let m = Text::join(&missing, ", ");
        return Outcome::fail(
            expected,
            observed,
            Text::new(
                format!("Thiếu hoặc không hoạt động: {}", m.vi),
                format!("missing or not working: {}", m.en),
            ),
        )
        .with_evidence(evidence)
        .with_credit(credit);
    }
    let mut o = if delegated.is_empty() {
        Outcome::pass(
            expected,
            observed,
            Text::new("Đủ các chức năng", "every function is present"),
        )
    } else {
        Outcome::pass(
            expected,
            observed,
            tr!(
                "Chức năng do Cổng DVCQG cung cấp qua liên kết: {}",
                "provided by DVCQG through a link: {}",
                list(&delegated, 4)
            ),
        )
    };
    if !delegated.is_empty() {
        o.status = Status::Delegated;
    }
    o.with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;
    use crate::observation::Role;

    #[test]
    fn delegation_to_a_host_outside_the_allow_list_fails() {
        let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu").replace(
            "</main>",
            "<a href='https://dichvucong.gov.vn.evil.example/pakn'>Phản ánh trên DVCQG</a></main>",
        );
        let mut o = obs(&home, "text/html; charset=utf-8", vec![]);
        o.delegated = vec![(
            "complaints".into(),
            "https://dichvucong.gov.vn.evil.example/pakn".into(),
        )];
        assert_eq!(status("PL1-6", &o), Status::Fail);
        // Declared on the right host, and the page links to it: delegated.
        let home = home.replace("dichvucong.gov.vn.evil.example", "dichvucong.gov.vn");
        let mut o = obs(&home, "text/html; charset=utf-8", vec![]);
        o.delegated = vec![("complaints".into(), "https://dichvucong.gov.vn/pakn".into())];
        assert_eq!(status("PL1-6", &o), Status::Delegated);
    }

    #[test]
    fn function_pages_need_to_answer_and_carry_a_form_when_required() {
        let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
        let with = |status: u16, body: &str| {
            let mut o = obs(
                &home,
                "text/html",
                vec![html_page(
                    &format!("{BASE}phan-anh"),
                    Role::Crawled,
                    status,
                    body,
                )],
            );
            o.functions = vec![("complaints".into(), format!("{BASE}phan-anh"))];
            o
        };
        let form = "<html><body><main><form method=post><textarea name=nd></textarea><button>Gửi</button></form></main></body></html>";
        assert_eq!(status("PL1-6", &with(200, form)), Status::Pass);
        assert_eq!(
            status(
                "PL1-6",
                &with(200, "<html><body><main>Đang nâng cấp</main></body></html>")
            ),
            Status::Fail,
            "no form"
        );
        assert_eq!(status("PL1-6", &with(500, form)), Status::Fail, "HTTP 500");
    }

    fn page_at(path: &str, function: &str, body: &str) -> crate::observation::Observations {
        let mut o = portal(vec![html_page(
            &format!("{BASE}{path}"),
            Role::Crawled,
            200,
            &format!("<html><body><main>{body}</main></body></html>"),
        )]);
        o.functions = vec![(function.into(), format!("{BASE}{path}"))];
        o
    }

    #[test]
    fn pl1_7_rating_needs_a_widget_not_a_link_or_a_text_box() {
        let widget = "<form method=post><label>Hài lòng<input type=radio name=m value=2></label>\
                  <label>Không hài lòng<input type=radio name=m value=1></label><button>Gửi</button></form>";
        let v = verdict("PL1-7", &page_at("danh-gia", "rating", widget));
        assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
        let link_only = "<a href=/danh-gia>Đánh giá mức độ hài lòng</a>";
        assert_eq!(
            verdict("PL1-7", &page_at("danh-gia", "rating", link_only)).status,
            Status::Fail
        );
        let no_submit = "<form><input type=radio name=m value=1></form>";
        assert_eq!(
            verdict("PL1-7", &page_at("danh-gia", "rating", no_submit)).status,
            Status::Fail,
            "no submit control"
        );
        let search_box = "<form><input name=q><button>Tìm</button></form>";
        assert_eq!(
            verdict("PL1-7", &page_at("danh-gia", "rating", search_box)).status,
            Status::Fail,
            "a search box is no rating widget"
        );
    }

    fn support(guide: &str, faq: &str, chatbot: &str) -> crate::observation::Observations {
        let page = |path: &str, body: &str| {
            html_page(
                &format!("{BASE}{path}"),
                Role::Crawled,
                200,
                &format!(
                    "<html><body><nav><ul><li>Trang chủ</li><li>Giới thiệu</li><li>Liên hệ</li></ul></nav><main>{body}</main></body></html>"
                ),
            )
        };
        let mut o = portal(vec![
            page("huong-dan", guide),
            page("hoi-dap", faq),
            page(
                "khao-sat",
                "<form method=post><textarea name=y></textarea><button>Gửi</button></form>",
            ),
            page("tro-ly-ao", chatbot),
        ]);
        o.functions = ["guide", "faq", "survey", "chatbot"]
            .iter()
            .zip(["huong-dan", "hoi-dap", "khao-sat", "tro-ly-ao"])
            .map(|(f, p)| ((*f).to_string(), format!("{BASE}{p}")))
            .collect();
        o
    }

    const GUIDE: &str = "<ol><li>Đăng nhập</li><li>Chọn thủ tục</li><li>Nộp hồ sơ</li></ol>";
    const FAQ: &str = "<dl><dt>Làm sao tra cứu hồ sơ?</dt><dd>Nhập mã hồ sơ.</dd></dl>";
    const CHAT: &str = "<form><input name=cau-hoi><button>Hỏi</button></form>";

    #[test]
    fn pl1_9_guide_list_questions_and_chatbot_pass() {
        let v = verdict("PL1-9", &support(GUIDE, FAQ, CHAT));
        assert_eq!(v.status, Status::Pass, "{}", v.message.en);
        // A chatbot embedded as a vendor's widget script is a chatbot too.
        let widget = "<p>Trợ lý ảo</p><script src='https://cdn.fpt.ai/livechat-script/livechat.js'></script>";
        let v = verdict("PL1-9", &support(GUIDE, FAQ, widget));
        assert_eq!(v.status, Status::Pass, "{}", v.message.en);
    }

    #[test]
    fn pl1_9_pages_that_only_name_their_function_fail() {
        // The menu's three items are chrome, not a guide list.
        let v = verdict("PL1-9", &support("<p>Hướng dẫn sử dụng</p>", FAQ, CHAT));
        assert_eq!(v.status, Status::Fail, "{}", v.observed.en);
        assert!(v.message.en.contains("guide"), "{}", v.message.en);
        let v = verdict(
            "PL1-9",
            &support(GUIDE, "<h1>Hỏi đáp</h1><p>Đang cập nhật.</p>", CHAT),
        );
        assert_eq!(v.status, Status::Fail, "no question");
        let v = verdict(
            "PL1-9",
            &support(GUIDE, FAQ, "<h1>Trợ lý ảo</h1><p>Sắp ra mắt.</p>"),
        );
        assert_eq!(v.status, Status::Fail, "no chatbot");
    }
}
