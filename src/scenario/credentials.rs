//! Credentials written into a URL (`https://user:password@host/`) are refused in every key of
//! a scenario, not only the portal's addresses: the reports, the journal and the evidence
//! would all carry them. The key is named, the secret never repeated.

use toml::de::{DeTable, DeValue};
use url::Url;

use crate::error::Problem;
use crate::input::Source;

/// Why a URL with `user:password@` is refused.
pub(super) const CREDENTIALS_IN_URL: &str = "credentials in a URL (`user:password@host`) are \
     refused: they would be written into every report and the journal; put credentials in \
     environment variables named in `[accounts]`";

/// Whether a URL carries a user name or a password.
pub(super) fn has_credentials(u: &Url) -> bool {
    !u.username().is_empty() || u.password().is_some()
}

/// The user-info part of a string that is (or, scheme-relative, resolves to) a URL with
/// credentials: what must never be repeated. `None` for anything else (a path, a selector, a
/// plain address).
fn credentials_in(s: &str) -> Option<Vec<String>> {
    let u = match Url::parse(s.trim()) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) if s.trim().starts_with("//") => {
            Url::parse("https://kiemdinh.invalid/")
                .ok()?
                .join(s.trim())
                .ok()?
        }
        Err(_) => return None,
    };
    if !(u.has_host() && has_credentials(&u)) {
        return None;
    }
    let mut secrets = vec![s.to_string()];
    secrets.extend(
        [Some(u.username()), u.password()]
            .into_iter()
            .flatten()
            .filter(|p| p.len() >= 3)
            .map(str::to_string),
    );
    Some(secrets)
}

fn walk(
    value: &DeValue<'_>,
    key: &str,
    span: std::ops::Range<usize>,
    source: &Source,
    found: &mut (Vec<Problem>, Vec<String>),
) {
    match value {
        DeValue::String(s) => {
            if let Some(secrets) = credentials_in(s) {
                found.0.push(source.problem_at(
                    Some(span),
                    Some(key.to_string()),
                    CREDENTIALS_IN_URL,
                ));
                found.1.extend(secrets);
            }
        }
        DeValue::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                walk(v.get_ref(), &format!("{key}[{i}]"), v.span(), source, found);
            }
        }
        DeValue::Table(t) => walk_table(t, key, source, found),
        _ => {}
    }
}

fn walk_table(
    table: &DeTable<'_>,
    prefix: &str,
    source: &Source,
    found: &mut (Vec<Problem>, Vec<String>),
) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        walk(v.get_ref(), &key, v.span(), source, found);
    }
}

/// Every string value of the scenario that is a URL with credentials, at its key; and the
/// secrets, so that no other message repeats them.
pub(super) fn scan(source: &Source) -> (Vec<Problem>, Vec<String>) {
    let mut found = (Vec::new(), Vec::new());
    if let Ok(root) = DeTable::parse(&source.text) {
        walk_table(root.get_ref(), "", source, &mut found);
    }
    found
}

/// Drops the problems that would repeat a secret (the credential problem at the same key
/// says what is wrong) and the duplicates of a credential problem.
pub(super) fn without_secrets(problems: Vec<Problem>, secrets: &[String]) -> Vec<Problem> {
    let mut kept: Vec<Problem> = Vec::new();
    for p in problems {
        let leaks = secrets.iter().any(|s| p.message.contains(s.as_str()));
        let duplicate = kept
            .iter()
            .any(|k| k.key == p.key && k.message == p.message);
        if !leaks && !duplicate {
            kept.push(p);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_found_in_any_url_and_only_there() {
        assert!(credentials_in("https://u:p4ss@h.example/").is_some());
        assert!(credentials_in("https://user@h.example/").is_some());
        assert!(credentials_in("//u:p4ss@h.example/x").is_some());
        assert!(credentials_in("https://h.example/a@b").is_none());
        assert!(credentials_in("/tra-cuu?q=a@b").is_none());
        assert!(credentials_in("text=Đăng nhập").is_none());
        assert!(credentials_in("mailto:a@b.example").is_none());
    }

    #[test]
    fn every_key_is_scanned_and_secrets_are_collected() {
        let source = Source {
            path: "s.toml".into(),
            text: "[dvcqg]\nstatus-url = \"https://a:s3cret@x.example/s\"\n[[flows]]\nname = \"f\"\nsteps = [{ goto = \"/\" }, { goto = \"https://b:t0ken@x.example/\" }]\n".into(),
        };
        let (problems, secrets) = scan(&source);
        let keys: Vec<_> = problems.iter().map(|p| p.key.clone().unwrap()).collect();
        assert_eq!(keys, ["dvcqg.status-url", "flows[0].steps[1].goto"]);
        assert_eq!(problems[0].line, Some(2));
        assert!(secrets.iter().any(|s| s == "s3cret") && secrets.iter().any(|s| s == "t0ken"));
        let leak = source.problem_at(None, Some("x".into()), "`https://a:s3cret@x.example/s` bad");
        let kept = without_secrets(
            vec![problems[0].clone(), leak, problems[0].clone()],
            &secrets,
        );
        assert_eq!(kept.len(), 1);
    }
}
