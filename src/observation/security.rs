//! What the security probe adds to the HTTP view: the policies a page's markup declares
//! (`<meta http-equiv>`, `<meta name=referrer>`, the `<script>` elements) and the one CORS
//! preflight of a run. The Observatory-compatible score (`judge::security::observatory`) and
//! the `cors` check read them.

use serde::{Deserialize, Serialize};

use super::Fetch;

/// Policies a page's markup declares, as MDN HTTP Observatory reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetaPolicies {
    /// `content` of each `<meta http-equiv="Content-Security-Policy">`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub csp: Vec<String>,
    /// `content` of the last `<meta name="referrer">`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// Every `<script>` element with a `src` attribute (at most 500), as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scripts: Vec<ScriptTag>,
    /// How many `<script>` elements the page has, inline ones included.
    #[serde(default)]
    pub script_elements: u32,
}

/// One `<script src>` element's attributes, as written in the markup.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScriptTag {
    /// The `src` attribute, not resolved (`/js/app.js`, `//cdn.example/x.js`).
    pub src: String,
    /// The `integrity` attribute, when present and not empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrity: Option<String>,
}

/// The one CORS preflight of a run: an `OPTIONS` request with an arbitrary `Origin`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CorsPreflight {
    /// The URL asked (the home page after its redirects).
    pub url: String,
    /// The `Origin` sent (an origin the portal cannot know).
    pub origin: String,
    /// The answer (status and headers; the body is not read).
    pub fetch: Fetch,
}
