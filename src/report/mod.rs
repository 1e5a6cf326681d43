//! Reports: one view model ([`view`]) rendered to HTML, JSON, `JUnit` XML and Markdown. Templates
//! live in `reports/` and are compiled into the binary; those named `*.html`/`*.xml` are
//! auto-escaped, so portal-supplied text (titles, headers, error messages) cannot inject markup.

pub mod accessibility;
pub mod actions;
pub mod availability;
pub mod baseline;
pub mod browser;
pub mod console;
pub mod cover;
pub mod flows;
pub mod json;
pub mod labels;
pub mod load;
pub mod notes;
pub mod pdf;
pub mod sarif;
pub mod security;
pub mod svg;
pub mod view;

use std::path::Path;
use std::sync::LazyLock;

use crate::error::Error;
use crate::evaluation::Evaluation;
use crate::text::Lang;

/// A report format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `report.html`.
    Html,
    /// `evaluation.json`.
    Json,
    /// `junit.xml`.
    Junit,
    /// `summary.md`.
    Md,
    /// `report.pdf`: `report.html` printed by headless Chromium ([`pdf`]). Not a default: ask
    /// for it; without Chromium it is a usage error before the portal is touched.
    Pdf,
    /// `report.sarif`: the security findings as SARIF 2.1.0 ([`sarif`]).
    Sarif,
}

impl Format {
    /// The file each format is written to in the output directory.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Html => "report.html",
            Format::Json => "evaluation.json",
            Format::Junit => "junit.xml",
            Format::Md => "summary.md",
            Format::Pdf => "report.pdf",
            Format::Sarif => "report.sarif",
        }
    }
}

const TEMPLATES: &[(&str, &str)] = &[
    ("report.html", include_str!("../../reports/report.html")),
    ("junit.xml", include_str!("../../reports/junit.xml")),
    ("summary.md", include_str!("../../reports/summary.md")),
    ("load.html", include_str!("../../reports/load.html")),
    ("load.md", include_str!("../../reports/load.md")),
    (
        "availability.html",
        include_str!("../../reports/availability.html"),
    ),
    (
        "availability.md",
        include_str!("../../reports/availability.md"),
    ),
    ("campaign.html", include_str!("../../reports/campaign.html")),
    ("security.html", include_str!("../../reports/security.html")),
];
const CSS: &str = include_str!("../../reports/report.css");

/// Escapes text for a Markdown table cell: no markup, no pipes, no line breaks.
pub fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' => out.push('\''),
            '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

static TERA: LazyLock<tera::Tera> = LazyLock::new(|| {
    let mut t = tera::Tera::new();
    t.register_filter("md", |s: &str, _: tera::Kwargs, _: &tera::State| {
        escape_md(s)
    });
    // A compact summary clips long cells (what was expected and observed).
    t.register_filter("md_short", |s: &str, _: tera::Kwargs, _: &tera::State| {
        const MAX: usize = 160;
        if s.chars().count() <= MAX {
            escape_md(s)
        } else {
            let clipped: String = s.chars().take(MAX).collect();
            format!("{}…", escape_md(&clipped))
        }
    });
    t.add_raw_templates(TEMPLATES.iter().copied())
        .expect("shipped templates parse");
    t
});

fn render_template(name: &str, view: &view::View) -> Result<String, Error> {
    render_with(name, view, false)
}

/// Renders with `compact` set for templates that can leave their long tables out.
fn render_with(name: &str, view: &view::View, compact: bool) -> Result<String, Error> {
    let err = |e: tera::Error| Error::Render {
        name: name.to_string(),
        message: e.to_string(),
    };
    let mut ctx = tera::Context::from_serialize(view).map_err(err)?;
    ctx.insert("css", CSS);
    ctx.insert("compact", &compact);
    TERA.render(name, &ctx).map_err(err)
}

/// The most `summary.md` may weigh: a GitHub pull-request comment takes 65 536 characters (a
/// GitLab note 1 000 000, a GitHub job summary 1 MiB), with room for a bot's own header.
pub const SUMMARY_MAX_CHARS: usize = 60_000;

/// Renders a compiled-in template with a context of its own (the campaign's index page).
pub fn render_context(name: &str, ctx: &tera::Context) -> Result<String, Error> {
    TERA.render(name, ctx).map_err(|e| Error::Render {
        name: name.to_string(),
        message: e.to_string(),
    })
}

/// Renders `report.html`.
pub fn html(e: &Evaluation, lang: Lang) -> Result<String, Error> {
    html_with_rank(e, lang, None)
}

/// Renders `report.html` with the portal's rank on the cover (from a ranking).
pub fn html_with_rank(
    e: &Evaluation,
    lang: Lang,
    rank: Option<cover::RankView>,
) -> Result<String, Error> {
    let mut v = view::build(e, lang);
    v.rank = rank;
    render_template("report.html", &v)
}

