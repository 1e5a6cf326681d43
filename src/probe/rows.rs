//! Content rows of an HTML page: each table row under its table's header row, and each list
//! item or item block (`li`, `article`, `.item`, `.card`, `.stat…`) outside the menus, header
//! and footer. A catalogue's procedures and a statistics table's lines are read from these, so a
//! judge can ask what one entry says rather than what the whole page says.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::html::{resolve, text_of};
use crate::observation::Row;

/// Most rows kept per page, and the longest cell kept (characters).
const MAX_ROWS: usize = 1_000;
const MAX_CELL: usize = 400;

static TABLE: LazyLock<Selector> = LazyLock::new(|| Selector::parse("table").expect("static"));
static TR: LazyLock<Selector> = LazyLock::new(|| Selector::parse("tr").expect("static"));
static ANCHOR: LazyLock<Selector> = LazyLock::new(|| Selector::parse("a[href]").expect("static"));
static BLOCK: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("table, ul, ol, h1, h2, h3, h4, form, section, article, nav").expect("static")
});
static ITEM: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse("li, article, [class*=item], [class*=card], [class*=stat], [class*=count]")
        .expect("static")
});

/// Class or id words of the page chrome, whose entries are not content.
const CHROME: &[&str] = &["menu", "nav", "header", "footer", "breadcrumb", "topbar"];

fn cap(s: String) -> String {
    if s.chars().count() <= MAX_CELL {
        s
    } else {
        s.chars().take(MAX_CELL).collect()
    }
}

fn links(el: ElementRef<'_>, base: &Url) -> Vec<String> {
    let mut out: Vec<String> = el
        .select(&ANCHOR)
        .filter_map(|a| resolve(base, a.value().attr("href")?))
        .map(|mut u| {
            u.set_fragment(None);
            u.to_string()
        })
        .collect();
    out.dedup();
    out
}

fn nearest_table(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "table")
}

fn cells(tr: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    tr.children()
        .filter_map(ElementRef::wrap)
        .filter(|c| matches!(c.value().name(), "td" | "th"))
        .collect()
}

/// Whether a table lays out the page rather than holding data: one of its own cells holds
/// block structure (a nested table, a list, a heading, a form, a section) — the div-table and
/// DNN themes put the whole page in one. Its rows are not entries; what is inside them may be.
fn is_layout_table(table: ElementRef<'_>) -> bool {
    table.select(&TR).any(|tr| {
        nearest_table(tr).is_some_and(|t| t.id() == table.id())
            && cells(tr).iter().any(|c| c.select(&BLOCK).next().is_some())
    })
}

/// Whether an element is (inside) a menu, the header, the footer or a breadcrumb, or a data
/// table (whose rows are read as rows already).
fn in_chrome(el: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .any(|a| {
            let v = a.value();
            matches!(v.name(), "nav" | "header" | "footer")
                || (v.name() == "table" && !is_layout_table(a))
                || v.attr("role").is_some_and(|r| {
                    matches!(
                        r,
                        "navigation" | "banner" | "contentinfo" | "menu" | "menubar"
                    )
                })
                || v.id().into_iter().chain(v.classes()).any(|w| {
                    let w = w.to_ascii_lowercase();
                    CHROME.iter().any(|c| w.contains(c))
                })
        })
}

/// The content rows of a document, tables first.
pub fn extract(doc: &Html, base: &Url) -> Vec<Row> {
    let mut out = Vec::new();
    for table in doc.select(&TABLE).filter(|t| !is_layout_table(*t)) {
        let rows: Vec<ElementRef<'_>> = table
            .select(&TR)
            .filter(|tr| nearest_table(*tr).is_some_and(|t| t.id() == table.id()))
            .collect();
        let header: Vec<String> = rows
            .iter()
            .map(|tr| cells(*tr))
            .find(|c| !c.is_empty() && c.iter().all(|c| c.value().name() == "th"))
            .map(|c| c.into_iter().map(|c| cap(text_of(c))).collect())
            .unwrap_or_default();
        for tr in rows {
            let c = cells(tr);
            if !c.iter().any(|c| c.value().name() == "td") {
                continue;
            }
            out.push(Row {
                headers: if header.len() == c.len() {
                    header.clone()
                } else {
                    Vec::new()
                },
                cells: c.into_iter().map(|c| cap(text_of(c))).collect(),
                links: links(tr, base),
            });
        }
    }
    let items: Vec<ElementRef<'_>> = doc.select(&ITEM).collect();
    for el in &items {
        // Innermost entries only: a list item holding a nested list is a group, not an entry.
        let inner = el
            .descendants()
            .skip(1)
            .filter_map(ElementRef::wrap)
            .any(|d| ITEM.matches(&d));
        if inner || in_chrome(*el) {
            continue;
        }
        let text = text_of(*el);
        if text.is_empty() {
            continue;
        }
        out.push(Row {
            headers: Vec::new(),
            cells: vec![cap(text)],
            links: links(*el, base),
        });
    }
    out.truncate(MAX_ROWS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(html: &str) -> Vec<Row> {
        extract(
            &Html::parse_document(html),
            &Url::parse("https://dvc.example.gov.vn/").unwrap(),
        )
    }

    #[test]
    fn table_rows_carry_their_column_headers_and_links() {
        let r = rows(
            "<table><thead><tr><th>Mã</th><th>Tên thủ tục</th><th>Mức độ</th></tr></thead><tbody>\
             <tr><td>1.001</td><td><a href=/thu-tuc/1>Đăng ký khai sinh</a></td><td>Toàn trình</td></tr></tbody></table>",
        );
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].headers, ["Mã", "Tên thủ tục", "Mức độ"]);
        assert_eq!(r[0].cells[2], "Toàn trình");
        assert_eq!(r[0].links, ["https://dvc.example.gov.vn/thu-tuc/1"]);
    }

    #[test]
    fn menu_items_are_chrome_and_item_blocks_are_entries() {
        let r = rows(
            "<div id=main-menu><ul><li><a href=/>Trang chủ</a></li></ul></div>\
             <nav><ul><li>Giới thiệu</li></ul></nav>\
             <div class=stat-item><b>128.450</b> hồ sơ tiếp nhận</div>\
             <ol><li>Bước một<ul><li>Chi tiết</li></ul></li></ol>",
        );
        let texts: Vec<&str> = r.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(texts, ["128.450 hồ sơ tiếp nhận", "Chi tiết"]);
    }

    #[test]
    fn a_layout_table_is_not_data_but_its_lists_are_entries() {
        let r = rows(
            "<table class=layout><tr><td><img alt='Quốc huy'> Cổng Dịch vụ công</td></tr>             <tr><td><h2>Hướng dẫn</h2><ul><li>Hướng dẫn nộp hồ sơ</li><li>Hướng dẫn thanh toán</li></ul>             <table><tr><th>Tiếp nhận</th><td>120</td></tr></table></td></tr></table>",
        );
        let texts: Vec<String> = r.iter().map(|r| r.cells.join(" | ")).collect();
        assert_eq!(
            texts,
            [
                "Tiếp nhận | 120",
                "Hướng dẫn nộp hồ sơ",
                "Hướng dẫn thanh toán"
            ]
        );
    }
}
