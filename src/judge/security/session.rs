//! SEC-3 (the part visible without logging in): cookie attributes, the `__Host-` and
//! `__Secure-` prefixes' rules. Works on redacted observations: the redactor keeps a
//! cookie's name and attributes, only its value is replaced.

use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list, no_pages, short};
use crate::observation::Observations;
use crate::text::Text;
use crate::tr;

/// SEC-3 (the part visible without logging in): every cookie the portal sets over HTTPS has
/// `Secure`; session-like cookies also `HttpOnly` and `SameSite`.
pub fn cookie_flags(session_names: &[String], obs: &Observations) -> Outcome {
    let expected = Text::new(
        "Cookie đặt qua HTTPS có Secure; cookie phiên có thêm HttpOnly và SameSite",
        "cookies set over HTTPS carry Secure; session cookies also HttpOnly and SameSite",
    );
    if obs.pages.iter().all(|p| p.fetch.status.is_none()) {
        return no_pages(expected, obs);
    }
    let mut seen: Vec<String> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let mut evidence = Vec::new();
    let mut prefixed: Vec<String> = Vec::new();
    for p in obs
        .pages
        .iter()
        .filter(|p| p.fetch.final_url.starts_with("https:"))
    {
        for c in p.fetch.header_all("set-cookie") {
            let mut parts = c.split(';').map(str::trim);
            let name = parts
                .next()
                .and_then(|kv| kv.split('=').next())
                .unwrap_or("")
                .to_string();
            if name.is_empty() || seen.contains(&name) {
                continue;
            }
            seen.push(name.clone());
            let attrs: Vec<String> = parts.map(str::to_ascii_lowercase).collect();
            let has = |a: &str| {
                attrs
                    .iter()
                    .any(|x| x == a || x.starts_with(&format!("{a}=")))
            };
            let session = session_names
                .iter()
                .any(|s| name.to_ascii_lowercase().contains(&s.to_ascii_lowercase()));
            let mut missing = Vec::new();
            if !has("secure") {
                missing.push("Secure");
            }
            if session && !has("httponly") {
                missing.push("HttpOnly");
            }
            if session && !has("samesite") {
                missing.push("SameSite");
            }
            let lower = name.to_ascii_lowercase();
            if lower.starts_with("__host-")
                && (!attrs.iter().any(|a| a == "path=/") || has("domain"))
            {
                missing.push("the __Host- prefix's Path=/ without Domain");
            }
            if attrs.iter().any(|a| a == "samesite=none") && !has("secure") {
                missing.push("Secure (SameSite=None needs it)");
            }
            if lower.starts_with("__host-") || lower.starts_with("__secure-") {
                prefixed.push(name.clone());
            }
            if !missing.is_empty() {
                problems.push(format!(
                    "`{name}` without {} ({})",
                    missing.join(", "),
                    short(&p.url, obs)
                ));
                evidence.push(EvidenceRef::url(format!("Set-Cookie {name}"), &p.url));
            }
        }
    }
    let observed = if seen.is_empty() {
        Text::new(
            "Không có cookie nào được đặt trước khi đăng nhập",
            "no cookie is set before login",
        )
    } else {
        Text::same(format!("cookies: {}", list(&seen, 6)))
    };
    let observed = if prefixed.is_empty() {
        observed
    } else {
        observed.with(&format!("; prefixed: {}", list(&prefixed, 4)))
    };
    Outcome::either(
        problems.is_empty(),
        expected,
        observed,
        Text::new(
            "Cookie quan sát được có đủ thuộc tính bảo mật",
            "the observed cookies carry the security attributes",
        ),
        tr!(
            "Cookie thiếu thuộc tính bảo mật: {}",
            "cookies lack security attributes: {}",
            list(&problems, 4)
        ),
    )
    .with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;

    fn with_cookie(cookie: &str) -> crate::observation::Observations {
        let mut o = portal(vec![]);
        o.pages[0]
            .fetch
            .headers
            .push(("set-cookie".into(), cookie.into()));
        o
    }

    #[test]
    fn sec_3_session_cookie_needs_secure_httponly_and_samesite() {
        let ok = crate::judge::security::cookie_flags(
            &["sess".into()],
            &with_cookie("JSESSIONID=abc; Path=/; Secure; HttpOnly; SameSite=Lax"),
        );
        assert_eq!(ok.status, Status::Pass, "{}", ok.observed.en);
        let bad = crate::judge::security::cookie_flags(
            &["sess".into()],
            &with_cookie("JSESSIONID=abc; Path=/; Secure"),
        );
        assert_eq!(bad.status, Status::Fail, "{}", bad.observed.en);
    }

    #[test]
    fn sec_3_prefixes_and_redacted_cookies() {
        let judge =
            |c: &str| crate::judge::security::cookie_flags(&["sess".into()], &with_cookie(c));
        let host = judge("__Host-sess=abc; Path=/; Secure; HttpOnly; SameSite=Strict");
        assert_eq!(host.status, Status::Pass, "{}", host.observed.en);
        assert!(host.observed.en.contains("prefixed: __Host-sess"));
        let domain =
            judge("__Host-sess=abc; Path=/; Domain=mau.gov.vn; Secure; HttpOnly; SameSite=Strict");
        assert_eq!(domain.status, Status::Fail, "{}", domain.observed.en);
        assert_eq!(judge("lang=vi; Secure; SameSite=None").status, Status::Pass);
        assert_eq!(judge("lang=vi; SameSite=None").status, Status::Fail);
        let redacted = crate::redact::Redactor::header(
            "set-cookie",
            "dvc_session=kd0000demo; Path=/; Secure; HttpOnly; SameSite=Lax",
        )
        .unwrap();
        assert!(!redacted.contains("kd0000demo"));
        assert_eq!(judge(&redacted).status, Status::Pass, "{redacted}");
        let weak = crate::redact::Redactor::header("set-cookie", "dvc_session=kd0000demo; Path=/")
            .unwrap();
        assert_eq!(judge(&weak).status, Status::Fail, "{weak}");
    }
}