/// Renders `junit.xml`: one test suite per category, one test case per requirement.
///
/// ```xml
/// <testsuites name="kiemdinh" tests="41" failures="1" errors="0" skipped="16">
///   <testsuite name="tt21-2023.security" tests="8" failures="1" errors="0" skipped="1">
///     <testcase classname="tt21-2023.security" name="SEC-2 Tiêu đề bảo mật">
///       <failure message="…">expected: … observed: …</failure>
///     </testcase>
///   </testsuite>
/// </testsuites>
/// ```
pub fn junit(e: &Evaluation, lang: Lang) -> Result<String, Error> {
    render_template("junit.xml", &view::build(e, lang))
}

/// Renders `summary.md` (for CI job summaries and merge-request comments). When it would not
/// fit a pull-request comment ([`SUMMARY_MAX_CHARS`]) the long tables (every requirement, the
/// rendered-page disagreements) are left out with a pointer to `report.html`.
pub fn markdown(e: &Evaluation, lang: Lang) -> Result<String, Error> {
    let view = view::build(e, lang);
    let full = render_with("summary.md", &view, false)?;
    if full.chars().count() <= SUMMARY_MAX_CHARS {
        return Ok(full);
    }
    render_with("summary.md", &view, true)
}

/// Renders one format. For [`Format::Pdf`] it is the HTML that is printed (the PDF itself is
/// made by [`write_all`]).
pub fn render(e: &Evaluation, format: Format, lang: Lang) -> Result<String, Error> {
    match format {
        Format::Html | Format::Pdf => html(e, lang),
        Format::Json => Ok(json::render(e, lang)),
        Format::Junit => junit(e, lang),
        Format::Md => markdown(e, lang),
        Format::Sarif => Ok(sarif::render(e, lang)),
    }
}

/// Writes `text` to `dir/name` under a temporary name (`.NAME.tmp`) renamed into place, so a
/// crash never leaves a half-written file; every output kiemdinh writes goes through it. The
/// text passes through the process's redactor first ([`crate::redact`]): no token parameter
/// or credential of the run is ever written.
pub fn write_atomic(dir: &Path, name: &str, text: &str) -> Result<std::path::PathBuf, Error> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    fs_err::write(&tmp, crate::redact::text(text))?;
    fs_err::rename(&tmp, &path)?;
    Ok(path)
}

/// Writes the requested formats into `out`. Each file is written under a temporary name and
/// renamed, so a crash never leaves a half-written report.
///
/// `evaluation.json` goes first (it is what `rejudge` reads), `report.pdf` last (it is printed
/// from `report.html`, or from a temporary copy of it in `out` when HTML was not asked for, so
/// relative links to evidence resolve), and one format that fails does not stop the others; the
/// first error is returned after all were tried.
pub fn write_all(e: &Evaluation, out: &Path, formats: &[Format], lang: Lang) -> Result<(), Error> {
    write_all_ranked(e, out, formats, lang, None)
}

/// As [`write_all`], with the portal's place in a ranking on the cover of `report.html` and
/// `report.pdf` (`rejudge --ranking`).
pub fn write_all_ranked(
    e: &Evaluation,
    out: &Path,
    formats: &[Format],
    lang: Lang,
    rank: Option<&cover::RankView>,
) -> Result<(), Error> {
    let mut ordered: Vec<Format> = Vec::new();
    for f in formats {
        if !ordered.contains(f) {
            ordered.push(*f);
        }
    }
    ordered.sort_by_key(|f| (*f != Format::Json, *f == Format::Pdf));
    let mut first_error = None;
    for f in ordered {
        if f == Format::Pdf {
            if let Err(err) = write_pdf(e, out, formats.contains(&Format::Html), lang, rank) {
                first_error.get_or_insert(err);
            }
            continue;
        }
        let rendered = match f {
            Format::Html => html_with_rank(e, lang, rank.cloned()),
            _ => render(e, f, lang),
        };
        let written = rendered.and_then(|text| write_atomic(out, f.file_name(), &text));
        if let Err(err) = written {
            first_error.get_or_insert(err);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Prints `report.pdf` from `report.html` (already written) or from a temporary copy.
fn write_pdf(
    e: &Evaluation,
    out: &Path,
    html_written: bool,
    lang: Lang,
    rank: Option<&cover::RankView>,
) -> Result<(), Error> {
    let pdf = out.join(Format::Pdf.file_name());
    if html_written && out.join(Format::Html.file_name()).is_file() {
        return pdf::print_pdf(&out.join(Format::Html.file_name()), &pdf);
    }
    let tmp = out.join(".report-print.html");
    fs_err::write(
        &tmp,
        crate::redact::text(&html_with_rank(e, lang, rank.cloned())?),
    )?;
    let printed = pdf::print_pdf(&tmp, &pdf);
    let _ = fs_err::remove_file(&tmp);
    printed
}

#[cfg(test)]
mod tests;
