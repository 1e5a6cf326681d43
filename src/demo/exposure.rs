//! The reference portal's exposure defects (SEC-7, SEC-8, SEC-9): `dir-listing` (every folder
//! the themes' assets live in answers with an nginx-style autoindex page), `git-exposed`
//! (`/.git/HEAD` and `/.git/config` served as files). `no-security-txt` is in the
//! `security.txt` route. Without the defects these paths get the site's 404 page.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::content::HERO_PATH;
use super::layout::{DIV_TABLE_EMBLEM, LIFERAY_EMBLEM};
use super::routes::St;

/// Every file the themes load from the portal's own folders (the listing shows them).
fn asset_files() -> [&'static str; 8] {
    [
        "/static/site.css",
        "/static/quoc-huy.svg",
        HERO_PATH,
        LIFERAY_EMBLEM,
        DIV_TABLE_EMBLEM,
        "/o/mau-theme/css/main.css",
        "/o/mau-theme/js/emc.js",
        "/Portals/_default/Skins/Mau/skin.css",
    ]
}

/// An nginx `autoindex on;` page for a folder that holds assets.
fn listing(folder: &str) -> Option<Response> {
    let files: Vec<&str> = asset_files()
        .into_iter()
        .filter_map(|f| f.strip_prefix(folder))
        .filter(|rest| !rest.contains('/'))
        .collect();
    if files.is_empty() {
        return None;
    }
    let rows: String = files
        .iter()
        .map(|f| {
            format!(
                "<a href=\"{f}\">{f}</a>{}30-Nov-2026 08:00    1024\n",
                " ".repeat(50usize.saturating_sub(f.len()))
            )
        })
        .collect();
    let html = format!(
        "<html>\r\n<head><title>Index of {folder}</title></head>\r\n<body>\r\n<h1>Index of {folder}</h1><hr><pre><a href=\"../\">../</a>\n{rows}</pre><hr></body>\r\n</html>\r\n"
    );
    Some(([(header::CONTENT_TYPE, "text/html")], html).into_response())
}

/// What a defect serves at `path`, if anything (called before the 404 page).
pub(super) fn answer(st: &St, path: &str) -> Option<Response> {
    if st.defects.has("git-exposed") {
        let body = match path {
            "/.git/HEAD" => Some("ref: refs/heads/main\n"),
            "/.git/config" => Some(
                "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n[remote \"origin\"]\n\turl = git@git.mau.gov.vn:dvc/cong-dich-vu-cong.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
            ),
            _ => None,
        };
        if let Some(b) = body {
            return Some(([(header::CONTENT_TYPE, "text/plain")], b).into_response());
        }
    }
    if st.defects.has("dir-listing") && path.ends_with('/') && path != "/" {
        return listing(path);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tests::{get, state, themes};

    #[tokio::test]
    async fn listings_and_git_files_only_with_their_defects() {
        for theme in themes() {
            let clean = state(theme, &[]);
            for path in [
                "/static/",
                "/.git/HEAD",
                "/.git/config",
                "/o/mau-theme/css/",
            ] {
                assert_eq!(get(&clean, path).await.0, 404, "{theme:?} {path}");
            }
            let st = state(theme, &["dir-listing", "git-exposed"]);
            let (s, body) = get(&st, "/static/").await;
            assert_eq!(s, 200);
            assert!(
                body.contains("<title>Index of /static/</title>") && body.contains("site.css"),
                "{body}"
            );
            assert_eq!(
                get(&st, "/khong-co/").await.0,
                404,
                "a folder without assets"
            );
            let (s, head) = get(&st, "/.git/HEAD").await;
            assert_eq!((s, head.as_str()), (200, "ref: refs/heads/main\n"));
            assert!(get(&st, "/.git/config").await.1.starts_with("[core]"));
        }
    }
}
