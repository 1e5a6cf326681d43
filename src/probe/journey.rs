//! Default citizen journeys, built from what the crawl found when the scenario declares no
//! flow for a requirement: the single-sign-on link (PL1-1), the e-form of the first online
//! procedure (PL1-3.3 validation, PL1-3.4 upload), the search and look-up forms (PL1-5,
//! PL1-5.1). They never type on another host and never submit anything but an empty e-form and
//! the scenario's own search word and unknown dossier code.

use url::Url;

use crate::observation::{HtmlFacts, Observations, Role};
use crate::scenario::Scenario;
use crate::scenario::flows::{
    Action, DEFAULT_STEP_TIMEOUT_MS, Flow, FlowOrigin, Selector, Step, Value,
};

/// Requirements a default journey can serve, with what it needs.
pub const DEFAULT_JOURNEYS: &[(&str, &str)] = &[
    (
        "PL1-1",
        "the single-sign-on link (VNeID / DVCQG) on the login page",
    ),
    (
        "PL1-3.3",
        "a link to an online e-form (\"Nộp hồ sơ trực tuyến\") with a file input",
    ),
    (
        "PL1-3.4",
        "a link to an online e-form (\"Nộp hồ sơ trực tuyến\") with a file input",
    ),
    ("PL1-5", "the search page's form"),
    ("PL1-5.1", "the dossier look-up page's form"),
];

/// The default flows for the requirements no declared flow serves, and for each requirement
/// none could be built for, why.
pub fn default_flows(
    scenario: &Scenario,
    obs: &Observations,
) -> (Vec<Flow>, Vec<(String, String)>) {
    let served = |id: &str| {
        scenario
            .flows
            .iter()
            .any(|f| f.requirements.iter().any(|r| r == id))
    };
    let mut flows = Vec::new();
    let mut missing = Vec::new();
    let mut note = |id: &str, built: Option<Flow>, flows: &mut Vec<Flow>| {
        if let Some(f) = built {
            flows.push(f);
        } else {
            let need = DEFAULT_JOURNEYS
                .iter()
                .find(|(i, _)| *i == id)
                .map_or("", |(_, n)| *n);
            missing.push((id.to_string(), format!("not found: {need}")));
        }
    };
    if !served("PL1-1") {
        note("PL1-1", login(obs), &mut flows);
    }
    let form = eform_url(obs);
    if !served("PL1-3.3") {
        note("PL1-3.3", form.as_ref().map(validation), &mut flows);
    }
    if !served("PL1-3.4") {
        note("PL1-3.4", form.as_ref().map(upload), &mut flows);
    }
    if !served("PL1-5") {
        let word = scenario.search.terms.first().cloned().unwrap_or_default();
        note(
            "PL1-5",
            get_form(
                obs,
                "search",
                "PL1-5",
                "Tìm kiếm thủ tục qua ô tìm kiếm",
                &word,
            ),
            &mut flows,
        );
    }
    if !served("PL1-5.1") {
        let code = scenario.lookup.unknown_code.clone();
        note(
            "PL1-5.1",
            get_form(
                obs,
                "lookup",
                "PL1-5.1",
                "Tra cứu hồ sơ qua biểu mẫu",
                &code,
            ),
            &mut flows,
        );
    }
    (flows, missing)
}

fn step(action: Action) -> Step {
    Step {
        action,
        timeout_ms: DEFAULT_STEP_TIMEOUT_MS,
    }
}

fn flow(name: &str, id: &str, basis: String, steps: Vec<Step>) -> Flow {
    Flow {
        name: name.into(),
        requirements: vec![id.into()],
        origin: FlowOrigin::Default,
        basis: Some(basis),
        steps,
    }
}

fn facts<'a>(obs: &'a Observations, url: &str) -> Option<&'a HtmlFacts> {
    obs.rendered
        .get(url)
        .and_then(|r| r.html.as_ref())
        .or_else(|| obs.pages.iter().find(|p| p.url == url)?.fetch.html.as_ref())
}

