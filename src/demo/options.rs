//! What a user can switch in the reference portal: the markup theme (`--theme`) and the faults
//! (`--defects`), each a table a user sees in `demo serve --help` and `assess --help`.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::error::Error;
use crate::input::did_you_mean;

/// Every markup theme the reference portal can wear, with what it looks like. Every theme
/// serves the same content; the clean portal is meant to get the same verdicts in each.
pub const THEMES: &[(&str, &str)] = &[
    (
        "semantic",
        "HTML5 landmarks: <header> with <nav>, <main>, <footer> (default)",
    ),
    (
        "liferay",
        "Liferay/OpenCPS: div#wrapper, div#banner with emblem image, login and home links, menu in div#navigation ul.nav, section#content, div#footer; EMC embed in a same-host script file; no landmarks or ARIA roles; per-request noise",
    ),
    (
        "div-table",
        "older DNN/WordPress: div.top-header, menu in .menu-bar ul, a layout <table> around div.main-content, div.footer; no landmarks; per-request noise",
    ),
    (
        "decomposed",
        "semantic markup, every Vietnamese text in decomposed Unicode (NFD) with old-style tone marks (hoá, Uỷ)",
    ),
];

/// Every defect the reference portal can switch on, with what it breaks.
pub const DEFECTS: &[(&str, &str)] = &[
    (
        "footer-differs",
        "PL3-3: the statistics page uses an outdated footer (other phone, no person in charge)",
    ),
    (
        "header-missing",
        "PL3-1, PL3-2: the search page is rendered without the site header (banner and menu, whatever the theme)",
    ),
    (
        "no-emc",
        "PL6-1: the guide page lacks the EMC embed code (inline or the theme's script file)",
    ),
    (
        "emc-site-id-differs",
        "PL6-4: the FAQ page reports to another EMC site id",
    ),
    ("no-hsts", "SEC-2: no Strict-Transport-Security header"),
    ("no-csp", "SEC-2: no Content-Security-Policy header"),
    (
        "server-banner",
        "SEC-7: `Server` and `X-Powered-By` reveal versions",
    ),
    ("stack-trace", "SEC-7: error pages show a stack trace"),
    (
        "no-https-redirect",
        "SEC-1: plain HTTP serves the site instead of redirecting",
    ),
    (
        "expired-cert",
        "SEC-1: the certificate expired ten days ago (every HTTPS client refuses the portal, so the page checks are `error` too)",
    ),
    (
        "wrong-host-cert",
        "SEC-1: the certificate names another host only (every HTTPS client refuses the portal, so the page checks are `error` too)",
    ),
    (
        "deep-service",
        "PL1-11: one procedure is only reachable five clicks deep",
    ),
    ("no-sitemap", "PL3-7: no sitemap.xml"),
    (
        "procedure-fields-missing",
        "PL1-2.1: every third procedure page lacks fees and legal basis",
    ),
    (
        "script-title",
        "none (hostile input): a page title contains `<script>`",
    ),
    (
        "redirect-loop",
        "none (hostile input): a linked page redirects to itself",
    ),
    ("huge-page", "none (hostile input): a linked page is 8 MiB"),
    (
        "leaky-tokens",
        "none (secrets in outputs): the home page links to `/ho-so-ca-nhan?access_token=…` (the page answers 200 only to that token, in the query or as `Authorization: Bearer`) naming the test account `cong-dan-thu-7731`; the session cookie is set as always: reports show the cookie's name and attributes, the parameter's name, never the values",
    ),
    (
        "no-service-level",
        "PL1-2, DVCQG-2: procedure pages and the catalogue do not show the service level",
    ),
    (
        "search-broken",
        "PL1-5: every search answers HTTP 500 (\"Hệ thống đang bận\")",
    ),
    (
        "lookup-silent",
        "PL1-5.1: an unknown dossier code gets an empty answer, no \"not found\"",
    ),
    ("no-rating", "PL1-7: the rating page lost its form"),
    (
        "no-chatbot",
        "PL1-9: the virtual-assistant page answers 404",
    ),
    (
        "stats-over-100",
        "PL1-8: the statistics page shows an on-time rate of 112,5%",
    ),
    (
        "delegation-broken",
        "PL1-6: the complaints link points to a look-alike host, not DVCQG",
    ),
    (
        "catalogue-drift",
        "DVCQG-2: one procedure renamed and one local procedure not in the DVCQG catalogue",
    ),
    (
        "profile-broken",
        "PL1-1.1: saving the signed-in citizen's account answers HTTP 500 (seen in a browser journey)",
    ),
    (
        "no-sso",
        "PL1-1, SSO-1: login is a local password form, no VNeID / DVCQG single sign-on",
    ),
    (
        "sso-no-state",
        "SSO-1: the identity-provider request has no state, nonce or PKCE",
    ),
    (
        "insecure-cookie",
        "SEC-3: the session cookie lacks Secure, HttpOnly and SameSite",
    ),
    (
        "weak-cookies",
        "SEC-3: every response sets the session cookie without Secure, HttpOnly and SameSite (Observatory −30)",
    ),
    (
        "cors-wildcard",
        "SEC-2: the JSON API answers Access-Control-Allow-Origin: * with credentials",
    ),
    (
        "cors-reflect",
        "SEC-2: every response reflects the request's Origin with credentials, preflights included (Observatory −50)",
    ),
    (
        "csp-unsafe-inline",
        "SEC-2: the CSP's script-src allows 'unsafe-inline' (no hashes) (Observatory −20)",
    ),
    (
        "admin-exposed",
        "SEC-8: the back-office login is served at /quan-tri on the public host",
    ),
    (
        "dir-listing",
        "SEC-7: every folder the themes' assets live in (/static/, /o/mau-theme/css/, …) answers with an nginx autoindex page",
    ),
    (
        "git-exposed",
        "SEC-7: /.git/HEAD and /.git/config are served as files",
    ),
    (
        "no-security-txt",
        "SEC-9: /.well-known/security.txt answers 404",
    ),
    (
        "mixed-content",
        "SEC-10: the introduction page loads an image over http://",
    ),
    (
        "no-sri",
        "SEC-10: the statistics page loads a CDN script without integrity",
    ),
    (
        "status-api-invalid",
        "DVCQG-3: the status endpoint answers JSON that breaks the schema",
    ),
    (
        "slow-lcp",
        "PL4-2: the home page's hero image arrives 3.5 s late (the server holds it): LCP passes 2.5 s, FCP, TTFB and Speed Index stay within their thresholds (seen in a browser)",
    ),
    (
        "layout-shift",
        "D4-1: on the search page a notice pushes the content down 500 ms after load (CLS > 0.25, seen in a browser)",
    ),
    (
        "no-viewport",
        "PL8-4: the introduction page has no viewport meta (seen in a browser)",
    ),
    (
        "wide-table",
        "PL8-4: the statistics table is 1200 px wide with no scroll container: the page scrolls sideways at 360 px (seen in a browser)",
    ),
    (
        "missing-alt",
        "PL8-5: the header emblem (every page) and the home page's hero image have no alt text (axe-core `image-alt`, critical; seen in a browser)",
    ),
    (
        "low-contrast",
        "PL8-5: the home and guide pages' content is light grey on white, about 2:1 (axe-core `color-contrast`, serious; seen in a browser)",
    ),
    (
        "no-trackdvc",
        "PL6-3: procedure pages report the page view to EMC but not `trackDVC` with the procedure code (seen in a browser)",
    ),
    (
        "login-offsite-http",
        "PL1-1, SSO-1: the VNeID login sends the browser over plain HTTP to another host (`http://localhost:PORT/idp/authorize`, served by the plain-HTTP site)",
    ),
    (
        "upload-broken",
        "PL1-3.4: the e-form's upload endpoint answers HTTP 500 and the page shows \"Tải tệp lên không thành công\" (seen in a browser)",
    ),
    (
        "no-validation",
        "PL1-3.3: the e-form checks nothing: no script check, the server takes any value and goes on to the payment step (seen in a browser)",
    ),
    (
        "rating-broken",
        "PL1-7: sending a rating answers HTTP 500 and the page shows \"Không gửi được đánh giá\" (seen in a browser)",
    ),
    (
        "chatbot-silent",
        "PL1-9: the virtual assistant's answer endpoint answers 204 and nothing is added to the chat (seen in a browser)",
    ),
    (
        "session-fixation",
        "none without `--active-security` (SEC-3 with it, see README *Active security checks*): the back office's local login (`/can-bo/dang-nhap`) keeps the session id the visitor came with",
    ),
    (
        "no-lockout",
        "none without `--active-security` (SEC-5 with it): the back office's local login never locks the account, however many wrong passwords",
    ),
    (
        "overload=N",
        "none page by page (PL5-1…PL5-4 under a load of more than N users): the portal counts the requests in flight; up to N each is served normally but holds its slot at least 20 ms, the next one is held 50 ms longer, and past N + 1 the portal answers 503 at once with `Retry-After: 1` (a capacity search finds N; N from 1 to 100000; a crawl or a browser sending more than N + 1 requests at once gets 503s too: the demo scenario crawls 8 at a time)",
    ),
    (
        "slow=MS",
        "none (a test aid): every response of both sites is delayed by MS milliseconds (MS from 1 to 60000), so a run can be interrupted half-way; the request counter `/__kiemdinh/requests` answers at once",
    ),
    (
        "spa-shell",
        "none in a browser: every page is an empty `#app` shell whose body JavaScript builds (the same markup); the HTTP-only view (`--no-browser`) misses header, menu, content and links",
    ),
];

