//! SEC-9: `/.well-known/security.txt` parsed and validated as RFC 9116 says — `Contact`
//! (required, one or more URIs; web URIs over HTTPS), `Expires` (required, once, RFC 3339, in
//! the future; more than `max-expires-days` ahead is noted), `Canonical` (when given, one of
//! them is the URL it was fetched from), served over HTTPS as `text/plain`; a PGP signature is
//! noted (its cleartext is what is parsed), and a file only at the legacy `/security.txt` is
//! named. Findings that RFC 9116 only recommends are listed as notes and do not fail.

use url::Url;

use super::parse_time;
use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list};
use crate::observation::{Observations, Page, Role};
use crate::probe::exposure::SECURITY_TXT_ROOT;
use crate::text::Text;

/// The fields of a security.txt (lower-case names, trimmed values), the cleartext of a
/// PGP-signed one, and whether it was signed.
fn fields(text: &str) -> (Vec<(String, String)>, bool) {
    let signed = text
        .trim_start()
        .starts_with("-----BEGIN PGP SIGNED MESSAGE-----");
    let mut out = Vec::new();
    let mut in_body = !signed;
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if signed {
            if !in_body {
                // The armor headers (`Hash: SHA256`) end at the first empty line.
                in_body = line.trim().is_empty();
                continue;
            }
            if line.starts_with("-----BEGIN PGP SIGNATURE-----") {
                break;
            }
        }
        // Dash-escaped lines of a cleartext signature (RFC 4880 §7.1).
        let line = line.strip_prefix("- ").unwrap_or(line);
        if line.trim_start().starts_with('#') {
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim();
            if !k.is_empty() && !k.contains(' ') {
                out.push((k.to_ascii_lowercase(), v.trim().to_string()));
            }
        }
    }
    (out, signed)
}

/// Why a `Contact` value is not a usable URI (RFC 9116 §2.5.3), if it is not.
fn contact_problem(v: &str) -> Option<String> {
    match Url::parse(v) {
        Err(_) => Some(format!(
            "`Contact: {v}` is not a URI (e.g. mailto:…, https://…)"
        )),
        Ok(u) if u.scheme() == "http" => Some(format!("`Contact: {v}` is not HTTPS")),
        Ok(u) if matches!(u.scheme(), "mailto" | "https" | "tel") => None,
        Ok(u) => Some(format!(
            "`Contact: {v}` has an unusual scheme `{}`",
            u.scheme()
        )),
    }
}

/// The security.txt answer judged: the well-known one when it answered 200, else the legacy
/// root one.
fn served(obs: &Observations) -> Option<(&Page, bool)> {
    let ok = |p: &&Page| p.fetch.status == Some(200) && !p.fetch.is_html();
    let well_known = obs.first_with_role(&Role::SecurityTxt);
    if let Some(p) = well_known.filter(ok) {
        return Some((p, true));
    }
    super::exposure::exposure_page(obs, SECURITY_TXT_ROOT)
        .filter(ok)
        .map(|p| (p, false))
}

