//! Procedure catalogues: the evaluator's DVCQG export (CSV or JSON) and the comparison keys.
//!
//! A CSV export needs a header row; the columns are recognised by name (`code`/`mã thủ tục`,
//! `name`/`tên thủ tục`, `level`/`mức độ`). A JSON export is an array of objects with the same
//! keys, or an object with such an array under `procedures`.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::observation::{CatalogueEntry, CatalogueExport};

const CODE: &[&str] = &["code", "ma", "mã", "mã thủ tục", "ma_thu_tuc", "ma-thu-tuc"];
const NAME: &[&str] = &[
    "name",
    "ten",
    "tên",
    "tên thủ tục",
    "ten_thu_tuc",
    "ten-thu-tuc",
];
const LEVEL: &[&str] = &["level", "muc_do", "muc-do", "mức độ", "mức độ dvc"];
const FIELD: &[&str] = &["field", "linh_vuc", "linh-vuc", "lĩnh vực"];
const AGENCY: &[&str] = &[
    "agency",
    "co_quan",
    "co-quan",
    "cơ quan",
    "cơ quan thực hiện",
];

fn column(headers: &[String], names: &[&str]) -> Option<usize> {
    headers
        .iter()
        .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
}

/// Reads and parses an export; the error names the line and what is wrong.
pub fn load_export(path: &Path) -> Result<CatalogueExport, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if bytes.is_empty() {
        return Err(format!("`{}` is empty", path.display()));
    }
    let text = String::from_utf8(bytes.clone())
        .map_err(|_| format!("`{}` is not UTF-8", path.display()))?;
    let text = text.trim_start_matches('\u{feff}');
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with(['[', '{']);
    let entries = if is_json {
        parse_json(text)
    } else {
        parse_csv(text)
    }
    .map_err(|m| format!("`{}`: {m}", path.display()))?;
    if entries.is_empty() {
        return Err(format!("`{}` lists no procedure", path.display()));
    }
    Ok(CatalogueExport {
        file: path.display().to_string(),
        sha256: hex(&Sha256::digest(&bytes)),
        entries,
    })
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Parses a CSV export with a header row.
pub fn parse_csv(text: &str) -> Result<Vec<CatalogueEntry>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| format!("line 1: {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    let (Some(code), Some(name)) = (column(&headers, CODE), column(&headers, NAME)) else {
        return Err(format!(
            "line 1: the header needs a `code` and a `name` column (found: {})",
            headers.join(", ")
        ));
    };
    let level = column(&headers, LEVEL);
    let field = column(&headers, FIELD);
    let agency = column(&headers, AGENCY);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| match e.position() {
            Some(p) => format!("line {}: {e}", p.line()),
            None => e.to_string(),
        })?;
        let line = rec.position().map_or(0, csv::Position::line);
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        let entry = CatalogueEntry {
            code: get(code),
            name: get(name),
            level: level.map(get).filter(|l| !l.is_empty()),
            field: field.map(get).filter(|l| !l.is_empty()),
            agency: agency.map(get).filter(|l| !l.is_empty()),
        };
        if entry.code.is_empty() {
            return Err(format!("line {line}: empty procedure code"));
        }
        out.push(entry);
    }
    Ok(out)
}

/// Parses a JSON export.
pub fn parse_json(text: &str) -> Result<Vec<CatalogueEntry>, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("line {}: {e}", e.line()))?;
    let items = match &v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => o
            .get("procedures")
            .and_then(|p| p.as_array())
            .ok_or("expected an array, or an object with a `procedures` array")?,
        _ => return Err("expected an array of procedures".into()),
    };
    let field = |o: &serde_json::Map<String, serde_json::Value>, names: &[&str]| {
        o.iter()
            .find(|(k, _)| names.contains(&k.to_lowercase().as_str()))
            .and_then(|(_, v)| match v {
                serde_json::Value::String(s) => Some(s.trim().to_string()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let o = item
                .as_object()
                .ok_or_else(|| format!("procedure #{}: expected an object", i + 1))?;
            let code = field(o, CODE)
                .filter(|c| !c.is_empty())
                .ok_or_else(|| format!("procedure #{}: no `code`", i + 1))?;
            Ok(CatalogueEntry {
                code,
                name: field(o, NAME).unwrap_or_default(),
                level: field(o, LEVEL).filter(|l| !l.is_empty()),
                field: field(o, FIELD).filter(|l| !l.is_empty()),
                agency: field(o, AGENCY).filter(|l| !l.is_empty()),
            })
        })
        .collect()
}

/// Comparison key: lowercase, whitespace collapsed, trailing punctuation dropped, Unicode form
/// and tone-mark placement ignored (`Uỷ ban` = `Ủy ban`; see [`crate::unicode::tone_key`]).
pub fn key(s: &str) -> String {
    crate::unicode::tone_key(s.trim().trim_end_matches(['.', ';', ',']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_columns_are_found_by_vietnamese_names() {
        let e = parse_csv(
            "Mã thủ tục,Tên thủ tục,Mức độ,Lĩnh vực,Cơ quan thực hiện\n1.0001,Đăng ký khai sinh,Toàn trình,Hộ tịch,UBND cấp xã\n",
        )
        .unwrap();
        assert_eq!(e[0].code, "1.0001");
        assert_eq!(e[0].level.as_deref(), Some("Toàn trình"));
        assert_eq!(e[0].field.as_deref(), Some("Hộ tịch"));
        assert_eq!(e[0].agency.as_deref(), Some("UBND cấp xã"));
    }

    #[test]
    fn csv_errors_name_the_line() {
        let err = parse_csv("code,name\n1,a\n2,b,c\n").unwrap_err();
        assert!(err.starts_with("line 3"), "{err}");
        let err = parse_csv("id,title\n1,a\n").unwrap_err();
        assert!(err.contains("`code`"), "{err}");
    }

    #[test]
    fn json_export_accepts_an_object_with_procedures() {
        let e =
            parse_json(r#"{"procedures":[{"code":"1.2","name":"A","level":"Một phần"}]}"#).unwrap();
        assert_eq!(e.len(), 1);
        assert!(
            parse_json(r#"[{"name":"A"}]"#)
                .unwrap_err()
                .contains("no `code`")
        );
    }
}