/// PL1-1: from the page that links the SSO entry, click that link and stop at the provider.
fn login(obs: &Observations) -> Option<Flow> {
    let entry = obs.first_with_role(&Role::SsoEntry)?;
    let entry_url = Url::parse(&entry.url).ok()?;
    let from = obs
        .pages
        .iter()
        .filter(|p| p.fetch.html.is_some())
        .find(|p| {
            facts(obs, &p.url).is_some_and(|h| h.links.iter().any(|l| l.href == entry.url))
        })?;
    let path = entry_url.path();
    Some(flow(
        "Đăng nhập một lần (VNeID / DVCQG)",
        "PL1-1",
        format!("the link to {path} on {}", from.url),
        vec![
            step(Action::Goto {
                url: Url::parse(&from.url).ok()?,
            }),
            step(Action::Click {
                target: Selector::Css(format!("a[href$=\"{path}\"], a[href*=\"{path}?\"]")),
            }),
            step(Action::Screenshot {
                name: "nha-cung-cap-dinh-danh".into(),
            }),
        ],
    ))
}

/// The first link to an online e-form ("Nộp hồ sơ trực tuyến") on a procedure page.
fn eform_url(obs: &Observations) -> Option<(Url, String)> {
    let base = Url::parse(&obs.base_url).ok()?;
    for page in obs.pages.iter().filter(|p| p.fetch.html.is_some()) {
        let Some(h) = facts(obs, &page.url) else {
            continue;
        };
        for l in &h.links {
            if !crate::unicode::contains_folded(&l.text, "nộp hồ sơ") {
                continue;
            }
            if let Ok(u) = Url::parse(&l.href)
                && u.host_str() == base.host_str()
            {
                return Some((u, page.url.clone()));
            }
        }
    }
    None
}

const EFORM: &str = "form:has(input[type=file])";

/// PL1-3.3: the e-form sent empty gets a validation message.
fn validation((url, from): &(Url, String)) -> Flow {
    flow(
        "Biểu mẫu điện tử kiểm tra dữ liệu (gửi trống)",
        "PL1-3.3",
        format!("the e-form {url} linked from {from}"),
        vec![
            step(Action::Goto { url: url.clone() }),
            step(Action::Click {
                target: Selector::Css(format!("{EFORM} [type=submit], {EFORM} button:not([type])")),
            }),
            step(Action::ExpectInvalid {
                text: String::new(),
            }),
        ],
    )
}

/// PL1-3.4: the e-form's file input takes kiemdinh's test PDF without complaint.
fn upload((url, from): &(Url, String)) -> Flow {
    flow(
        "Tải giấy tờ lên biểu mẫu điện tử",
        "PL1-3.4",
        format!("the e-form {url} linked from {from}"),
        vec![
            step(Action::Goto { url: url.clone() }),
            step(Action::Upload {
                target: Selector::Css(format!("{EFORM} input[type=file]")),
                file: None,
            }),
            step(Action::Screenshot {
                name: "sau-khi-tai-len".into(),
            }),
        ],
    )
}