/// SEC-9: `/.well-known/security.txt` (RFC 9116) with the required fields, not expired.
pub fn security_txt(require: &[String], max_expires_days: u32, obs: &Observations) -> Outcome {
    let expected = Text::new(
        format!(
            "/.well-known/security.txt qua HTTPS (text/plain) có các trường {}, Contact là URI, Expires trong tương lai (không quá {max_expires_days} ngày)",
            require.join(", ")
        ),
        format!(
            "/.well-known/security.txt over HTTPS (text/plain) with {}, Contact URIs, Expires in the future (at most {max_expires_days} days ahead)",
            require.join(", ")
        ),
    );
    let Some(asked) = obs.first_with_role(&Role::SecurityTxt) else {
        return Outcome::error(
            expected,
            Text::new("Chưa tải security.txt", "security.txt was not fetched"),
        );
    };
    let Some((p, well_known)) = served(obs) else {
        let observed = match (asked.fetch.status, &asked.fetch.error) {
            (Some(s), _) => format!(
                "HTTP {s}, {}",
                asked
                    .fetch
                    .header("content-type")
                    .unwrap_or("no content type")
            ),
            (None, e) => {
                let m = e.as_ref().map_or("", |e| e.message.as_str());
                return Outcome::error(expected, Text::same(format!("security.txt: {m}")));
            }
        };
        return Outcome::fail(
            expected,
            Text::same(observed),
            Text::new("Không có security.txt", "no security.txt"),
        )
        .with_evidence([EvidenceRef::url("security.txt", &asked.url)]);
    };
    let ev = [EvidenceRef::url("security.txt", &p.url)];
    let text = p.fetch.text.as_deref().unwrap_or("");
    let (fields, signed) = fields(text);
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    if !well_known {
        problems.push(format!(
            "only at {SECURITY_TXT_ROOT} (RFC 9116 wants /.well-known/security.txt)"
        ));
    }
    if !p.fetch.final_url.starts_with("https://") {
        problems.push("not served over HTTPS".to_string());
    }
    let ct = p
        .fetch
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if !ct.starts_with("text/plain") {
        problems.push(format!("served as `{ct}`, not text/plain"));
    } else if !ct.contains("utf-8") {
        notes.push("no `charset=utf-8`".to_string());
    }
    for r in require {
        if !fields.iter().any(|(k, _)| k == &r.to_ascii_lowercase()) {
            problems.push(format!("no `{r}` field"));
        }
    }
    let value = |name: &'static str| {
        fields
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    problems.extend(value("contact").filter_map(contact_problem));
    let expires: Vec<&str> = value("expires").collect();
    if expires.len() > 1 {
        problems.push(format!("{} `Expires` fields (one allowed)", expires.len()));
    }
    if let Some(exp) = expires.first() {
        match (parse_time(exp), parse_time(&obs.started_at)) {
            (Some(e), Some(now)) if e <= now => problems.push(format!("expired on {exp}")),
            (Some(e), Some(now)) if (e - now).whole_days() > i64::from(max_expires_days) => {
                notes.push(format!(
                    "`Expires: {exp}` is more than {max_expires_days} days ahead"
                ));
            }
            (None, _) => problems.push(format!("`Expires: {exp}` is not RFC 3339")),
            _ => {}
        }
    }
    let canonical: Vec<&str> = value("canonical").collect();
    if !canonical.is_empty()
        && !canonical
            .iter()
            .any(|c| *c == p.url || *c == p.fetch.final_url)
    {
        problems.push(format!(
            "`Canonical` ({}) does not name {}",
            list(
                &canonical
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
                2
            ),
            p.url
        ));
    }
    if signed {
        notes.push("PGP-signed (signature not verified)".to_string());
    }
    // `Expires` is shown as days ahead: the dates of a file renewed on schedule change daily.
    let now = parse_time(&obs.started_at);
    let shown: Vec<String> = fields
        .iter()
        .map(|(k, v)| match (k.as_str(), parse_time(v), now) {
            ("expires", Some(e), Some(now)) if e > now => {
                format!("{k}: in {} days", (e - now).whole_days())
            }
            _ => format!("{k}: {v}"),
        })
        .collect();
    let mut observed = list(&shown, 5);
    if !notes.is_empty() {
        observed = format!("{observed}; notes: {}", notes.join("; "));
    }
    Outcome::either(
        problems.is_empty(),
        expected,
        Text::same(observed),
        Text::new("security.txt hợp lệ", "security.txt valid"),
        Text::same(problems.join("; ")),
    )
    .with_evidence(ev)
}

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;
    use crate::observation::{Observations, Role};

    fn with(body: &str) -> Observations {
        let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
        let mut page = security_txt(body);
        page.fetch.final_url.clone_from(&page.url);
        let mut o = obs(&home, "text/html", vec![page]);
        o.started_at = "2026-11-30T09:00:00Z".into();
        o
    }

    fn judged(body: &str) -> (Status, String) {
        let v = verdict("SEC-9", &with(body));
        (v.status, format!("{} | {}", v.observed.en, v.message.en))
    }

    #[test]
    fn security_txt_needs_contact_and_a_future_expiry() {
        let (s, m) = judged("Contact: mailto:a@b.vn\nExpires: 2027-03-01T00:00:00Z\n");
        assert_eq!(s, Status::Pass, "{m}");
        assert!(!m.contains("days ahead"), "{m}");
        assert!(m.contains("expires: in 90 days"), "{m}");
        let (s, m) = judged("Contact: mailto:a@b.vn\nExpires: 2020-01-01T00:00:00Z\n");
        assert_eq!(s, Status::Fail);
        assert!(m.contains("expired"), "{m}");
        assert_eq!(judged("Contact: mailto:a@b.vn\n").0, Status::Fail);
        let (s, m) = judged("Expires: 2027-03-01T00:00:00Z\n");
        assert_eq!(s, Status::Fail);
        assert!(m.contains("no `contact`"), "{m}");
    }

    #[test]
    fn contact_must_be_a_uri_and_expires_rfc_3339_once() {
        let (s, m) = judged("Contact: attt@b.vn\nExpires: 2027-03-01T00:00:00Z\n");
        assert_eq!(s, Status::Fail);
        assert!(m.contains("not a URI"), "{m}");
        let (s, m) = judged("Contact: http://b.vn/bao-loi\nExpires: 2027-03-01T00:00:00Z\n");
        assert_eq!(s, Status::Fail);
        assert!(m.contains("not HTTPS"), "{m}");
        let (s, m) = judged("Contact: mailto:a@b.vn\nExpires: 01/03/2027\n");
        assert_eq!(s, Status::Fail);
        assert!(m.contains("not RFC 3339"), "{m}");
        let (s, m) = judged(
            "Contact: mailto:a@b.vn\nExpires: 2027-03-01T00:00:00Z\nExpires: 2027-04-01T00:00:00Z\n",
        );
        assert_eq!(s, Status::Fail);
        assert!(m.contains("one allowed"), "{m}");
    }

    #[test]
    fn a_far_expiry_and_a_signature_are_noted_and_canonical_must_match() {
        let (s, m) = judged("Contact: mailto:a@b.vn\nExpires: 2099-01-01T00:00:00Z\n");
        assert_eq!(s, Status::Pass, "a note, not a failure: {m}");
        assert!(m.contains("days ahead"), "{m}");
        let signed = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nContact: mailto:a@b.vn\nExpires: 2027-03-01T00:00:00Z\n-----BEGIN PGP SIGNATURE-----\n\niQIzBAEBCAAd\n-----END PGP SIGNATURE-----\n";
        let (s, m) = judged(signed);
        assert_eq!(s, Status::Pass, "{m}");
        assert!(m.contains("PGP-signed"), "{m}");
        let good = format!(
            "Contact: mailto:a@b.vn\nExpires: 2027-03-01T00:00:00Z\nCanonical: {BASE}.well-known/security.txt\n"
        );
        assert_eq!(judged(&good).0, Status::Pass);
        let (s, m) = judged(
            "Contact: mailto:a@b.vn\nExpires: 2027-03-01T00:00:00Z\nCanonical: https://other.example/.well-known/security.txt\n",
        );
        assert_eq!(s, Status::Fail);
        assert!(m.contains("Canonical"), "{m}");
    }

    #[test]
    fn html_plain_http_and_the_legacy_location_fail() {
        let mut o = with("Contact: mailto:a@b.vn\nExpires: 2027-03-01T00:00:00Z\n");
        let p = o
            .pages
            .iter_mut()
            .find(|p| p.roles.contains(&Role::SecurityTxt))
            .unwrap();
        p.fetch.headers = vec![("content-type".into(), "text/html".into())];
        assert_eq!(verdict("SEC-9", &o).status, Status::Fail, "an HTML page");
        // The legacy location alone is named and fails.
        let mut root = security_txt("Contact: mailto:a@b.vn\nExpires: 2027-03-01T00:00:00Z\n");
        root.url = format!("{BASE}security.txt");
        root.fetch.final_url.clone_from(&root.url);
        root.roles = vec![Role::Exposure(
            crate::probe::exposure::SECURITY_TXT_ROOT.into(),
        )];
        o.pages.push(root);
        let v = verdict("SEC-9", &o);
        assert_eq!(v.status, Status::Fail);
        assert!(
            v.message.en.contains("only at /security.txt"),
            "{}",
            v.message.en
        );
        let mut plain = with("Contact: mailto:a@b.vn\nExpires: 2027-03-01T00:00:00Z\n");
        for p in &mut plain.pages {
            if p.roles.contains(&Role::SecurityTxt) {
                p.fetch.final_url = p.url.replace("https://", "http://");
            }
        }
        assert_eq!(verdict("SEC-9", &plain).status, Status::Fail, "plain HTTP");
    }
}
