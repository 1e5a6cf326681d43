//! Bilingual text: every string a report shows exists in Vietnamese (the default) and English.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Lang {
    /// Tiếng Việt (default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag (`vi`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// A string in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Text {
    /// Both languages at once.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The same language-neutral string (a URL, a number) in both languages.
    pub fn same(s: impl Into<String>) -> Self {
        let s = s.into();
        Self {
            vi: s.clone(),
            en: s,
        }
    }

    /// The string in one language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// Appends a language-neutral suffix to both languages.
    #[must_use]
    pub fn with(mut self, suffix: &str) -> Self {
        self.vi.push_str(suffix);
        self.en.push_str(suffix);
        self
    }

    /// Joins several texts with a separator.
    pub fn join(parts: &[Text], sep: &str) -> Self {
        Self {
            vi: parts
                .iter()
                .map(|t| t.vi.as_str())
                .collect::<Vec<_>>()
                .join(sep),
            en: parts
                .iter()
                .map(|t| t.en.as_str())
                .collect::<Vec<_>>()
                .join(sep),
        }
    }
}

/// Builds a [`Text`] from two `format!` strings: `tr!("… {x}", "… {x}")`.
macro_rules! tr {
    ($vi:expr, $en:expr $(,)?) => {
        $crate::text::Text::new(format!($vi), format!($en))
    };
    ($vi:expr, $en:expr, $($arg:expr),+ $(,)?) => {
        $crate::text::Text::new(format!($vi, $($arg),+), format!($en, $($arg),+))
    };
}

pub(crate) use tr;
