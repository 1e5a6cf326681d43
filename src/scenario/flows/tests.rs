//! `[[flows]]` as read and validated: selectors, secrets, and every problem at its key.

use super::*;
use crate::scenario::tests::{OK, src};

fn flows(extra: &str) -> Result<Vec<Flow>, crate::error::Error> {
    crate::scenario::Scenario::from_source(&src(&format!("{OK}{extra}"))).map(|s| s.flows)
}

fn problems(extra: &str) -> Vec<String> {
    match flows(extra) {
        Err(crate::error::Error::Invalid { problems, .. }) => {
            problems.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn a_flow_is_read_with_its_selectors_and_secrets() {
    let f = flows(
        "[accounts.cd]\nusername-env = \"KD_USER\"\npassword-env = \"KD_PASS\"\n\
         [[flows]]\nname = \"Đăng nhập\"\nrequirements = [\"PL1-1\"]\nsteps = [\n\
         { goto = \"/dang-nhap\" },\n{ click = \"text=VNeID\" },\n\
         { fill = \"label=Mật khẩu\", secret = \"cd.password\" },\n\
         { fill = \"#ten\", value-env = \"KD_NAME\", timeout-ms = 900 },\n\
         { expect-url = \"https://*/idp/*\" },\n]\n",
    )
    .unwrap();
    let steps = &f[0].steps;
    assert_eq!(
        steps[0].action,
        Action::Goto {
            url: Url::parse("https://dvc.example.gov.vn/dang-nhap").unwrap()
        }
    );
    assert_eq!(
        steps[1].action,
        Action::Click {
            target: Selector::Text("VNeID".into())
        }
    );
    assert_eq!(steps[2].timeout_ms, DEFAULT_STEP_TIMEOUT_MS);
    assert_eq!(steps[3].timeout_ms, 900);
    assert_eq!(f[0].secret_vars(), ["KD_PASS", "KD_NAME"]);
    assert!(steps[2].action.describe().contains("$KD_PASS (secret)"));
}

#[test]
fn every_bad_step_is_reported_at_its_line_and_key() {
    let p = problems(
        "[[flows]]\nname = \"x\"\nrequirements = [\"PL1-3.3\", \"bad id\"]\nsteps = [\n\
         { goto = \"/\", click = \"a\" },\n\
         { fill = \"#a\" },\n\
         { click = \"a\", value = \"x\" },\n\
         { fill = \"#a\", secret = \"nobody.password\" },\n\
         { upload = \"#f\", file = \"missing.pdf\" },\n\
         { screenshot = \"a b\" },\n\
         {},\n]\n",
    );
    let all = p.join("\n");
    assert!(all.contains("`bad id` is not a requirement id"), "{all}");
    assert!(
        all.contains("s.toml:10:1: key `flows[0].steps[0]`"),
        "{all}"
    );
    assert!(all.contains("`goto`, `click`"), "{all}");
    assert!(all.contains("`fill` needs `value`"), "{all}");
    assert!(all.contains("`value` does not go with `click`"), "{all}");
    assert!(all.contains("no account `nobody`"), "{all}");
    assert!(all.contains("missing.pdf"), "{all}");
    assert!(all.contains("screenshot name"), "{all}");
    assert!(all.contains("needs one action"), "{all}");
    assert_eq!(p.len(), 8, "{all}");
}

#[test]
fn selectors_parse_by_prefix() {
    assert_eq!(
        Selector::parse("#a > b").unwrap(),
        Selector::Css("#a > b".into())
    );
    assert_eq!(
        Selector::parse("label=Họ và tên").unwrap(),
        Selector::Label("Họ và tên".into())
    );
    assert_eq!(
        Selector::parse("a[href='x=y']").unwrap(),
        Selector::Css("a[href='x=y']".into())
    );
    assert!(Selector::parse("text=  ").is_err());
}

#[test]
fn url_globs_cross_slashes() {
    let g = glob("https://localhost*/idp/*").unwrap();
    assert!(g.is_match("https://localhost:8443/idp/authorize?x=1"));
    assert!(!g.is_match("http://localhost:8080/idp/authorize"));
}
