//! EMC judges (Điều 9, Phụ lục VI): the embed code on every page, one site id, HTTPS tracker.
//! The embed counts inline or in a same-host script file the HTTP probe read (snippets with a
//! `source`); a page whose own scripts were not read is undetermined, never a confident fail.

use std::collections::BTreeMap;

use url::Url;

use super::{Outcome, list, no_pages, short};
use crate::evaluation::EvidenceRef;
use crate::observation::{HtmlFacts, Observations};
use crate::text::Text;
use crate::tr;

fn host_of(u: &str) -> Option<String> {
    Url::parse(u).ok()?.host_str().map(str::to_ascii_lowercase)
}

/// PL6-1: the EMC embed code (queue + allow-listed tracker) on every sampled page.
pub fn embed(queue: &str, tracker_hosts: &[String], obs: &Observations) -> Outcome {
    let hosts: Vec<String> = tracker_hosts
        .iter()
        .chain(&obs.emc_tracker_hosts)
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let expected = Text::new(
        format!(
            "Mọi trang nhúng mã EMC (`{queue}`, máy chủ theo dõi {})",
            hosts.join(", ")
        ),
        format!(
            "every page has the EMC embed code (`{queue}`, tracker at {})",
            hosts.join(", ")
        ),
    );
    let pages: Vec<_> = obs.html_pages().collect();
    if pages.is_empty() {
        return no_pages(expected, obs);
    }
    let base = Url::parse(&obs.base_url).ok().map(|u| u.origin());
    let mut missing = Vec::new();
    let mut undetermined = Vec::new();
    let mut from_files: Vec<String> = Vec::new();
    let mut evidence = Vec::new();
    for (p, h) in &pages {
        let good = h.emc.iter().find(|s| {
            s.queues.iter().any(|q| q == queue)
                && s.tracker_url
                    .as_deref()
                    .and_then(host_of)
                    .is_some_and(|t| hosts.contains(&t))
        });
        if let Some(s) = good {
            if let Some(src) = &s.source
                && !from_files.contains(&short(src, obs))
            {
                from_files.push(short(src, obs));
            }
            continue;
        }
        if h.emc.is_empty()
            && let Some(why) = unread_scripts(h, base.as_ref())
        {
            undetermined.push(format!("{} ({why})", short(&p.url, obs)));
            evidence.push(EvidenceRef::url(why, &p.url));
            continue;
        }
        let why = if h.emc.is_empty() {
            "không có mã nhúng / no embed code"
        } else {
            "địa chỉ theo dõi không thuộc danh sách / tracker not allow-listed"
        };
        missing.push(format!("{} ({why})", short(&p.url, obs)));
        evidence.push(EvidenceRef::url(why, &p.url));
    }
    let n = pages.len();
    let (via_vi, via_en) = if from_files.is_empty() {
        (String::new(), String::new())
    } else {
        let files = list(&from_files, 3);
        (
            format!(" (tệp script {files})"),
            format!(" (script file {files})"),
        )
    };
    if missing.is_empty() && !undetermined.is_empty() {
        return Outcome::error(
            expected,
            Text::new(
                format!(
                    "{} / {n} trang không có mã EMC nội tuyến và có tệp script cùng máy chủ chưa được đọc: {}",
                    undetermined.len(),
                    list(&undetermined, 4)
                ),
                format!(
                    "{} of {n} pages have no inline EMC code and same-host script files that were not read: {}",
                    undetermined.len(),
                    list(&undetermined, 4)
                ),
            ),
        )
        .with_evidence(evidence);
    }
    Outcome::either(
        missing.is_empty(),
        expected,
        if missing.is_empty() {
            Text::new(
                format!("{n}/{n} trang có mã EMC{via_vi}"),
                format!("{n}/{n} pages carry the EMC code{via_en}"),
            )
        } else {
            Text::new(
                format!("{} / {n} trang thiếu: {}", missing.len(), list(&missing, 5)),
                format!(
                    "{} of {n} pages lack it: {}",
                    missing.len(),
                    list(&missing, 5)
                ),
            )
        },
        Text::new("Mã EMC có trên mọi trang", "EMC code on every page"),
        Text::new(
            format!("{} trang không có mã EMC", missing.len()),
            format!("{} pages without the EMC code", missing.len()),
        ),
    )
    .with_evidence(evidence)
    .with_credit((n - missing.len() - undetermined.len()) as f64 / n as f64)
}

