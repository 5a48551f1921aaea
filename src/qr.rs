//! The QR payload of an electronic certificate (`docs/qr-payload.md`, version 1): what it
//! says about the case, how it is split into at most [`MAX_CODES`] codes and read back, and
//! the module matrix of one code (the `qrcode` crate, error correction M).

use std::collections::BTreeMap;

use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::input::{Node, NodeValue};
use crate::validate::{Case, Value};

/// The first line of a payload: its format and version.
pub const VERSION: &str = "anyqtama-qr/1";
/// The first word of every code: the format of a part.
pub const PART_MAGIC: &str = "AQ1";
/// At most this many codes in the footer row, as the eGov footer has.
pub const MAX_CODES: usize = 7;
/// At most this many bytes of the payload in one code, so that a code (version 9 or less at
/// error correction M) stays narrow enough for a seventh of the footer row.
pub const CHUNK_BYTES: usize = 120;
/// The namespace of derived document identifiers (UUID version 5 of the canonical JSON).
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6b1f_52c4_8d3a_4e57_9a0c_2f7e_41d8_b391);

/// Problems of the payload and its codes.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum QrError {
    /// More codes than the footer row holds.
    #[error("the qr payload needs {0} codes, at most {MAX_CODES} fit in the footer")]
    TooLong(usize),
    /// The `qrcode` crate refused the data.
    #[error("cannot encode a qr code ({0})")]
    Encode(String),
    /// A part that does not follow the format.
    #[error("qr part {0} is not an {PART_MAGIC} part")]
    BadPart(usize),
    /// The case's `document_id` is not a UUID.
    #[error("document_id must be a UUID (8-4-4-4-12 hexadecimal digits), got \"{0}\"")]
    DocumentId(String),
    /// Parts of different documents, missing or repeated parts.
    #[error("the qr parts do not make one payload ({0})")]
    Incomplete(String),
}

/// The payload of one document: its identifier and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    /// The document's identifier.
    pub id: Uuid,
    /// The whole text, lines of `key: value` after the version line.
    pub text: String,
}

/// The case as JSON with sorted keys, no whitespace, numbers as JSON numbers: the same case
/// in YAML or JSON gives the same bytes.
pub fn canonical_json(node: &Node) -> String {
    canonical(&node_json(node))
}

