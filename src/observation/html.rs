//! Facts extracted from one HTML document — regions, links, menus, forms, rows, resources,
//! EMC snippets — the same whether the HTTP probe read the response or the browser probe read
//! the rendered DOM.

use serde::{Deserialize, Serialize};

/// How a page region was located, in the order the rules are tried: landmark element, ARIA
/// role, vendor id/class convention, then position among the top-level blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FoundBy {
    /// A landmark element (`<header>`, `<main>`, `<footer>`); observations before the `role`
    /// rule existed also used it for ARIA roles.
    Landmark,
    /// An ARIA role (`banner`, `main`, `contentinfo`).
    Role,
    /// A theme's id/class convention (`#banner`, `section#content`, `div.footer`); the
    /// region's `selector` names it.
    Convention,
    /// The first top-level block of the body's main wrapper.
    FirstBlock,
    /// The blocks between the header and the footer.
    MiddleBlocks,
    /// The last top-level block.
    LastBlock,
}

/// A link: absolute target without fragment, and its normalised text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Link {
    /// Absolute URL.
    pub href: String,
    /// Normalised visible text (or `aria-label`/`title`/image `alt`).
    pub text: String,
}

/// A page region's fingerprint: what a visitor sees, ignoring markup and active-menu markers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Region {
    /// How it was found.
    pub found_by: FoundBy,
    /// Normalised visible text.
    pub text: String,
    /// Links in order.
    pub links: Vec<Link>,
    /// Image sources (`img`, `svg` as `svg`), in order.
    pub images: Vec<String>,
    /// The rule's selector or the element matched (`#banner`, `header`, `[role=main]`,
    /// `div#wrapper > div.top`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// Each image with what identifies it (PL3-4); `None` in observations that predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_facts: Option<Vec<Image>>,
}

/// An image of a region and what identifies it: alt, file name, declared size, and the text
/// next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Image {
    /// Absolute source URL (`svg` for inline SVG, `img` when there is no usable `src`).
    pub src: String,
    /// Normalised `alt` (or the SVG's `<title>` / `aria-label`), `title`, `class` and `id`.
    pub alt: String,
    /// Declared `width` in CSS pixels, when given as a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Declared `height` in CSS pixels, when given as a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Normalised visible text of the image's nearest ancestor with text of its own (capped):
    /// what a visitor reads next to it.
    pub context: String,
}

/// A candidate main menu: a list of links (`<nav>`, `ul.nav`, `.menu-bar ul`, a row of links
/// in a `#menu` cell). The menu judge picks among them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Menu {
    /// The element, as `tag#id.class` with its nearest identified ancestor
    /// (`div#navigation ul.nav`).
    pub selector: String,
    /// Whether it lies inside the header region.
    pub in_header: bool,
    /// How many links of the page come before its first link (0 = the first links on the page).
    pub links_before: u32,
    /// Its links in order (nested sub-menus included).
    pub links: Vec<MenuLink>,
}

/// A link of a candidate menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MenuLink {
    /// Absolute URL.
    pub href: String,
    /// Normalised text (visible text, else `aria-label`/`title`/image `alt`).
    pub text: String,
    /// Whether the link shows only an image (an emblem or a logo linking home).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub image_only: bool,
    /// Whether it sits in a nested list (a sub-menu item).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nested: bool,
}

/// Which same-host script files of a page the HTTP probe read for the EMC embed (PL6-1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScriptsRead {
    /// Same-host `<script src>` files read (their EMC snippets are in `emc`, with `source`).
    pub read: Vec<String>,
    /// Same-host script files not read, with why (over the per-run bound, HTTP status, …).
    pub unread: Vec<(String, String)>,
    /// Same-host copies of well-known libraries (jQuery, Bootstrap, …), not read: they are
    /// vendored code, never where a portal puts its EMC embed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub libraries: Vec<String>,
}

/// An EMC embed snippet found in an inline script or a same-host script file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EmcSnippet {
    /// Queue variable names pushed to (`_govaq`).
    pub queues: Vec<String>,
    /// `setTrackerUrl` argument.
    pub tracker_url: Option<String>,
    /// `setSiteId` argument.
    pub site_id: Option<String>,
    /// The tracker script URL loaded.
    pub script_url: Option<String>,
    /// `trackDVC` service code, on service pages.
    pub service_code: Option<String>,
    /// The same-host script file it was read from; `None` when inline in the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Facts extracted from one HTML document.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HtmlFacts {
    /// `<title>` text.
    pub title: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
    /// Declared charset (`<meta charset>` or `http-equiv`).
    pub meta_charset: Option<String>,
    /// Header region.
    pub header: Option<Region>,
    /// Main region.
    pub main: Option<Region>,
    /// Footer region.
    pub footer: Option<Region>,
    /// Every link on the page (deduplicated by target and text), in order.
    pub links: Vec<Link>,
    /// Texts of headings, `dt`, `th`, `label`, `strong` (field labels).
    pub labels: Vec<String>,
    /// Normalised visible text of the body (capped).
    pub text: String,
    /// E-mail addresses shown (text and `mailto:`).
    pub emails: Vec<String>,
    /// EMC snippets.
    pub emc: Vec<EmcSnippet>,
    /// Label/value pairs shown as `<dt>`/`<dd>` or as table rows with a header cell.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// Forms on the page.
    #[serde(default)]
    pub forms: Vec<Form>,
    /// Sub-resources the markup loads (scripts, stylesheets, images, frames, media).
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Entries of the content: table rows, and list items or item blocks outside the menus,
    /// header and footer (a catalogue's procedures, a statistics table's lines).
    #[serde(default)]
    pub rows: Vec<Row>,
    /// Candidate main menus in document order; `None` in observations that predate them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub menus: Option<Vec<Menu>>,
    /// Same-host script files read for the EMC embed; `None` when none were looked at (older
    /// observations, or facts extracted without the HTTP probe).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scripts: Option<ScriptsRead>,
    /// Policies the markup declares (`<meta>` CSP and referrer, `<script>` elements) for the
    /// Observatory-compatible score; `None` in older observations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<super::MetaPolicies>,
}

/// One entry of a page's content, as a visitor reads it: a table row with its column headers,
/// or a list item / item block as one cell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Row {
    /// Header of each cell's column, when its table has a header row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
    /// Normalised text of each cell (one cell for a list item or block).
    pub cells: Vec<String>,
    /// Absolute targets of the links in the row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
}

/// A sub-resource referenced by the markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Resource {
    /// Element (`script`, `stylesheet`, `img`, `iframe`, `media`).
    pub kind: String,
    /// Absolute URL.
    pub url: String,
    /// Whether it carries a Subresource Integrity `integrity` attribute.
    pub integrity: bool,
}

/// A label and the value shown next to it (`<dt>`/`<dd>`, `<th>`/`<td>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Field {
    /// Normalised label text.
    pub label: String,
    /// Normalised value text (capped).
    pub value: String,
}

/// A `<form>`: where it goes and what it asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Form {
    /// Absolute `action` (the page itself when absent).
    pub action: String,
    /// `get` or `post`.
    pub method: String,
    /// Inputs, selects and textareas.
    pub inputs: Vec<FormInput>,
}

/// One form control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FormInput {
    /// `type` of an input (`text`, `radio`, `file`, …) or of a `<button>` (`submit` unless it
    /// says otherwise), or `select` / `textarea`.
    pub kind: String,
    /// `name`, when present.
    pub name: Option<String>,
    /// Option values of a `select`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}
