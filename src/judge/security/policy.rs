//! The quality rules SEC-2 applies to a page's security headers beyond their presence: what
//! a Content-Security-Policy lets scripts and plugins do, HSTS `includeSubDomains`, unsafe
//! `Referrer-Policy` values. Pure functions over header values.

/// What SEC-2 requires of the headers besides their presence (checklist keys).
#[derive(Debug, Clone, Copy, Default)]
pub struct HeaderRules {
    /// Least HSTS `max-age` in seconds.
    pub hsts_min_age: u64,
    /// HSTS must carry `includeSubDomains`.
    pub hsts_include_subdomains: bool,
    /// The CSP must restrict scripts and plugins ([`csp_problems`]).
    pub csp_quality: bool,
}

/// Referrer-Policy values that send the full URL or the origin across origins or downgrades.
pub const UNSAFE_REFERRER: &[&str] = &[
    "unsafe-url",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
];

/// The policy a `Referrer-Policy` header applies (the last value a browser knows) and whether
/// it is unsafe; `None` when no value is known.
pub fn referrer(v: &str) -> Option<(String, bool)> {
    const KNOWN: &[&str] = &[
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "unsafe-url",
        "no-referrer-when-downgrade",
        "origin",
        "origin-when-cross-origin",
    ];
    let p = v
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .rfind(|s| KNOWN.contains(&s.as_str()))?;
    let unsafe_ = UNSAFE_REFERRER.contains(&p.as_str());
    Some((p, unsafe_))
}

/// HSTS directives: `max-age` (when it parses), `includeSubDomains`, `preload`.
pub fn hsts(v: &str) -> (Option<u64>, bool, bool) {
    let mut age = None;
    let (mut sub, mut preload) = (false, false);
    for d in v.split(';').map(str::trim) {
        match d.split_once('=') {
            Some((k, val)) if k.trim().eq_ignore_ascii_case("max-age") => {
                age = val.trim().trim_matches('"').parse().ok();
            }
            _ if d.eq_ignore_ascii_case("includesubdomains") => sub = true,
            _ if d.eq_ignore_ascii_case("preload") => preload = true,
            _ => {}
        }
    }
    (age, sub, preload)
}

fn directive<'a>(policy: &'a str, name: &str) -> Option<Vec<&'a str>> {
    policy.split(';').find_map(|d| {
        let mut w = d.split_whitespace();
        w.next()
            .filter(|n| n.eq_ignore_ascii_case(name))
            .map(|_| w.collect())
    })
}

/// What a CSP lets scripts and plugins do that SEC-2's quality rule forbids, each named:
/// `'unsafe-inline'` in script-src (ignored by browsers when a nonce or hash is present),
/// `'unsafe-eval'`, a wildcard or scheme-only source (`*`, `http:`, `https:`, `data:`) or an
/// `http://` source in script-src (falling back to default-src, absent means anything), and
/// object-src (falling back to default-src) absent or with a wildcard.
pub fn csp_problems(policy: &str) -> Vec<String> {
    let mut out = Vec::new();
    let script = directive(policy, "script-src").or_else(|| directive(policy, "default-src"));
    let object = directive(policy, "object-src").or_else(|| directive(policy, "default-src"));
    let lower = |v: &[&str]| -> Vec<String> { v.iter().map(|s| s.to_ascii_lowercase()).collect() };
    match script.as_deref().map(lower) {
        None => out.push("no script-src or default-src (any script may run)".to_string()),
        Some(s) => {
            let nonce = s
                .iter()
                .any(|x| x.starts_with("'nonce-") || x.starts_with("'sha"));
            if s.iter().any(|x| x == "'unsafe-inline'") && !nonce {
                out.push("script-src allows 'unsafe-inline'".into());
            }
            if s.iter().any(|x| x == "'unsafe-eval'") {
                out.push("script-src allows 'unsafe-eval'".into());
            }
            for x in &s {
                if ["*", "http:", "https:", "data:"].contains(&x.as_str())
                    || x.starts_with("http://")
                {
                    out.push(format!("script-src allows `{x}`"));
                }
            }
        }
    }
    match object.as_deref().map(lower) {
        None => out.push("no object-src or default-src (plugins unrestricted)".into()),
        Some(o)
            if o.iter()
                .any(|x| ["*", "http:", "https:", "data:"].contains(&x.as_str())) =>
        {
            out.push("object-src allows a wildcard".into());
        }
        Some(_) => {}
    }
    out
}

/// Whether a CSP has `frame-ancestors`.
pub fn has_frame_ancestors(policy: &str) -> bool {
    directive(policy, "frame-ancestors").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_quality_names_each_problem() {
        assert!(csp_problems("default-src 'self'").is_empty());
        assert!(
            csp_problems("default-src 'self'; script-src 'self' 'unsafe-inline' 'nonce-x'")
                .is_empty()
        );
        let p = csp_problems(
            "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' * data: http://cdn.x",
        );
        assert_eq!(p.len(), 5, "{p:?}");
        assert_eq!(csp_problems("img-src 'self'").len(), 2);
        assert_eq!(
            csp_problems("script-src 'self'; object-src *"),
            ["object-src allows a wildcard"]
        );
    }

    #[test]
    fn referrer_and_hsts_values() {
        assert_eq!(
            referrer("no-referrer, unsafe-url"),
            Some(("unsafe-url".into(), true))
        );
        assert_eq!(
            referrer("unsafe-url, strict-origin"),
            Some(("strict-origin".into(), false))
        );
        assert_eq!(referrer("bogus"), None);
        assert_eq!(
            hsts("max-age=31536000; includeSubDomains; preload"),
            (Some(31_536_000), true, true)
        );
        assert_eq!(hsts("max-age=x"), (None, false, false));
        assert!(has_frame_ancestors(
            "default-src 'self'; frame-ancestors 'none'"
        ));
        assert!(!has_frame_ancestors("default-src 'self'"));
    }
}