/// Why a page's own script files may still hold the embed: some were not read, or the
/// observations predate reading them. `None` when every same-host script was read.
fn unread_scripts(h: &HtmlFacts, base: Option<&url::Origin>) -> Option<String> {
    match &h.scripts {
        Some(s) if s.unread.is_empty() => None,
        Some(s) => Some(format!(
            "chưa đọc / not read: {}",
            s.unread
                .iter()
                .take(2)
                .map(|(u, why)| format!("{u}: {why}"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => h
            .resources
            .iter()
            .any(|r| {
                r.kind == "script" && Url::parse(&r.url).is_ok_and(|u| Some(&u.origin()) == base)
            })
            .then(|| "observations predate reading script files; assess again".to_string()),
    }
}

/// PL6-4: one site id on every page (the scenario's, when given); tracker and script over HTTPS.
pub fn consistent(require_https: bool, obs: &Observations) -> Outcome {
    let expected = match &obs.emc_site_id {
        Some(id) => tr!(
            "Cùng mã site `{id}` trên mọi trang; địa chỉ theo dõi dùng HTTPS",
            "site id `{id}` on every page; tracker over HTTPS"
        ),
        None => Text::new(
            "Cùng một mã site trên mọi trang; địa chỉ theo dõi dùng HTTPS",
            "the same site id on every page; tracker over HTTPS",
        ),
    };
    let pages: Vec<_> = obs
        .html_pages()
        .filter(|(_, h)| !h.emc.is_empty())
        .collect();
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    if pages.is_empty() {
        // The embed may sit in a script file the probe did not read: no confident fail.
        let base = Url::parse(&obs.base_url).ok().map(|u| u.origin());
        if let Some(why) = obs
            .html_pages()
            .find_map(|(_, h)| unread_scripts(h, base.as_ref()))
        {
            return Outcome::error(
                expected,
                Text::new(
                    format!("Không tìm thấy mã EMC nhưng còn tệp script chưa đọc ({why})"),
                    format!("no EMC code found, but script files were left unread ({why})"),
                ),
            );
        }
        return Outcome::fail(
            expected,
            Text::new("Không trang nào có mã EMC", "no page carries the EMC code"),
            Text::new("Không có mã EMC để so sánh", "no EMC code to compare"),
        );
    }
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut insecure = Vec::new();
    for (p, h) in &pages {
        for s in &h.emc {
            let id = s.site_id.clone().unwrap_or_else(|| "(none)".into());
            ids.entry(id).or_default().push(p.url.clone());
            let http = [&s.tracker_url, &s.script_url]
                .into_iter()
                .flatten()
                .any(|u| !u.starts_with("https://"));
            if require_https && http {
                insecure.push(short(&p.url, obs));
            }
        }
    }
    let majority = ids
        .iter()
        .max_by_key(|(_, v)| v.len())
        .map(|(k, _)| k.clone())
        .unwrap_or_default();
    let reference = obs.emc_site_id.clone().unwrap_or(majority);
    let mut problems = Vec::new();
    let mut evidence = Vec::new();
    for (id, urls) in &ids {
        if *id != reference {
            let shown: Vec<String> = urls.iter().map(|u| short(u, obs)).collect();
            problems.push(format!("site id `{id}` on {}", list(&shown, 4)));
            evidence.extend(
                urls.iter()
                    .map(|u| EvidenceRef::url(format!("site id {id}"), u)),
            );
        }
    }
    if !insecure.is_empty() {
        problems.push(format!("tracker over plain HTTP on {}", list(&insecure, 4)));
    }
    let summary: Vec<String> = ids
        .iter()
        .map(|(k, v)| format!("`{k}` × {}", v.len()))
        .collect();
    Outcome::either(
        problems.is_empty(),
        expected,
        Text::new(
            format!("Mã site: {}", summary.join(", ")),
            format!("site ids: {}", summary.join(", ")),
        ),
        tr!(
            "Mã site `{reference}` thống nhất",
            "site id `{reference}` consistent"
        ),
        Text::same(problems.join("; ")),
    )
    .with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use url::Url;

    use crate::checklist::Checklist;
    use crate::evaluation::{Status, Verdict};
    use crate::judge::judge;
    use crate::observation::{Fetch, Observations, Page, Role, ScriptsRead};
    use crate::probe::html::emc::parse_js;
    use crate::probe::html::extract;
    use crate::probe::html::fixtures::{self, BASE, ORG, Vary};

    /// What a theme's `emc.js` holds: the embed, not inline in any page.
    fn emc_js(site_id: &str, tracker: &str) -> String {
        format!(
            "(function(){{ var _govaq = window._govaq || [];\n_govaq.push(['trackPageView']);\n\
             _govaq.push(['setTrackerUrl', '{tracker}']);\n_govaq.push(['setSiteId', '{site_id}']);\n\
             var g = document.createElement('script'); g.src = 'https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js';\n\
             document.head.appendChild(g); }})();"
        )
    }

    const SCRIPT: &str = "https://dvc.mau.gov.vn/wp-content/themes/mau/js/emc.js?ver=6.4";
    const TRACKER: &str = "https://f-emc.ngsp.gov.vn/tracking";

    /// A `WordPress` portal whose pages load `emc.js`; `read` says what the probe made of it.
    fn portal(read: impl Fn(usize) -> Option<Result<String, String>>) -> Observations {
        let pages = ["/", "/gioi-thieu/", "/thong-ke/"]
            .iter()
            .enumerate()
            .map(|(i, path)| {
                let url = Url::parse(BASE).unwrap().join(path).unwrap();
                let mut h = extract(&fixtures::wordpress(&Vary::default(), "<p>x</p>"), &url);
                // What `probe::scripts::read` records.
                h.scripts = read(i).map(|r| match r {
                    Ok(code) => {
                        h.emc.extend(parse_js(&code, Some(SCRIPT)));
                        ScriptsRead {
                            read: vec![SCRIPT.into()],
                            ..ScriptsRead::default()
                        }
                    }
                    Err(why) => ScriptsRead {
                        unread: vec![(SCRIPT.into(), why)],
                        ..ScriptsRead::default()
                    },
                });
                Page {
                    url: url.to_string(),
                    roles: vec![if i == 0 { Role::Home } else { Role::Crawled }],
                    depth: Some(0),
                    fetch: Fetch {
                        status: Some(200),
                        final_url: url.to_string(),
                        headers: vec![("content-type".into(), "text/html".into())],
                        html: Some(h),
                        ..Fetch::default()
                    },
                }
            })
            .collect();
        Observations {
            base_url: BASE.into(),
            organisation: ORG.into(),
            pages,
            ..Observations::default()
        }
    }

    fn verdict(id: &str, o: &Observations) -> Verdict {
        let c = Checklist::resolve("tt21-2023").unwrap();
        judge(c.get(id).unwrap(), o)
    }

    #[test]
    fn pl6_1_embed_in_a_same_host_script_file_counts() {
        let o = portal(|_| Some(Ok(emc_js("1234", TRACKER))));
        let v = verdict("PL6-1", &o);
        assert_eq!(v.status, Status::Pass, "{}", v.message.en);
        assert!(
            v.observed
                .en
                .contains("script file /wp-content/themes/mau/js/emc.js"),
            "{}",
            v.observed.en
        );
        assert_eq!(verdict("PL6-4", &o).status, Status::Pass);
    }

    #[test]
    fn pl6_1_a_read_script_without_the_embed_fails() {
        let o = portal(|i| {
            Some(Ok(if i == 1 {
                "var a = 1;".into()
            } else {
                emc_js("1234", TRACKER)
            }))
        });
        let v = verdict("PL6-1", &o);
        assert_eq!(v.status, Status::Fail, "{}", v.message.en);
        assert!(
            v.observed
                .en
                .contains("/gioi-thieu/ (không có mã nhúng / no embed code)"),
            "{}",
            v.observed.en
        );
    }

    #[test]
    fn pl6_1_an_unread_script_is_undetermined_not_a_fail() {
        let o = portal(|i| {
            Some(if i == 2 {
                Err("over the bound of 10 script files per run".into())
            } else {
                Ok(emc_js("1234", TRACKER))
            })
        });
        let v = verdict("PL6-1", &o);
        assert_eq!(v.status, Status::Error, "{}", v.message.en);
        assert!(v.message.en.contains("not read"), "{}", v.message.en);
        // Observations from before scripts were read: same.
        assert_eq!(verdict("PL6-1", &portal(|_| None)).status, Status::Error);
    }

    #[test]
    fn pl6_4_a_script_file_with_another_site_id_or_plain_http_fails() {
        let o = portal(|i| Some(Ok(emc_js(if i == 2 { "9999" } else { "1234" }, TRACKER))));
        let v = verdict("PL6-4", &o);
        assert_eq!(v.status, Status::Fail, "{}", v.observed.en);
        let o = portal(|_| Some(Ok(emc_js("1234", "http://f-emc.ngsp.gov.vn/tracking"))));
        assert_eq!(verdict("PL6-4", &o).status, Status::Fail);
    }

    #[test]
    fn pl6_decomposed_snippet_is_judged_like_its_composed_twin() {
        let o = portal(|_| Some(Ok(fixtures::decomposed(&emc_js("1234", TRACKER)))));
        assert_eq!(verdict("PL6-1", &o).status, Status::Pass);
        assert_eq!(verdict("PL6-4", &o).status, Status::Pass);
    }
}