/// The defects only a browser sees (page load, rendering, EMC calls, what the journeys'
/// scripts do): an HTTP-only run (`--no-browser`) finds nothing wrong with them, except
/// `spa-shell`, whose empty shell is all the HTTP view gets. (`login-offsite-http` is not
/// here: the HTTP probe reads the plain-HTTP redirect too.)
pub const BROWSER_DEFECTS: &[&str] = &[
    "slow-lcp",
    "layout-shift",
    "no-viewport",
    "wide-table",
    "missing-alt",
    "low-contrast",
    "no-trackdvc",
    "spa-shell",
    "upload-broken",
    "no-validation",
    "rating-broken",
    "chatbot-silent",
    "profile-broken",
];

/// The largest `N` `overload=N` takes.
pub const OVERLOAD_MAX: usize = 100_000;

/// The largest `MS` `slow=MS` takes (a minute per response).
pub const SLOW_MAX_MS: u64 = 60_000;

/// A set of switched-on defects, with the `N` of `overload=N` and the `MS` of `slow=MS`.
#[derive(Debug, Clone, Default)]
pub struct Defects(BTreeSet<String>, Option<usize>, Option<u64>);

/// Parses the `MS` of `slow=MS`: a whole number of milliseconds from 1 to [`SLOW_MAX_MS`].
fn slow_ms(value: &str) -> Result<u64, Error> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=SLOW_MAX_MS).contains(n))
        .ok_or_else(|| {
            Error::Usage(format!(
                "defect `slow={value}`: MS must be a whole number of milliseconds from 1 to {SLOW_MAX_MS}, e.g. `slow=200`"
            ))
        })
}