/// PL1-5 / PL1-5.1: type into the function page's GET form and send it as a citizen would.
fn get_form(obs: &Observations, function: &str, id: &str, name: &str, value: &str) -> Option<Flow> {
    let page = obs.functions.iter().find(|(f, _)| f == function)?.1.clone();
    let h = facts(obs, &page)?;
    let form = h.forms.iter().find(|f| {
        f.method.eq_ignore_ascii_case("get")
            && f.inputs
                .iter()
                .any(|i| matches!(i.kind.as_str(), "text" | "search"))
    })?;
    let field = form
        .inputs
        .iter()
        .find(|i| matches!(i.kind.as_str(), "text" | "search"))?
        .name
        .clone()?;
    let scope = format!("form:has(input[name=\"{field}\"])");
    Some(flow(
        name,
        id,
        format!("the form with field `{field}` on {page}"),
        vec![
            step(Action::Goto {
                url: Url::parse(&page).ok()?,
            }),
            step(Action::Fill {
                target: Selector::Css(format!("{scope} input[name=\"{field}\"]")),
                value: Value::Literal(value.into()),
            }),
            step(Action::Click {
                target: Selector::Css(format!("{scope} [type=submit], {scope} button:not([type])")),
            }),
            step(Action::ExpectUrl {
                pattern: format!("*{field}=*"),
            }),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;
    use crate::observation::{Fetch, Page};

    const BASE: &str = "https://dvc.mau.gov.vn/";

    fn page(path: &str, roles: Vec<Role>, html: &str) -> Page {
        let url = format!("{BASE}{path}");
        Page {
            url: url.clone(),
            roles,
            depth: Some(1),
            fetch: Fetch {
                status: Some(200),
                final_url: url.clone(),
                html: (!html.is_empty())
                    .then(|| crate::probe::html::extract(html, &Url::parse(&url).unwrap())),
                ..Fetch::default()
            },
        }
    }

    fn scenario(extra: &str) -> Scenario {
        let text = format!(
            "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\nbase-url = \"{BASE}\"\n{extra}"
        );
        Scenario::from_source(&Source {
            path: "s.toml".into(),
            text,
        })
        .unwrap()
    }

    fn observed() -> Observations {
        Observations {
            base_url: BASE.into(),
            functions: vec![("search".into(), format!("{BASE}tim-kiem"))],
            pages: vec![
                page(
                    "dang-nhap",
                    vec![Role::Function("login".into())],
                    "<a href=/dang-nhap/vneid>Đăng nhập bằng VNeID</a>",
                ),
                page("dang-nhap/vneid", vec![Role::SsoEntry], ""),
                page(
                    "thu-tuc/1.001",
                    vec![Role::Crawled],
                    "<h1>Khai sinh</h1><a href=/nop-ho-so/1.001>Nộp hồ sơ trực tuyến</a>",
                ),
                page(
                    "tim-kiem",
                    vec![Role::Function("search".into())],
                    "<form method=get action=/tim-kiem><input type=hidden name=t value=1><input name=tu-khoa type=search><button>Tìm</button></form>",
                ),
            ],
            ..Observations::default()
        }
    }

    #[test]
    fn default_journeys_are_built_from_what_the_crawl_found() {
        let (flows, missing) = default_flows(&scenario(""), &observed());
        let names: Vec<(&str, FlowOrigin)> = flows
            .iter()
            .map(|f| (f.requirements[0].as_str(), f.origin))
            .collect();
        assert_eq!(
            names.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            ["PL1-1", "PL1-3.3", "PL1-3.4", "PL1-5"]
        );
        assert!(names.iter().all(|(_, o)| *o == FlowOrigin::Default));
        assert_eq!(
            flows[0].steps[1].action,
            Action::Click {
                target: Selector::Css(
                    "a[href$=\"/dang-nhap/vneid\"], a[href*=\"/dang-nhap/vneid?\"]".into()
                )
            }
        );
        assert_eq!(
            flows[1].steps[0].action,
            Action::Goto {
                url: Url::parse("https://dvc.mau.gov.vn/nop-ho-so/1.001").unwrap()
            }
        );
        assert!(matches!(
            flows[1].steps[2].action,
            Action::ExpectInvalid { .. }
        ));
        assert!(matches!(
            &flows[3].steps[1].action,
            Action::Fill { target: Selector::Css(c), value: Value::Literal(v) }
                if c.contains("tu-khoa") && v == "đăng ký"
        ));
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].0, "PL1-5.1");
        assert!(missing[0].1.contains("look-up"), "{missing:?}");
    }

    #[test]
    fn a_declared_flow_replaces_the_default_one() {
        let s = scenario(
            "[[flows]]\nname = \"Đăng nhập\"\nrequirements = [\"PL1-1\", \"PL1-3.3\"]\nsteps = [{ goto = \"/dang-nhap\" }]\n",
        );
        let (flows, _) = default_flows(&s, &observed());
        let ids: Vec<&str> = flows.iter().map(|f| f.requirements[0].as_str()).collect();
        assert_eq!(ids, ["PL1-3.4", "PL1-5"]);
    }
}
