//! PL1-1 / SSO-1: single sign-on through an allow-listed identity provider.

use url::Url;

use super::{Outcome, host_in, no_pages, short};
use crate::evaluation::EvidenceRef;
use crate::observation::{Observations, Role};
use crate::text::Text;
use crate::tr;

/// PL1-1 / SSO-1: the SSO entry's redirect to the identity provider, read from the recorded
/// redirect chain (the request itself is never sent).
pub fn sso_request(idp_hosts: &[String], oidc: bool, obs: &Observations) -> Outcome {
    let mut allowed: Vec<String> = idp_hosts.to_vec();
    allowed.extend(obs.sso_idp_hosts.iter().cloned());
    let expected = if oidc {
        Text::new(
            format!(
                "Yêu cầu xác thực OpenID Connect (response_type=code, state, nonce hoặc PKCE, redirect_uri HTTPS trên tên miền cổng) gửi tới {}",
                allowed.join(", ")
            ),
            format!(
                "an OpenID Connect request (response_type=code, state, nonce or PKCE, HTTPS redirect_uri on the portal's host) to {}",
                allowed.join(", ")
            ),
        )
    } else {
        Text::new(
            format!(
                "Nút đăng nhập chuyển qua HTTPS tới nhà cung cấp định danh được phép: {}",
                allowed.join(", ")
            ),
            format!(
                "the login entry redirects over HTTPS to an allow-listed identity provider: {}",
                allowed.join(", ")
            ),
        )
    };
    let Some(entry) = obs.first_with_role(&Role::SsoEntry) else {
        if obs.html_pages().next().is_none() {
            return no_pages(expected, obs);
        }
        return Outcome::fail(
            expected,
            Text::new(
                "Không thấy liên kết đăng nhập VNeID / Cổng DVCQG",
                "no VNeID / DVCQG login link found",
            ),
            Text::new(
                "Không có lối đăng nhập một lần (khai báo `[sso] entry` nếu có)",
                "no single-sign-on entry (declare `[sso] entry` if there is one)",
            ),
        );
    };
    let evidence = [EvidenceRef::url("SSO entry", &entry.url)];
    if let Some(e) = &entry.fetch.error {
        return Outcome::error(
            expected,
            tr!(
                "Không mở được lối đăng nhập: {}",
                "the login entry failed: {}",
                e.message
            ),
        )
        .with_evidence(evidence);
    }
    // The authorisation request: the first redirect carrying OAuth parameters, else the first
    // redirect that leaves the portal.
    let portal = Url::parse(&obs.base_url).ok();
    let request = entry
        .fetch
        .redirects
        .iter()
        .filter_map(|h| Url::parse(&h.location).ok())
        .find(|u| {
            u.query_pairs()
                .any(|(k, _)| k == "response_type" || k == "client_id")
        })
        .or_else(|| {
            entry
                .fetch
                .redirects
                .iter()
                .filter_map(|h| Url::parse(&h.location).ok())
                .find(|u| portal.as_ref().is_none_or(|p| u.origin() != p.origin()))
        });
    let Some(req) = request else {
        return Outcome::fail(
            expected,
            tr!(
                "{} trả HTTP {} không chuyển hướng",
                "{} answers HTTP {} without a redirect",
                short(&entry.url, obs),
                entry.fetch.status.unwrap_or(0)
            ),
            Text::new(
                "Lối đăng nhập không chuyển tới nhà cung cấp định danh",
                "the login entry does not redirect to an identity provider",
            ),
        )
        .with_evidence(evidence);
    };
    let host = req.host_str().unwrap_or("").to_string();
    let mut problems = Vec::new();
    if req.scheme() != "https" {
        problems.push(format!("identity provider over {}", req.scheme()));
    }
    if !host_in(&host, &allowed) {
        problems.push(format!("`{host}` is not an allow-listed identity provider"));
    }
    if oidc {
        let q: std::collections::HashMap<String, String> = req.query_pairs().into_owned().collect();
        let has = |k: &str| q.get(k).is_some_and(|v| !v.trim().is_empty());
        if q.get("response_type").map(String::as_str) != Some("code") {
            problems.push("response_type is not `code`".into());
        }
        if !has("client_id") {
            problems.push("no client_id".into());
        }
        if !has("state") {
            problems.push("no state".into());
        }
        if !has("nonce") && !has("code_challenge") {
            problems.push("neither nonce nor PKCE code_challenge".into());
        }
        match q.get("redirect_uri").and_then(|r| Url::parse(r).ok()) {
            None => problems.push("no redirect_uri".into()),
            Some(r) => {
                let own = r.host_str().is_some_and(|h| {
                    h == obs.public_host || portal.as_ref().and_then(|p| p.host_str()) == Some(h)
                });
                if r.scheme() != "https" || !own {
                    problems.push(format!(
                        "redirect_uri {r} is not HTTPS on the portal's host"
                    ));
                }
            }
        }
    }
    let shown = format!("{}{}", req.origin().ascii_serialization(), req.path());
    Outcome::either(
        problems.is_empty(),
        expected,
        Text::same(format!(
            "{} → {shown} ({} params)",
            short(&entry.url, obs),
            req.query_pairs().count()
        )),
        Text::new(
            "Đăng nhập một lần qua nhà cung cấp định danh được phép",
            "single sign-on through an allow-listed identity provider",
        ),
        tr!(
            "Yêu cầu đăng nhập không đạt: {}",
            "the login request fails: {}",
            problems.join("; ")
        ),
    )
    .with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;
    use crate::observation::Role;

    #[test]
    fn sso_request_must_go_to_an_allow_listed_provider_over_https() {
        let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
        let entry = |location: &str| {
            let mut p = html_page(&format!("{BASE}dang-nhap/vneid"), Role::SsoEntry, 302, "");
            p.fetch.html = None;
            p.fetch.redirects = vec![crate::observation::Hop {
                url: format!("{BASE}dang-nhap/vneid"),
                status: 302,
                location: location.into(),
            }];
            obs(&home, "text/html", vec![p])
        };
        let good = "https://sso.dancuquocgia.gov.vn/authorize?response_type=code&client_id=x&state=s&nonce=n&redirect_uri=https%3A%2F%2Fdvc.mau.gov.vn%2Fcb";
        assert_eq!(status("SSO-1", &entry(good)), Status::Pass);
        assert_eq!(status("PL1-1", &entry(good)), Status::Pass);
        let evil = good.replace("sso.dancuquocgia.gov.vn", "sso.dancuquocgia.gov.vn.example");
        assert_eq!(
            status("PL1-1", &entry(&evil)),
            Status::Fail,
            "look-alike host"
        );
        let plain = good.replace("https://sso", "http://sso");
        assert_eq!(status("PL1-1", &entry(&plain)), Status::Fail, "plain HTTP");
        let foreign_cb = good.replace("dvc.mau.gov.vn", "evil.example");
        assert_eq!(
            status("SSO-1", &entry(&foreign_cb)),
            Status::Fail,
            "redirect_uri elsewhere"
        );
        assert_eq!(
            status("PL1-1", &entry(&foreign_cb)),
            Status::Pass,
            "PL1-1 does not check OIDC"
        );
    }
}
