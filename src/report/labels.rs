//! The interface strings of every report, in both languages, from `reports/labels.toml`
//! (compiled into the binary). Templates read them as `t.<key>`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::text::{Lang, Text};

static LABELS: LazyLock<BTreeMap<String, Text>> = LazyLock::new(|| {
    toml::from_str(include_str!("../../reports/labels.toml")).expect("shipped labels parse")
});

/// Every label in one language, as the templates' `t` map.
pub fn all(lang: Lang) -> serde_json::Map<String, serde_json::Value> {
    LABELS
        .iter()
        .map(|(k, t)| {
            (
                k.clone(),
                serde_json::Value::String(t.get(lang).to_string()),
            )
        })
        .collect()
}

/// One label in both languages; an unknown key is a bug caught by the tests.
pub fn get(key: &str) -> Text {
    LABELS.get(key).cloned().unwrap_or_else(|| Text::same(key))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_label_has_both_languages() {
        for (k, t) in super::LABELS.iter() {
            assert!(!t.vi.is_empty() && !t.en.is_empty(), "label `{k}`");
        }
        assert!(super::all(crate::text::Lang::En).contains_key("provisional_headline"));
    }
}
