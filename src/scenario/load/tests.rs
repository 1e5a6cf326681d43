use crate::scenario::Scenario;
use crate::scenario::tests::{OK, src};

fn problems(extra: &str) -> Vec<String> {
    match Scenario::from_source(&src(&format!("{OK}{extra}"))) {
        Ok(_) => Vec::new(),
        Err(crate::error::Error::Invalid { problems, .. }) => problems
            .iter()
            .map(|p| format!("{} {}", p.key.clone().unwrap_or_default(), p.message))
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

#[test]
fn a_full_load_section_validates() {
    let s = Scenario::from_source(&src(&format!(
        "{OK}[load]\nusers = 60\nramp-up-s = 10\nduration-s = 30\nramp-down-s = 5\nthink-ms = 500\n\
         [load.authorization]\nby = \"Nguyễn Văn A\"\nreference = \"CV 1\"\nfrom = \"2026-11-01\"\nuntil = \"2026-12-31\"\n\
         [load.data]\nterm = [\"khai sinh\", \"đất đai\"]\n\
         [[load.journeys]]\nname = \"tra-cuu\"\ntransactional = true\nsteps = [\n  {{ path = \"/tim-kiem?q={{{{term}}}}\" }},\n  \
         {{ method = \"post\", path = \"/api/tra-cuu\", form = {{ ma = \"HS-{{{{user}}}}\" }}, expect-status = 200, capture = [{{ name = \"id\", json = \"/ma\" }}] }},\n  \
         {{ path = \"/ho-so/{{{{id}}}}\", think-ms = 0 }},\n]\n"
    )))
    .unwrap();
    let l = s.load.unwrap();
    assert_eq!(l.users, 60);
    assert_eq!(l.stages.len(), 3);
    assert_eq!(l.measured, vec![false, true, false]);
    assert_eq!(l.measured_s(), 30);
    assert_eq!(l.planned_s(), 45);
    let j = &l.journeys[0];
    assert_eq!(j.steps[1].method, "POST");
    assert_eq!(
        j.steps[0].url.prefix(),
        "https://dvc.example.gov.vn/tim-kiem?q="
    );
    assert!((l.active_share - 1.0 / 6.0).abs() < 1e-9);
}

#[test]
fn every_load_problem_is_reported_with_its_key() {
    let p = problems(
        "[load]\nusers = 0\nmode = \"open\"\n[[load.journeys]]\nname = \"a\"\nsteps = [\n  \
         { path = \"x\" },\n  { path = \"/{{nope}}\" },\n  { url = \"https://evil.example.com/\" },\n  \
         { path = \"/\", body = \"a\", form = { b = \"c\" } },\n  { path = \"/\", capture = [{ name = \"k\", regex = \"(\" }] },\n]\n",
    );
    let all = p.join("\n");
    for needle in [
        "load.users",
        "load.duration-s",
        "load.rate",
        "load.journeys[0].steps[0].path a path starts with `/`",
        "`{{nope}}` has no value",
        "load.journeys[0].steps[2].url",
        "not on the portal",
        "load.journeys[0].steps[3].body",
        "load.journeys[0].steps[4].capture[0].regex",
    ] {
        assert!(all.contains(needle), "missing {needle:?} in\n{all}");
    }
}

#[test]
fn stages_must_hold_the_target() {
    let p = problems(
        "[load]\nusers = 10\nstages = [{ users = 5, duration-s = 10 }, { users = 10, duration-s = 10 }]\n",
    );
    assert!(
        p.iter().any(|m| m.contains("no stage holds the target")),
        "{p:?}"
    );
    let s = Scenario::from_source(&src(&format!(
        "{OK}[load]\nusers = 10\nstages = [{{ users = 10, duration-s = 5 }}, {{ users = 10, duration-s = 20 }}, {{ users = 0, duration-s = 5 }}]\n"
    )))
    .unwrap();
    assert_eq!(s.load.unwrap().measured, vec![false, true, false]);
}

#[test]
fn an_authorization_needs_real_dates() {
    let p = problems(
        "[load]\nusers = 1\nduration-s = 1\n[load.authorization]\nby = \"\"\nreference = \"x\"\nfrom = \"2026-12-31\"\nuntil = \"hôm nay\"\n",
    );
    let all = p.join("\n");
    assert!(all.contains("load.authorization.by"), "{all}");
    assert!(
        all.contains("load.authorization.until `hôm nay` is not a date"),
        "{all}"
    );
}

#[test]
fn templates_parse_and_render() {
    use super::Template;
    let t = Template::parse("/a/{{x}}/b?{{ y }}").unwrap();
    assert_eq!(t.vars().collect::<Vec<_>>(), ["x", "y"]);
    let r = t
        .render(|v| Some(format!("<{v}>")), str::to_uppercase)
        .unwrap();
    assert_eq!(r, "/a/<X>/b?<Y>");
    assert!(t.render(|_| None, str::to_string).is_err());
    assert!(Template::parse("/{{x").is_err());
    assert!(Template::parse("/{{a b}}").is_err());
}