/// Parses the `N` of `overload=N`: a whole number of users from 1 to [`OVERLOAD_MAX`].
fn overload_users(value: &str) -> Result<usize, Error> {
    value
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=OVERLOAD_MAX).contains(n))
        .ok_or_else(|| {
            Error::Usage(format!(
                "defect `overload={value}`: N must be a whole number of users from 1 to {OVERLOAD_MAX}, e.g. `overload=20`"
            ))
        })
}

impl Defects {
    /// Parses defect names; an unknown name is a usage error with a suggestion. The
    /// parameterised defects are written `overload=N` and `slow=MS`.
    pub fn parse(names: &[String]) -> Result<Self, Error> {
        let known: Vec<&str> = DEFECTS.iter().map(|(n, _)| *n).collect();
        let mut set = BTreeSet::new();
        let mut overload = None;
        let mut slow = None;
        for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            if n == "overload" || n == "overload=N" {
                return Err(Error::Usage(
                    "defect `overload` takes the number of users the portal holds: `overload=N`, e.g. `overload=20`".into(),
                ));
            }
            if let Some(value) = n.strip_prefix("overload=") {
                overload = Some(overload_users(value)?);
                set.insert("overload".to_string());
                continue;
            }
            if n == "slow" || n == "slow=MS" {
                return Err(Error::Usage(
                    "defect `slow` takes the delay of every response in milliseconds: `slow=MS`, e.g. `slow=200`".into(),
                ));
            }
            if let Some(value) = n.strip_prefix("slow=") {
                slow = Some(slow_ms(value)?);
                set.insert("slow".to_string());
                continue;
            }
            if !known.contains(&n) {
                return Err(Error::Usage(match did_you_mean(n, known.iter().copied()) {
                    Some(s) => format!("unknown defect `{n}`, did you mean `{s}`?"),
                    None => format!("unknown defect `{n}`; known defects: {}", known.join(", ")),
                }));
            }
            set.insert(n.to_string());
        }
        Ok(Self(set, overload, slow))
    }

    /// Whether a defect is on (`overload` for `overload=N`, `slow` for `slow=MS`).
    pub fn has(&self, name: &str) -> bool {
        self.0.contains(name)
    }

    /// The `N` of `overload=N`: how many requests in flight the portal serves normally.
    pub fn overload(&self) -> Option<usize> {
        self.1
    }

    /// The delay of every response under `slow=MS`.
    pub fn slow(&self) -> Option<std::time::Duration> {
        self.2.map(std::time::Duration::from_millis)
    }
}

