//! SEC-2, CORS: no `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials:
//! true` on any response, and no arbitrary `Origin` reflected by the preflight — with
//! credentials a failure (any site can read a signed-in citizen's data), without them a note
//! or a failure as the checklist says.

use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list, short};
use crate::observation::{Fetch, Observations};
use crate::text::Text;

fn credentials(f: &Fetch) -> bool {
    f.header("access-control-allow-credentials")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

fn wildcard(f: &Fetch) -> bool {
    f.header("access-control-allow-origin")
        .is_some_and(|v| v.trim() == "*")
}

/// SEC-2 (CORS): judged from the run's one preflight and the `Access-Control-*` headers of
/// every response fetched.
pub fn cors(fail_reflect_without_credentials: bool, obs: &Observations) -> Outcome {
    let expected = Text::new(
        "Không có Access-Control-Allow-Origin: * kèm Allow-Credentials: true; không phản chiếu Origin tùy ý",
        "no Access-Control-Allow-Origin: * with Allow-Credentials: true; no arbitrary Origin reflected",
    );
    let mut problems: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut evidence = Vec::new();
    let star: Vec<String> = obs
        .pages
        .iter()
        .filter(|p| wildcard(&p.fetch) && credentials(&p.fetch))
        .map(|p| short(&p.url, obs))
        .collect();
    if let Some(p) = obs
        .pages
        .iter()
        .find(|p| wildcard(&p.fetch) && credentials(&p.fetch))
    {
        evidence.push(EvidenceRef::url("Access-Control-Allow-Origin: *", &p.url));
    }
    if !star.is_empty() {
        problems.push(format!(
            "`Access-Control-Allow-Origin: *` with credentials on {} page(s) ({})",
            star.len(),
            list(&star, 3)
        ));
    }
    let Some(pre) = &obs.cors else {
        if problems.is_empty() {
            return Outcome::error(
                expected,
                Text::new(
                    "Chưa gửi yêu cầu CORS preflight (quan sát cũ)",
                    "no CORS preflight was sent (older observations)",
                ),
            );
        }
        return fail(expected, &problems, &notes, evidence);
    };
    let f = &pre.fetch;
    let Some(status) = f.status else {
        let why = f.error.as_ref().map_or("", |e| e.message.as_str());
        if problems.is_empty() {
            return Outcome::error(expected, Text::same(format!("CORS preflight: {why}")));
        }
        return fail(expected, &problems, &notes, evidence);
    };
    evidence.push(EvidenceRef::url("CORS preflight (OPTIONS)", &pre.url));
    let acao = f.header("access-control-allow-origin").map(str::trim);
    let cred = credentials(f);
    match acao {
        Some(o) if o == pre.origin && cred => problems.push(format!(
            "the preflight reflects the arbitrary Origin `{o}` with credentials"
        )),
        Some(o) if o == pre.origin => {
            let m = format!("the preflight reflects the arbitrary Origin `{o}` (no credentials)");
            if fail_reflect_without_credentials {
                problems.push(m);
            } else {
                notes.push(m);
            }
        }
        Some("*") if cred => problems
            .push("the preflight answers `Access-Control-Allow-Origin: *` with credentials".into()),
        Some(o) => notes.push(format!(
            "preflight: HTTP {status}, Access-Control-Allow-Origin: {o}"
        )),
        None => notes.push(format!(
            "preflight: HTTP {status}, no Access-Control-Allow-Origin"
        )),
    }
    if !problems.is_empty() {
        return fail(expected, &problems, &notes, evidence);
    }
    Outcome::pass(
        expected,
        Text::same(notes.join("; ")),
        Text::new(
            "CORS không mở cho nguồn tùy ý",
            "CORS is not open to arbitrary origins",
        ),
    )
    .with_evidence(evidence)
}

fn fail(
    expected: Text,
    problems: &[String],
    notes: &[String],
    evidence: Vec<EvidenceRef>,
) -> Outcome {
    let mut all = problems.to_vec();
    all.extend(notes.iter().cloned());
    Outcome::fail(
        expected,
        Text::same(all.join("; ")),
        Text::new(
            "CORS cho phép nguồn tùy ý đọc dữ liệu kèm thông tin đăng nhập",
            "CORS lets arbitrary origins read responses with credentials",
        ),
    )
    .with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use super::cors;
    use crate::evaluation::Status;
    use crate::judge::tests::portal;
    use crate::observation::{CorsPreflight, Fetch};

    fn with_preflight(headers: &[(&str, &str)]) -> crate::observation::Observations {
        let mut o = portal(vec![]);
        o.cors = Some(Box::new(CorsPreflight {
            url: o.base_url.clone(),
            origin: "https://kiemdinh-cors-check.invalid".into(),
            fetch: Fetch {
                status: Some(204),
                headers: headers
                    .iter()
                    .map(|(k, v)| ((*k).into(), (*v).into()))
                    .collect(),
                ..Fetch::default()
            },
        }));
        o
    }

    const REFLECT: (&str, &str) = (
        "access-control-allow-origin",
        "https://kiemdinh-cors-check.invalid",
    );
    const CRED: (&str, &str) = ("access-control-allow-credentials", "true");

    #[test]
    fn a_closed_preflight_passes_and_a_reflected_origin_with_credentials_fails() {
        assert_eq!(cors(false, &with_preflight(&[])).status, Status::Pass);
        let v = cors(false, &with_preflight(&[REFLECT, CRED]));
        assert_eq!(v.status, Status::Fail, "{}", v.observed.en);
        assert!(v.observed.en.contains("with credentials"));
        let star = cors(
            false,
            &with_preflight(&[("access-control-allow-origin", "*"), CRED]),
        );
        assert_eq!(star.status, Status::Fail);
        let public = cors(
            false,
            &with_preflight(&[("access-control-allow-origin", "*")]),
        );
        assert_eq!(public.status, Status::Pass);
    }

    #[test]
    fn reflection_without_credentials_is_noted_or_failed_as_the_checklist_says() {
        let o = with_preflight(&[REFLECT]);
        let noted = cors(false, &o);
        assert_eq!(noted.status, Status::Pass);
        assert!(noted.observed.en.contains("no credentials"));
        assert_eq!(cors(true, &o).status, Status::Fail);
    }

    #[test]
    fn a_wildcard_with_credentials_on_a_page_fails_and_a_missing_preflight_is_an_error() {
        let mut o = portal(vec![]);
        assert_eq!(cors(false, &o).status, Status::Error);
        o.pages[0].fetch.headers.extend([
            ("access-control-allow-origin".into(), "*".into()),
            ("access-control-allow-credentials".into(), "true".into()),
        ]);
        assert_eq!(cors(false, &o).status, Status::Fail);
    }
}
