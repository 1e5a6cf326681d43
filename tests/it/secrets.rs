//! Secrets stay out of every output (issue 15, item 3): a reference portal that hands out a
//! session cookie and a link with `?access_token=…` naming the test account, assessed with a
//! scenario whose `[accounts]` credentials come from the environment; every file under the
//! output folder (names included), stdout and stderr are searched for each secret, and a load
//! journey sends the token as `Authorization: Bearer`. Each
//! secret is first shown to have been really sent or received, so it is the redaction that
//! hides it. (The credential a journey types in a browser: `flows.rs`.)

use std::path::Path;
use std::process::Command;

use kiemdinh::demo::content::{LEAKY_ACCOUNT, LEAKY_TOKEN};

use crate::flows::serve_with;
use crate::{ExitCode, evaluation};

/// The session cookie's value on the reference portal's login page.
const COOKIE_VALUE: &str = "kd0000demo";
/// The account's password, in the environment only (never sent without a browser: it must
/// not appear either way).
const PASSWORD: &str = "Mật-khẩu-Q7x2";

/// Every file under `dir`: (path relative to `dir`, bytes).
fn files(dir: &Path, root: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            files(&p, root, out);
        } else {
            let name = p.strip_prefix(root).unwrap().display().to_string();
            out.push((name, std::fs::read(&p).unwrap()));
        }
    }
}

/// The forms a secret may be written in that a reader would still recognise.
fn forms(secret: &str) -> Vec<String> {
    let url: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let json = serde_json::to_string(secret).unwrap();
    vec![
        secret.to_string(),
        url.clone(),
        url.replace('+', "%20"),
        json.trim_matches('"').to_string(),
    ]
}

/// `dir/s.toml`: the reference portal at `base` (CA file `ca`), 40 pages one click deep, then
/// `rest` (TOML).
fn write_scenario(dir: &Path, base: &str, ca: &str, rest: &str) -> std::path::PathBuf {
    let scenario = dir.join("s.toml");
    std::fs::write(
        &scenario,
        format!(
            "[portal]\nname = \"Cổng\"\norganisation = \"Ủy ban nhân dân tỉnh Mẫu\"\norganisation-kind = \"province\"\n\
             base-url = \"{base}\"\nca-file = \"{ca}\"\n\
             [pages]\nmax-pages = 40\nmax-depth = 1\n{rest}"
        ),
    )
    .unwrap();
    scenario
}