/// JSON with sorted keys and no whitespace: the same value always gives the same bytes (the
/// register's chain hashes its entries the same way).
pub fn canonical(value: &Json) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Json, out: &mut String) {
    match value {
        Json::Object(map) => {
            let sorted: BTreeMap<&String, &Json> = map.iter().collect();
            out.push('{');
            for (i, (key, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Json::String(key.clone()).to_string());
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        Json::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn node_json(node: &Node) -> Json {
    match &node.value {
        NodeValue::Null => Json::Null,
        NodeValue::Bool(b) => Json::Bool(*b),
        NodeValue::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| Json::String(n.clone())),
        NodeValue::String(s) => Json::String(s.clone()),
        NodeValue::List(items) => Json::Array(items.iter().map(node_json).collect()),
        NodeValue::Map(entries) => {
            let map: BTreeMap<String, Json> =
                entries.iter().map(|(k, v)| (k.name.clone(), node_json(v))).collect();
            Json::Object(map.into_iter().collect())
        }
    }
}

/// The payload of a case of form `form_id` issued at `issued` (`YYYY-MM-DDTHH:MM:SS`);
/// `verify_url` is a template where `{id}` stands for the document's identifier: the case's
/// `document_id`, which must be a UUID, else one derived from the case.
pub fn payload(
    case: &Case,
    form_id: &str,
    issued: Option<&str>,
    verify_url: Option<&str>,
) -> Result<Payload, QrError> {
    let canonical = case.source.as_deref().map(canonical_json).unwrap_or_default();
    let sha = hex(&Sha256::digest(canonical.as_bytes()));
    let id = match case.data.get("document_id") {
        Some(Value::Str(s)) => Uuid::try_parse(s).map_err(|_| QrError::DocumentId(s.clone()))?,
        _ => Uuid::new_v5(&NAMESPACE, canonical.as_bytes()),
    };
    let mut lines = vec![VERSION.to_owned(), format!("id: {id}"), format!("form: {form_id}")];
    if let Some(Value::Str(n)) = case.data.get("number") {
        lines.push(format!("number: {n}"));
    }
    if let Some(issued) = issued {
        lines.push(format!("issued: {issued}"));
    }
    // The holder of a certificate, the applicant of a request.
    for party in ["holder", "applicant"] {
        for key in ["iin", "bin"] {
            if let Some(Value::Str(v)) = case.data.get(party).and_then(|h| h.get(key)) {
                lines.push(format!("{key}: {v}"));
            }
        }
    }
    let mut cadastral = Vec::new();
    collect_cadastral(&case.data, &mut cadastral);
    if !cadastral.is_empty() {
        lines.push(format!("cadastral: {}", cadastral.join(";")));
    }
    lines.push(format!("sha256: {sha}"));
    if let Some(url) = verify_url {
        lines.push(format!("verify: {}", url.replace("{id}", &id.to_string())));
    }
    Ok(Payload { id, text: lines.join("\n") })
}

fn collect_cadastral(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Cadastral(c) => {
            let c = c.to_string();
            if !out.contains(&c) {
                out.push(c);
            }
        }
        Value::List(items) => items.iter().for_each(|v| collect_cadastral(v, out)),
        Value::Record(fields) => fields.values().for_each(|v| collect_cadastral(v, out)),
        _ => {}
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The payload split into the texts of its codes: `AQ1 PART/TOTAL ID` on the first line,
/// then at most [`CHUNK_BYTES`] bytes of the payload (cut between characters).
pub fn parts(payload: &Payload) -> Result<Vec<String>, QrError> {
    let mut chunks = Vec::new();
    let mut rest = payload.text.as_str();
    while !rest.is_empty() {
        let mut end = rest.len().min(CHUNK_BYTES);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        chunks.push(&rest[..end]);
        rest = &rest[end..];
    }
    let total = chunks.len();
    if total > MAX_CODES {
        return Err(QrError::TooLong(total));
    }
    Ok(chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| format!("{PART_MAGIC} {}/{total} {}\n{chunk}", i + 1, payload.id))
        .collect())
}

/// Puts decoded parts (in any order) back together into the payload.
pub fn reassemble(parts: &[String]) -> Result<Payload, QrError> {
    let mut found: BTreeMap<usize, &str> = BTreeMap::new();
    let mut ids = Vec::new();
    let mut totals = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let bad = || QrError::BadPart(i + 1);
        let (head, body) = part.split_once('\n').ok_or_else(bad)?;
        let words: Vec<&str> = head.split(' ').collect();
        let [PART_MAGIC, counts, id] = words[..] else { return Err(bad()) };
        let (n, total) = counts.split_once('/').ok_or_else(bad)?;
        let n: usize = n.parse().map_err(|_| bad())?;
        let total: usize = total.parse().map_err(|_| bad())?;
        ids.push(Uuid::parse_str(id).map_err(|_| bad())?);
        totals.push(total);
        if found.insert(n, body).is_some() {
            return Err(QrError::Incomplete(format!("part {n} twice")));
        }
    }
    ids.dedup();
    totals.dedup();
    match (&ids[..], &totals[..]) {
        ([id], [total]) if found.keys().copied().eq(1..=*total) => {
            Ok(Payload { id: *id, text: found.values().copied().collect() })
        }
        ([_], [total]) => Err(QrError::Incomplete(format!("{} of {total} parts", found.len()))),
        ([_], _) => Err(QrError::Incomplete("the parts disagree on the total".into())),
        _ => Err(QrError::Incomplete(format!("{} documents", ids.len()))),
    }
}

/// The dark modules of one code, row by row, without the quiet zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Modules per side.
    pub width: usize,
    /// `width × width` flags, `true` for dark.
    pub dark: Vec<bool>,
}

/// Encodes `data` at error correction M.
pub fn matrix(data: &str) -> Result<Matrix, QrError> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| QrError::Encode(e.to_string()))?;
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok(Matrix { width: code.width(), dark })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_sorts_keys_at_every_level() {
        let v = serde_json::json!({"b": 1, "a": {"d": [true, null, "x\"y", 72.4], "c": "е"}});
        assert_eq!(canonical(&v), r#"{"a":{"c":"е","d":[true,null,"x\"y",72.4]},"b":1}"#);
    }

    fn payload_of(len: usize) -> Payload {
        let text: String = "abc-".chars().cycle().take(len).collect();
        Payload { id: Uuid::new_v5(&NAMESPACE, b"x"), text }
    }

    #[test]
    fn parts_reassemble_in_any_order() {
        let p = payload_of(500);
        let mut parts = parts(&p).expect("split");
        assert_eq!(parts.len(), 5);
        assert!(parts[0].starts_with(&format!("AQ1 1/{} {}\n", parts.len(), p.id)), "{}", parts[0]);
        parts.reverse();
        assert_eq!(reassemble(&parts), Ok(p));
    }

    #[test]
    fn a_payload_longer_than_seven_codes_is_refused() {
        let p = payload_of(CHUNK_BYTES * 7 + 1);
        assert_eq!(parts(&p), Err(QrError::TooLong(8)));
        assert_eq!(
            QrError::TooLong(8).to_string(),
            "the qr payload needs 8 codes, at most 7 fit in the footer"
        );
    }

    #[test]
    fn missing_and_foreign_parts_are_named() {
        let p = payload_of(300);
        let all = parts(&p).expect("split");
        assert_eq!(
            reassemble(&all[1..]),
            Err(QrError::Incomplete(format!("{} of {} parts", all.len() - 1, all.len())))
        );
        assert_eq!(reassemble(&["hello\nworld".into()]), Err(QrError::BadPart(1)));
    }

    #[test]
    fn a_full_chunk_fits_a_version_9_code() {
        let p = payload_of(CHUNK_BYTES * 3);
        for part in parts(&p).expect("split") {
            assert!(matrix(&part).expect("encoded").width <= 53, "{part}");
        }
    }
}
