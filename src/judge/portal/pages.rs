//! PL1-6, PL1-7, PL1-9, DVCQG-6: function pages that hold their function, or its delegation to DVCQG.

use url::Url;

use super::{function_page, label, ok_status};
use crate::checklist::check::FunctionLink;
use crate::evaluation::{EvidenceRef, Status};
use crate::judge::{Outcome, host_in, list, no_pages, short};
use crate::observation::Observations;
use crate::text::Text;
use crate::tr;

/// PL1-6/7/9, DVCQG-6: each function has a working page, or is delegated to DVCQG by a link.
pub fn functions_present(
    items: &[FunctionLink],
    require_form: bool,
    dvcqg_hosts: &[String],
    obs: &Observations,
) -> Outcome {
    let labels: Vec<Text> = items.iter().map(label).collect();
    let joined = Text::join(&labels, ", ");
    let expected = Text::new(
        format!(
            "Có trang chức năng hoạt động{}: {} (hoặc liên kết tới Cổng DVCQG: {})",
            if require_form {
                " kèm biểu mẫu"
            } else {
                ""
            },
            joined.vi,
            dvcqg_hosts.join(", ")
        ),
        format!(
            "a working page{} for: {} (or a link to DVCQG: {})",
            if require_form { " with a form" } else { "" },
            joined.en,
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
        let ok = page.is_some_and(|p| {
            ok_status(p)
                && p.fetch
                    .html
                    .as_ref()
                    .is_some_and(|h| !require_form || !h.forms.is_empty())
        });
        match page {
            Some(p) if ok => {
                present.push(format!("{} ({})", i.function, short(&p.url, obs)));
                evidence.push(EvidenceRef::url(i.function.clone(), &p.url));
            }
            Some(p) => {
                let why = match (p.fetch.status, &p.fetch.error) {
                    (_, Some(e)) => e.message.clone(),
                    (Some(s), _) if !(200..300).contains(&s) => format!("HTTP {s}"),
                    _ => "no form".to_string(),
                };
                missing.push(l.clone().with(&format!(" ({}: {why})", short(&p.url, obs))));
            }
            None => missing.push(l.clone()),
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