/// One markup theme of the reference portal (see [`THEMES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// HTML5 landmarks.
    #[default]
    Semantic,
    /// Liferay/OpenCPS-style divs, EMC in a script file.
    Liferay,
    /// Older DNN/WordPress-style divs and a layout table.
    DivTable,
    /// Semantic markup in decomposed Unicode.
    Decomposed,
}

impl Theme {
    /// Parses a theme name; an unknown name is a usage error with a suggestion.
    pub fn parse(name: &str) -> Result<Self, Error> {
        let n = name.trim();
        Ok(match n {
            "" | "semantic" => Self::Semantic,
            "liferay" => Self::Liferay,
            "div-table" => Self::DivTable,
            "decomposed" => Self::Decomposed,
            _ => {
                let known = THEMES.iter().map(|(t, _)| *t);
                return Err(Error::Usage(match did_you_mean(n, known.clone()) {
                    Some(s) => format!("unknown theme `{n}`, did you mean `{s}`?"),
                    None => format!(
                        "unknown theme `{n}`; known themes: {}",
                        known.collect::<Vec<_>>().join(", ")
                    ),
                }));
            }
        })
    }

    /// The theme's name as in [`THEMES`].
    pub fn name(self) -> &'static str {
        match self {
            Self::Semantic => "semantic",
            Self::Liferay => "liferay",
            Self::DivTable => "div-table",
            Self::Decomposed => "decomposed",
        }
    }

    /// Whether pages carry HTML5 landmarks (`<header>`, `<nav>`, `<main>`, `<footer>`).
    pub fn semantic_markup(self) -> bool {
        matches!(self, Self::Semantic | Self::Decomposed)
    }
}