#[test]
fn no_output_shows_a_cookie_a_token_or_an_account_credential() {
    let (server, base, ca) = serve_with(&["--defects", "leaky-tokens"]);
    let dir = tempfile::tempdir().unwrap();
    let scenario = write_scenario(
        dir.path(),
        &base,
        &ca,
        &format!(
            "[functions]\nlogin = \"/dang-nhap\"\n\
             [accounts.cong-dan]\nusername-env = \"KD_SECRETS_USER\"\npassword-env = \"KD_SECRETS_PASS\"\n\
             [load]\nusers = 1\nramp-up-s = 0\nduration-s = 1\nthink-ms = 100\n\
             [[load.journeys]]\nname = \"ho-so\"\n\
             steps = [{{ path = \"/ho-so-ca-nhan\", headers = {{ Authorization = \"Bearer {LEAKY_TOKEN}\" }}, expect-status = 200 }}]\n"
        ),
    );
    let out = dir.path().join("o");
    let o = Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .args(["assess", "--scenario", scenario.to_str().unwrap()])
        .args(["--no-browser", "--format", "html,json,md,junit"])
        .args(["--out", out.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .env("KD_SECRETS_USER", LEAKY_ACCOUNT)
        .env("KD_SECRETS_PASS", PASSWORD)
        .output()
        .unwrap();
    drop(server);
    assert!(
        o.status
            .code()
            .is_some_and(|c| c != i32::from(ExitCode::Usage.code())),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // Each secret really went through: the cookie was set (its name and attributes are
    // shown), the token was sent (the profile answers 200 only to it) and the account's
    // name was on the page (the link's text).
    let e = evaluation(&out);
    let pages = e["observations"]["pages"].as_array().unwrap();
    let login = pages
        .iter()
        .find(|p| p["url"].as_str().unwrap().ends_with("/dang-nhap"))
        .expect("the login page was fetched");
    let cookie = login["fetch"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h[0] == "set-cookie")
        .expect("the session cookie was recorded");
    assert_eq!(
        cookie[1], "dvc_session=[redacted]; Path=/; Secure; HttpOnly; SameSite=Lax",
        "name and attributes kept"
    );
    let profile = pages
        .iter()
        .find(|p| p["url"].as_str().unwrap().contains("/ho-so-ca-nhan"))
        .expect("the profile link was followed");
    assert_eq!(
        profile["url"].as_str().unwrap(),
        format!("{base}ho-so-ca-nhan?access_token=[redacted]")
    );
    assert_eq!(profile["fetch"]["status"], 200, "the portal got the token");
    let home = e["observations"].to_string();
    assert!(
        home.contains("Hồ sơ của [redacted]"),
        "the account's name was on the home page"
    );
    // The load journey sent the token as `Authorization: Bearer` (any other answer is 401,
    // an error of the journey's `expect-status`).
    let load = &e["observations"]["load"];
    assert!(load["requests"].as_u64().unwrap() > 0, "{load}");
    assert_eq!(load["errors"], 0, "the bearer token was sent: {load}");
    // SEC-3 still judges the redacted cookie (the clean portal's cookie is good).
    assert_ne!(crate::requirement(&e, "SEC-3")["status"], "fail");

    let mut all = Vec::new();
    files(&out, &out, &mut all);
    let names: Vec<&String> = all.iter().map(|(n, _)| n).collect();
    for expected in [
        "journal.jsonl",
        "evaluation.json",
        "report.html",
        "summary.md",
        "junit.xml",
    ] {
        assert!(
            names.iter().any(|n| *n == expected),
            "{expected} in {names:?}"
        );
    }
    let journal = std::fs::read_to_string(out.join("journal.jsonl")).unwrap();
    assert!(
        journal.contains("access_token=[redacted]"),
        "the journal records the page, redacted"
    );
    all.extend(
        all.iter()
            .map(|(n, _)| (format!("file name {n}"), n.as_bytes().to_vec()))
            .collect::<Vec<_>>(),
    );
    all.push(("stdout".into(), o.stdout.clone()));
    all.push(("stderr".into(), o.stderr.clone()));
    for secret in [COOKIE_VALUE, LEAKY_TOKEN, LEAKY_ACCOUNT, PASSWORD] {
        for form in forms(secret) {
            for (name, bytes) in &all {
                assert!(
                    !String::from_utf8_lossy(bytes).contains(&form),
                    "`{form}` leaked into {name}"
                );
            }
        }
    }
}

/// The same portal without the credential in the environment: the account's name is an
/// ordinary word then and is shown (the redaction is what hid it above).
#[test]
fn without_the_account_in_the_environment_its_name_is_not_a_secret() {
    let (server, base, ca) = serve_with(&["--defects", "leaky-tokens"]);
    let dir = tempfile::tempdir().unwrap();
    let scenario = write_scenario(dir.path(), &base, &ca, "");
    let out = dir.path().join("o");
    let o = Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .args(["assess", "--scenario", scenario.to_str().unwrap()])
        .args(["--no-browser", "--no-load", "--format", "json", "-q"])
        .args(["--out", out.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .env_remove("KD_SECRETS_USER")
        .output()
        .unwrap();
    drop(server);
    assert_ne!(o.status.code(), Some(i32::from(ExitCode::Usage.code())));
    let text = std::fs::read_to_string(out.join("evaluation.json")).unwrap();
    assert!(text.contains(&format!("Hồ sơ của {LEAKY_ACCOUNT}")));
    // Token parameters need no scenario: still redacted.
    assert!(!text.contains(LEAKY_TOKEN) && text.contains("access_token=[redacted]"));
}

/// An `evaluation.json` written before redaction existed: `rejudge` redacts its observations
/// before judging and writing them again.
#[test]
fn rejudging_old_observations_redacts_them() {
    const COOKIE: &str = "kd-old-cookie-5521";
    const SID: &str = "kd-old-sid-8812";
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/evaluation-observations-v1.json"
    );
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let pages = doc["observations"]["pages"].as_array_mut().unwrap();
    pages[0]["fetch"]["headers"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!([
            "set-cookie",
            format!("kd_old={COOKIE}; Path=/")
        ]));
    let last = pages.last_mut().unwrap();
    let url = format!("{}?sid={SID}", last["url"].as_str().unwrap());
    last["url"] = serde_json::Value::String(url);
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("evaluation.json");
    std::fs::write(&old, doc.to_string()).unwrap();
    let out = dir.path().join("r");
    let o = crate::kiemdinh(&[
        "rejudge",
        old.to_str().unwrap(),
        "--format",
        "html,json,md,junit",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_ne!(o.status.code(), Some(i32::from(ExitCode::Usage.code())));
    let e = evaluation(&out);
    // The cookie was judged (SEC-3 names it, without `Secure`), by name only.
    let sec_3 = crate::requirement(&e, "SEC-3").to_string();
    assert!(sec_3.contains("kd_old"), "{sec_3}");
    assert!(e.to_string().contains("sid=[redacted]"));
    let mut all = Vec::new();
    files(&out, &out, &mut all);
    assert!(all.len() >= 4);
    for (name, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(COOKIE) && !text.contains(SID),
            "leaked into {name}"
        );
    }
}
