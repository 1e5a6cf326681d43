//! Tests of the parent module.

use super::Check;

#[test]
fn describe_shows_every_key_with_its_default() {
    let c: Check = toml::from_str("kind = \"statistics-sane\"").unwrap();
    let d = c.describe();
    assert!(d.starts_with("statistics-sane: "), "{d}");
    for key in [
        "min-figures = 3",
        "label-window = 40",
        "at-most = [\"received\"]",
    ] {
        assert!(d.contains(key), "{key} in {d}");
    }
    let c: Check = toml::from_str("kind = \"https-redirect\"").unwrap();
    assert_eq!(c.describe(), "https-redirect");
}

#[test]
fn at_most_must_name_a_figure() {
    let c: Check = toml::from_str(
        "kind = \"statistics-sane\"\nfigures = [{ name = \"a\", synonyms = [\"a\"], at-most = [\"b\"] }]",
    )
    .unwrap();
    assert_eq!(c.problems().len(), 1, "{:?}", c.problems());
}