/// The help text listing every theme and every defect with what it breaks, built from
/// [`THEMES`] and [`DEFECTS`] (shown by `demo serve --help` and `assess --help`).
pub fn help() -> String {
    let mut s = String::from("Themes (--theme NAME):\n");
    for (name, what) in THEMES {
        let _ = writeln!(s, "  {name}\n        {what}");
    }
    s.push_str("\nDefects (--defects NAME,NAME…), each with the requirement(s) it breaks in every theme:\n");
    for (name, what) in DEFECTS {
        let (ids, why) = what.split_once(": ").unwrap_or(("", what));
        let _ = writeln!(s, "  {name:<25} breaks {ids}\n        {why}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_parse_and_suggest() {
        for (name, _) in THEMES {
            assert_eq!(Theme::parse(name).unwrap().name(), *name);
        }
        let e = Theme::parse("liferey").unwrap_err().to_string();
        assert!(e.contains("did you mean `liferay`"), "{e}");
        let e = Theme::parse("bootstrap").unwrap_err().to_string();
        assert!(e.contains("known themes: semantic, liferay"), "{e}");
    }

    #[test]
    fn defects_parse_and_suggest() {
        let d = Defects::parse(&["no-hsts".into(), " no-csp ".into()]).unwrap();
        assert!(d.has("no-hsts") && d.has("no-csp") && !d.has("no-sri"));
        let e = Defects::parse(&["no-hst".into()]).unwrap_err().to_string();
        assert!(e.contains("did you mean `no-hsts`"), "{e}");
    }

    #[test]
    fn overload_takes_a_number_of_users() {
        let d = Defects::parse(&["no-csp".into(), " overload=20 ".into()]).unwrap();
        assert_eq!(d.overload(), Some(20));
        assert!(d.has("overload") && d.has("no-csp"));
        let none = Defects::parse(&["no-csp".into()]).unwrap();
        assert_eq!(none.overload(), None);
        assert!(!none.has("overload"));
        assert_eq!(
            Defects::parse(&["overload=100000".into()])
                .unwrap()
                .overload(),
            Some(OVERLOAD_MAX)
        );
        for bad in [
            "overload=0",
            "overload=-3",
            "overload=x",
            "overload=",
            "overload=100001",
        ] {
            let e = Defects::parse(&[bad.into()]).unwrap_err().to_string();
            assert!(
                e.contains("N must be a whole number of users from 1 to 100000"),
                "{bad}: {e}"
            );
        }
        for bare in ["overload", "overload=N"] {
            let e = Defects::parse(&[bare.into()]).unwrap_err().to_string();
            assert!(
                e.contains("`overload=N`, e.g. `overload=20`"),
                "{bare}: {e}"
            );
        }
        let e = Defects::parse(&["overlaod=5".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown defect `overlaod=5`"), "{e}");
    }

    #[test]
    fn slow_takes_milliseconds_in_range() {
        let d = Defects::parse(&[" slow=250 ".into(), "no-csp".into()]).unwrap();
        assert_eq!(d.slow(), Some(std::time::Duration::from_millis(250)));
        assert!(d.has("slow") && d.has("no-csp"));
        assert_eq!(Defects::parse(&["no-csp".into()]).unwrap().slow(), None);
        assert_eq!(
            Defects::parse(&["slow=60000".into()]).unwrap().slow(),
            Some(std::time::Duration::from_secs(60))
        );
        for bad in [
            "slow=0",
            "slow=-1",
            "slow=1.5",
            "slow=",
            "slow=60001",
            "slow=x",
        ] {
            let e = Defects::parse(&[bad.into()]).unwrap_err().to_string();
            assert!(
                e.contains("MS must be a whole number of milliseconds from 1 to 60000"),
                "{bad}: {e}"
            );
        }
        for bare in ["slow", "slow=MS"] {
            let e = Defects::parse(&[bare.into()]).unwrap_err().to_string();
            assert!(e.contains("`slow=MS`, e.g. `slow=200`"), "{bare}: {e}");
        }
    }

    #[test]
    fn browser_defects_are_defects_and_say_so() {
        for name in BROWSER_DEFECTS {
            let (_, what) = DEFECTS.iter().find(|(n, _)| n == name).unwrap();
            assert!(what.contains("browser"), "{name}: {what}");
        }
        let mut names: Vec<&str> = BROWSER_DEFECTS.to_vec();
        names.dedup();
        assert_eq!(names.len(), BROWSER_DEFECTS.len());
    }

    #[test]
    fn help_lists_every_theme_and_defect() {
        let h = help();
        for (name, what) in THEMES.iter().chain(DEFECTS) {
            let why = what.split_once(": ").map_or(*what, |(_, w)| w);
            assert!(h.contains(name) && h.contains(why), "{name}");
        }
        assert!(
            h.contains("no-hsts                   breaks SEC-2\n"),
            "{h}"
        );
    }
}
