//! Adding a signature to a PDF as an incremental update.
//!
//! The update holds a signature dictionary (`/Filter /Adobe.PPKLite /SubFilter
//! /ETSI.CAdES.detached`, `/M` the claimed signing time, `/Contents` zeros reserved for the
//! CMS structure, `/ByteRange`), a signature field that is also its widget annotation (on
//! the last page: invisible, a zero rectangle; or visible, a framed rectangle in the slot the
//! layout reserved, on its page, or in the bottom margin of the last page of a PDF this
//! program did not lay out), the page with the widget added to its `/Annots`, and the catalog with the
//! field in its `/AcroForm`. Once written, the byte range is filled in, the bytes it covers
//! are hashed, and the CMS structure is written over the zeros.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use der::Encode;
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use memchr::memmem;
use sha2::{Digest, Sha256};

use super::cms::{self, KeyAlgorithm};
use super::{SignError, Signer, update};
use crate::onto::{self, Objects, OntoError};

/// The space reserved for the CMS structure beyond the certificates it carries.
const RESERVE: usize = 8192;

/// The space reserved for a CMS structure an external signer builds (its chain unknown).
const CMS_RESERVE: usize = 32768;

/// The width of each number of the byte range as first written.
const RANGE_DIGITS: usize = 10;

/// Options of signing.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// Show the signature as a framed rectangle, there; `None`: the field is invisible.
    pub visible: Option<Visible>,
    /// The claimed signing time. Default: the PDF's creation date, else `SOURCE_DATE_EPOCH`.
    pub time: Option<NaiveDateTime>,
}

/// Where a visible signature goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Visible {
    /// The room the layout reserved for it: [`crate::render::Rendered::signature_slot`].
    Slot(SlotRect),
    /// 70 × 10 mm, 15 mm from the left and 3 mm above the bottom edge of the last page: in
    /// the bottom margin of every form of this program, left of the page number, and the
    /// guess for a PDF whose layout is not known. Text or drawings of another PDF may be
    /// there.
    BottomMargin,
}

/// A rectangle of a PDF page kept free for a visible signature.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlotRect {
    /// The page, counted from 0.
    pub page: usize,
    /// Left, bottom, right, top, in PDF points from the bottom-left corner of the page as
    /// stored (its CropBox within its MediaBox, unrotated; for this program's PDFs, the
    /// MediaBox).
    pub rect: [f32; 4],
}

/// Signs `pdf` with `signer` and returns the signed file: the original bytes followed by an
/// incremental update.
pub fn sign_pdf(pdf: &[u8], signer: &dyn Signer, options: &SignOptions) -> Result<Vec<u8>, SignError> {
    let chain = signer.chain();
    let own = if signer.builds_cms() {
        None
    } else {
        let leaf = chain.first().ok_or(SignError::NoCertificate)?;
        Some((leaf, KeyAlgorithm::of(leaf)?))
    };
    // The reserved space: twice the certificates (hex) and room for the rest.
    let certs_len: usize = chain.iter().map(|c| c.to_der().map_or(4096, |d| d.len())).sum();
    let reserved = if own.is_some() { certs_len + RESERVE } else { CMS_RESERVE };

    // Read only the objects the update changes; a file that reader does not handle (or a
    // damaged one) is parsed whole by lopdf, which also gives the precise error.
    let fast = update::Source::read(pdf).and_then(|source| {
        let objects = plan(&source, source.size(), options, reserved).ok()?;
        update::write(pdf, &source, objects, 2 * reserved).ok()
    });
    let mut out = match fast {
        Some(out) => out,
        None => {
            let mut inc = onto::open_incremental(pdf).map_err(|e| match e {
                OntoError::Encrypted => SignError::Encrypted,
                other => SignError::Pdf(other.to_string()),
            })?;
            let prev = inc.get_prev_documents();
            let objects = plan(prev, prev.max_id + 1, options, reserved)?;
            let new = &mut inc.new_document;
            for (id, object) in objects {
                new.max_id = new.max_id.max(id.0);
                new.objects.insert(id, object);
            }
            onto::save_incremental(inc).map_err(|e| SignError::Pdf(e.to_string()))?
        }
    };

    // Find the reserved value in the update, fill in the byte range, hash, sign.
    let zeros = {
        let mut z = Vec::with_capacity(reserved * 2 + 2);
        z.push(b'<');
        z.resize(reserved * 2 + 1, b'0');
        z.push(b'>');
        z
    };
    let start = memmem::rfind(&out, &zeros)
        .ok_or_else(|| SignError::Pdf("the reserved signature value was not written (a defect)".into()))?;
    let end = start + zeros.len();
    let placeholder = 10i64.pow(RANGE_DIGITS as u32 - 1);
    let range_text = format!("{} {} {} {}", 0, placeholder, placeholder, placeholder);
    let range_at = memmem::rfind(&out[..start], range_text.as_bytes())
        .ok_or_else(|| SignError::Pdf("the byte range was not written (a defect)".into()))?;
    let range = [0, start, end, out.len() - end];
    let mut filled = format!("{} {} {} {}", range[0], range[1], range[2], range[3]);
    if filled.len() > range_text.len() {
        return Err(SignError::Pdf("the file is too large to sign".into()));
    }
    while filled.len() < range_text.len() {
        filled.push(' ');
    }
    out[range_at..range_at + filled.len()].copy_from_slice(filled.as_bytes());

    let cms = match own {
        Some((leaf, algorithm)) => {
            let mut hasher = Sha256::new();
            hasher.update(&out[..start]);
            hasher.update(&out[end..]);
            let digest = hasher.finalize();
            let attrs = cms::signed_attributes(&digest, leaf)?;
            let signature = signer.sign(&cms::to_be_signed(&attrs)?)?;
            cms::signed_data(chain, attrs, algorithm, signature)?
        }
        None => {
            let mut content = Vec::with_capacity(out.len() - (end - start));
            content.extend_from_slice(&out[..start]);
            content.extend_from_slice(&out[end..]);
            signer.sign_content(&content)?
        }
    };
    if cms.len() > reserved {
        return Err(SignError::TooLarge { needed: cms.len(), reserved });
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for (i, b) in cms.iter().enumerate() {
        out[start + 1 + 2 * i] = HEX[usize::from(b >> 4)];
        out[start + 2 + 2 * i] = HEX[usize::from(b & 15)];
    }
    Ok(out)
}

/// The objects of the update: the signature dictionary (its value `reserved` zero bytes),
/// the field and widget (and its appearance), the last page with the widget in its
/// `/Annots`, the catalog with the field in its `/AcroForm`. New objects are numbered from
/// `next_id`.
fn plan(
    doc: &dyn Objects,
    next_id: u32,
    options: &SignOptions,
    reserved: usize,
) -> Result<Vec<(ObjectId, Object)>, SignError> {
    let time = options
        .time
        .or_else(|| creation_date(doc))
        .or_else(crate::source_date_epoch)
        .ok_or(SignError::NoDate)?;
    let root_id = doc
        .trailer()
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| SignError::Pdf("the PDF has no catalog".into()))?;
    let mut catalog =
        doc.object(root_id).and_then(into_dict).ok_or_else(|| SignError::Pdf("unreadable catalog".into()))?;
    let which = match options.visible {
        Some(Visible::Slot(slot)) => Which::Index(slot.page),
        _ => Which::Last,
    };
    let (number, page_id, mut page) = find_page(doc, &catalog, which)?;
    let geometry = onto::page_box(doc, &page)
        .ok_or_else(|| SignError::Pdf(format!("page {number} has no valid MediaBox")))?;
    let mut acroform = match catalog.get(b"AcroForm") {
        Ok(Object::Reference(id)) => doc.object(*id).and_then(into_dict).unwrap_or_default(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    let mut fields = array(doc, acroform.get(b"Fields").ok());
    let mut annots = array(doc, page.get(b"Annots").ok());
    let name = format!("Signature{}", fields.len() + 1);

    let mut objects = Vec::new();
    let mut ids = (next_id..).map(|n| (n, 0));
    let mut sig = Dictionary::new();
    sig.set("Type", Object::Name(b"Sig".to_vec()));
    sig.set("Filter", Object::Name(b"Adobe.PPKLite".to_vec()));
    sig.set("SubFilter", Object::Name(b"ETSI.CAdES.detached".to_vec()));
    let placeholder = 10i64.pow(RANGE_DIGITS as u32 - 1);
    sig.set("ByteRange", vec![0.into(), placeholder.into(), placeholder.into(), placeholder.into()]);
    sig.set("Contents", Object::String(vec![0; reserved], StringFormat::Hexadecimal));
    sig.set("M", Object::String(pdf_date(time).into_bytes(), StringFormat::Literal));
    let sig_id = ids.next().unwrap_or_default();
    objects.push((sig_id, Object::Dictionary(sig)));

    let mut widget = Dictionary::new();
    widget.set("Type", Object::Name(b"Annot".to_vec()));
    widget.set("Subtype", Object::Name(b"Widget".to_vec()));
    widget.set("FT", Object::Name(b"Sig".to_vec()));
    widget.set("T", Object::String(name.into_bytes(), StringFormat::Literal));
    widget.set("V", Object::Reference(sig_id));
    // Print and Locked, as PDF/A requires the print flag on every annotation.
    widget.set("F", 132);
    widget.set("P", Object::Reference(page_id));
    if let Some(visible) = options.visible {
        let rect = match visible {
            Visible::Slot(slot) => slot_rect(&geometry, &slot, number)?,
            Visible::BottomMargin => visible_rect(&geometry),
        };
        let (w, h) = (rect[2] - rect[0], rect[3] - rect[1]);
        let ap_id = ids.next().unwrap_or_default();
        objects.push((ap_id, Object::Stream(appearance(w, h))));
        widget.set("Rect", rect.iter().map(|v| Object::Real(*v)).collect::<Vec<_>>());
        let mut ap = Dictionary::new();
        ap.set("N", Object::Reference(ap_id));
        widget.set("AP", ap);
    } else {
        widget.set("Rect", vec![0.into(), 0.into(), 0.into(), 0.into()]);
    }
    let widget_id = ids.next().unwrap_or_default();
    objects.push((widget_id, Object::Dictionary(widget)));

    annots.push(Object::Reference(widget_id));
    page.set("Annots", annots);
    objects.push((page_id, Object::Dictionary(page)));
    fields.push(Object::Reference(widget_id));
    acroform.set("Fields", fields);
    acroform.set("SigFlags", 3);
    catalog.set("AcroForm", acroform);
    objects.push((root_id, Object::Dictionary(catalog)));
    Ok(objects)
}

/// Which page [`find_page`] looks for.
#[derive(Debug, Clone, Copy)]
enum Which {
    /// The last page the `/Kids` lead to.
    Last,
    /// The page of this index (counted from 0), as the `/Count` of the nodes before it say.
    Index(usize),
}

/// A page of the tree under the catalog's `/Pages`: its number (from 1), its object and its
/// dictionary.
///
/// The walk goes down from the root, reading only the nodes on its way and their kids (not the
/// whole tree, as lopdf's `get_pages` does). A kid counts for 1 page when it is a page, for its
/// `/Count` when it is a node (0 when that is missing), for none when it cannot be read: the
/// page of an index is found by those counts, and the number of the last page is given by
/// them. The last page is the one the kids themselves lead to, whatever the counts say: the
/// walk tries the last kid, and the one before when a node turns out to hold no page (each
/// node once); a last kid that cannot be read is an error, not passed over for the page before
/// it. A kid the walk has come through is an error (the tree loops), as is a tree deeper than
/// [`DEPTH_LIMIT`].
fn find_page(
    doc: &dyn Objects,
    catalog: &Dictionary,
    which: Which,
) -> Result<(i64, ObjectId, Dictionary), SignError> {
    let no_page = || match which {
        Which::Last => SignError::Pdf("the PDF has no page".into()),
        Which::Index(index) => {
            SignError::Pdf(format!("the PDF has no page {} (the signature slot's page)", index + 1))
        }
    };
    let mut id = catalog.get(b"Pages").and_then(Object::as_reference).map_err(|_| no_page())?;
    // The pages before the node or page `id`.
    let mut before = 0usize;
    // The nodes above `id`, from the root down.
    let mut path: Vec<ObjectId> = Vec::new();
    // For the last page: for each node of `path`, its kids not tried yet (the pages before
    // each), and the nodes found to hold no page.
    let mut untried: Vec<Vec<(ObjectId, usize)>> = Vec::new();
    let mut empty: HashSet<ObjectId> = HashSet::new();
    loop {
        if path.contains(&id) {
            return Err(SignError::Pdf(format!(
                "the PDF's page tree loops back to object {} {}",
                id.0, id.1
            )));
        }
        if path.len() >= DEPTH_LIMIT {
            return Err(no_page());
        }
        let Some(node) = doc.object(id).and_then(into_dict) else {
            return Err(match which {
                Which::Last => SignError::Pdf(format!("page {} is unreadable", before + 1)),
                Which::Index(_) => no_page(),
            });
        };
        let Ok(kids) = node.get(b"Kids") else {
            return match which {
                Which::Index(index) if index != before => Err(no_page()),
                _ => Ok((i64::try_from(before).unwrap_or(i64::MAX).saturating_add(1), id, node)),
            };
        };
        let kids = array(doc, Some(kids));
        let mut kids = kids.iter().filter_map(|kid| kid.as_reference().ok());
        path.push(id);
        match which {
            Which::Index(index) => {
                // The kid that holds the page: skip the pages of the kids before it.
                id = loop {
                    let kid = kids.next().ok_or_else(no_page)?;
                    let pages = pages(doc, kid);
                    if index < before.saturating_add(pages) {
                        break kid;
                    }
                    before = before.saturating_add(pages);
                };
            }
            Which::Last => {
                let mut level = Vec::new();
                for kid in kids {
                    level.push((kid, before));
                    before = before.saturating_add(pages(doc, kid));
                }
                untried.push(level);
                // The last kid not tried in this node, else in the nearest node above.
                (id, before) = loop {
                    let level = untried.last_mut().ok_or_else(no_page)?;
                    match level.pop() {
                        Some((kid, _)) if empty.contains(&kid) => {}
                        Some(next) => break next,
                        None => {
                            untried.pop();
                            empty.extend(path.pop());
                        }
                    }
                };
            }
        }
    }
}

/// The pages a kid of a page tree node counts for: 1 for a page, its `/Count` for a node (0
/// when that is missing or negative), 0 when it cannot be read.
fn pages(doc: &dyn Objects, kid: ObjectId) -> usize {
    match doc.object(kid).and_then(into_dict) {
        Some(d) if d.has(b"Kids") => {
            d.get(b"Count").and_then(Object::as_i64).ok().and_then(|n| usize::try_from(n).ok()).unwrap_or(0)
        }
        Some(_) => 1,
        None => 0,
    }
}

/// How deep the page tree is followed.
const DEPTH_LIMIT: usize = 64;

fn into_dict(object: Object) -> Option<Dictionary> {
    match object {
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

/// An array given directly or by reference (empty when it is neither).
fn array(doc: &dyn Objects, value: Option<&Object>) -> Vec<Object> {
    match value {
        Some(Object::Reference(id)) => match doc.object(*id) {
            Some(Object::Array(items)) => items,
            _ => Vec::new(),
        },
        Some(Object::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// `D:YYYYMMDDHHmmSS+00'00'`.
pub fn pdf_date(time: NaiveDateTime) -> String {
    format!("D:{}+00'00'", time.format("%Y%m%d%H%M%S"))
}

/// Reads a PDF date (`D:YYYYMMDDHHmmSS` with an optional zone), as UTC.
pub fn parse_pdf_date(text: &[u8]) -> Option<NaiveDateTime> {
    let text = std::str::from_utf8(text).ok()?;
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        return None;
    }
    let mut full = digits.clone();
    while full.len() < 14 {
        full.push('0');
    }
    let local = NaiveDateTime::parse_from_str(&full[..14], "%Y%m%d%H%M%S").ok()?;
    let zone = &text[digits.len()..];
    let offset = match zone.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let nums: Vec<i64> = zone[1..]
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse().ok())
                .collect();
            let minutes = nums.first().copied().unwrap_or(0) * 60 + nums.get(1).copied().unwrap_or(0);
            if sign == '+' { minutes } else { -minutes }
        }
        _ => 0,
    };
    Some(local - chrono::Duration::minutes(offset))
}

/// The `/CreationDate` of the document information dictionary.
fn creation_date(doc: &dyn Objects) -> Option<NaiveDateTime> {
    let info = match doc.trailer().get(b"Info").ok()? {
        Object::Reference(id) => into_dict(doc.object(*id)?)?,
        Object::Dictionary(d) => d.clone(),
        _ => return None,
    };
    match info.get(b"CreationDate").ok()? {
        Object::String(bytes, _) => parse_pdf_date(bytes),
        _ => None,
    }
}

/// The visible field: 70 × 10 mm, 15 mm from the left and 3 mm above the bottom edge of the
/// page as stored (unrotated user space): inside the bottom margin of every form of this
/// program (15 mm at least), left of the page number (printed right-aligned at half the
/// margin's height).
fn visible_rect(page: &onto::PageBox) -> [f32; 4] {
    let mm = 72.0 / 25.4;
    let [x0, y0, ..] = page.rect;
    let (left, bottom, w, h) = (x0 + 15.0 * mm, y0 + 3.0 * mm, 70.0 * mm, 10.0 * mm);
    [left, bottom, left + w, bottom + h]
}

/// A slot's rectangle in the page's user space, checked to lie inside the page.
fn slot_rect(page: &onto::PageBox, slot: &SlotRect, number: i64) -> Result<[f32; 4], SignError> {
    let [x0, y0, x1, y1] = page.rect;
    let [l, b, r, t] = slot.rect;
    let (w, h) = (x1 - x0, y1 - y0);
    let inside = l >= 0.0 && b >= 0.0 && r <= w && t <= h && l < r && b < t;
    if !inside {
        return Err(SignError::Pdf(format!(
            "the signature slot [{l:.1} {b:.1} {r:.1} {t:.1}] is not inside page {number} ({w:.1} × {h:.1} pt)"
        )));
    }
    Ok([x0 + l, y0 + b, x0 + r, y0 + t])
}

/// The visible field's appearance: a frame with a seal-like double line, no text (text would
/// need a font embedded in the update; a reader shows the signer in its signature panel).
fn appearance(w: f32, h: f32) -> Stream {
    let content = format!(
        "q 0.1 0.2 0.5 RG 1 w 0.5 0.5 {:.2} {:.2} re S 0.5 w 3 3 {:.2} {:.2} re S Q\n",
        w - 1.0,
        h - 1.0,
        w - 6.0,
        h - 6.0
    );
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set("BBox", vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)]);
    dict.set("Resources", Dictionary::new());
    Stream::new(dict, content.into_bytes())
}

#[cfg(test)]
mod tests {
    use lopdf::Document;
    use lopdf::xref::XrefType;

    use super::*;

    #[test]
    fn pdf_dates() {
        let t = parse_pdf_date(b"D:20210720103215Z").expect("date");
        assert_eq!(pdf_date(t), "D:20210720103215+00'00'");
        let t = parse_pdf_date(b"D:20210720103215+05'00'").expect("date");
        assert_eq!(pdf_date(t), "D:20210720053215+00'00'");
        assert_eq!(parse_pdf_date(b"D:2021"), None);
    }

    /// A document of the catalog (object 1) whose `/Pages` is object 2, and `objects`; also
    /// written out and read back by [`update::Source`], the reader signing uses.
    fn tree(objects: &[(u32, Object)]) -> (Document, Vec<u8>) {
        let mut doc = Document::with_version("1.7");
        doc.reference_table.cross_reference_type = XrefType::CrossReferenceTable;
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference((2, 0)));
        doc.objects.insert((1, 0), Object::Dictionary(catalog));
        for (n, object) in objects {
            doc.objects.insert((*n, 0), object.clone());
        }
        doc.max_id = doc.objects.keys().map(|id| id.0).max().unwrap_or(1);
        doc.trailer.set("Root", Object::Reference((1, 0)));
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("written");
        (doc, bytes)
    }

    /// A page tree node with these kids and this `/Count`.
    fn node(kids: &[u32], count: Option<i64>) -> Object {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"Pages".to_vec()));
        d.set("Kids", kids.iter().map(|k| Object::Reference((*k, 0))).collect::<Vec<_>>());
        if let Some(count) = count {
            d.set("Count", count);
        }
        Object::Dictionary(d)
    }

    fn page() -> Object {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"Page".to_vec()));
        d.set("MediaBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
        Object::Dictionary(d)
    }

    /// What `walk` finds in the tree of `objects` (page number, object number; or the
    /// message), the same through lopdf's whole parse and through the lazy reader.
    fn find(
        objects: &[(u32, Object)],
        walk: impl Fn(&dyn Objects, &Dictionary) -> Result<(i64, ObjectId, Dictionary), SignError>,
    ) -> Result<(i64, u32), String> {
        let (doc, bytes) = tree(objects);
        let source = update::Source::read(&bytes).expect("a classic table");
        let results = [&doc as &dyn Objects, &source].map(|doc| {
            let catalog = doc.object((1, 0)).and_then(into_dict).expect("catalog");
            walk(doc, &catalog).map(|(number, id, page)| {
                assert_eq!(doc.object(id).and_then(into_dict), Some(page), "the page's dictionary");
                (number, id.0)
            })
        });
        let [whole, lazy] = results.map(|r| r.map_err(|e| e.to_string()));
        assert_eq!(whole, lazy, "lopdf's parse and the lazy reader");
        whole
    }

    fn last(objects: &[(u32, Object)]) -> Result<(i64, u32), String> {
        find(objects, |doc, catalog| find_page(doc, catalog, Which::Last))
    }

    fn at(objects: &[(u32, Object)], index: usize) -> Result<(i64, u32), String> {
        find(objects, |doc, catalog| find_page(doc, catalog, Which::Index(index)))
    }

    fn no_slot_page(number: usize) -> Result<(i64, u32), String> {
        Err(format!("the PDF has no page {number} (the signature slot's page)"))
    }

    const NO_PAGE: &str = "the PDF has no page";

    #[test]
    fn flat_page_tree() {
        let objects = [(2, node(&[10, 11, 12], Some(3))), (10, page()), (11, page()), (12, page())];
        assert_eq!(last(&objects), Ok((3, 12)));
        assert_eq!(at(&objects, 0), Ok((1, 10)));
        assert_eq!(at(&objects, 1), Ok((2, 11)));
        assert_eq!(at(&objects, 2), Ok((3, 12)));
        assert_eq!(at(&objects, 3), no_slot_page(4));
    }

    #[test]
    fn nested_page_tree() {
        let objects = [
            (2, node(&[3, 4], Some(3))),
            (3, node(&[10, 11], Some(2))),
            (4, node(&[5], Some(1))),
            (5, node(&[12], Some(1))),
            (10, page()),
            (11, page()),
            (12, page()),
        ];
        assert_eq!(last(&objects), Ok((3, 12)));
        assert_eq!(at(&objects, 0), Ok((1, 10)));
        assert_eq!(at(&objects, 1), Ok((2, 11)));
        assert_eq!(at(&objects, 2), Ok((3, 12)));
        assert_eq!(at(&objects, 3), no_slot_page(4));
    }

    #[test]
    fn a_page_tree_that_is_one_page() {
        // `/Pages` is a page itself: read as the only page.
        let objects = [(2, page())];
        assert_eq!(last(&objects), Ok((1, 2)));
        assert_eq!(at(&objects, 0), Ok((1, 2)));
        assert_eq!(at(&objects, 1), no_slot_page(2));
    }

    #[test]
    fn no_page_tree() {
        assert_eq!(last(&[]), Err("page 1 is unreadable".into()));
        assert_eq!(at(&[], 0), no_slot_page(1));
        let empty = [(2, node(&[], Some(0)))];
        assert_eq!(last(&empty), Err(NO_PAGE.into()));
        assert_eq!(at(&empty, 0), no_slot_page(1));
    }

    #[test]
    fn empty_node_after_the_last_page() {
        let objects = [
            (2, node(&[3, 4], Some(2))),
            (3, node(&[10, 11], Some(2))),
            (4, node(&[], Some(0))),
            (10, page()),
            (11, page()),
        ];
        assert_eq!(last(&objects), Ok((2, 11)));
        assert_eq!(at(&objects, 1), Ok((2, 11)));
        assert_eq!(at(&objects, 2), no_slot_page(3));
    }

    #[test]
    fn count_too_big() {
        // The root's: 5 for 2 pages. The last page's number is counted from its kids.
        let objects = [(2, node(&[10, 11], Some(5))), (10, page()), (11, page())];
        assert_eq!(last(&objects), Ok((2, 11)));
        assert_eq!(at(&objects, 1), Ok((2, 11)));
        assert_eq!(at(&objects, 4), no_slot_page(5));
        // A node's: 2 for 1 page, so the page after it is taken for page 3.
        let objects = [(2, node(&[3, 11], Some(3))), (3, node(&[10], Some(2))), (10, page()), (11, page())];
        assert_eq!(last(&objects), Ok((3, 11)));
        assert_eq!(at(&objects, 0), Ok((1, 10)));
        assert_eq!(at(&objects, 1), no_slot_page(2));
        assert_eq!(at(&objects, 2), Ok((3, 11)));
        // An empty node after the last page that claims a page: the page before it is the
        // last.
        let objects = [(2, node(&[10, 3], Some(2))), (3, node(&[], Some(1))), (10, page())];
        assert_eq!(last(&objects), Ok((1, 10)));
        assert_eq!(at(&objects, 0), Ok((1, 10)));
        assert_eq!(at(&objects, 1), no_slot_page(2));
        // Two levels of them, the last page in the first half of the tree.
        let objects = [
            (2, node(&[3, 4], Some(4))),
            (3, node(&[10, 11], Some(2))),
            (4, node(&[5, 6], Some(2))),
            (5, node(&[], Some(1))),
            (6, node(&[7], Some(1))),
            (7, node(&[], Some(1))),
            (10, page()),
            (11, page()),
        ];
        assert_eq!(last(&objects), Ok((2, 11)));
        assert_eq!(at(&objects, 1), Ok((2, 11)));
        assert_eq!(at(&objects, 2), no_slot_page(3));
        // Counts past any number of pages.
        let objects = [
            (2, node(&[10, 3, 4], Some(3))),
            (3, node(&[], Some(i64::MAX))),
            (4, node(&[], Some(i64::MAX))),
            (10, page()),
        ];
        assert_eq!(last(&objects), Ok((1, 10)));
        assert_eq!(at(&objects, 1), no_slot_page(2));
        let objects = [
            (2, node(&[3, 4, 10], Some(3))),
            (3, node(&[], Some(i64::MAX))),
            (4, node(&[], Some(i64::MAX))),
            (10, page()),
        ];
        assert_eq!(last(&objects), Ok((i64::MAX, 10)));
        assert_eq!(at(&objects, 1), no_slot_page(2));
    }

    #[test]
    fn count_too_small() {
        // The root's: 1 for 2 pages. The last page's number is counted from its kids.
        let objects = [(2, node(&[10, 11], Some(1))), (10, page()), (11, page())];
        assert_eq!(last(&objects), Ok((2, 11)));
        assert_eq!(at(&objects, 1), Ok((2, 11)));
        // A node's: 1 for 2 pages, its second page out of reach by number.
        let objects = [(2, node(&[3], Some(2))), (3, node(&[10, 11], Some(1))), (10, page()), (11, page())];
        assert_eq!(last(&objects), Ok((2, 11)));
        assert_eq!(at(&objects, 0), Ok((1, 10)));
        assert_eq!(at(&objects, 1), no_slot_page(2));
        // The last node's: 0 for 1 page. The last page is the one its kids lead to (as a
        // viewer shows it), out of reach by number.
        let objects = [(2, node(&[10, 3], Some(2))), (3, node(&[11], Some(0))), (10, page()), (11, page())];
        assert_eq!(last(&objects), Ok((2, 11)));
        assert_eq!(at(&objects, 0), Ok((1, 10)));
        assert_eq!(at(&objects, 1), no_slot_page(2));
    }

    #[test]
    fn count_missing() {
        // The root's: not needed.
        let objects = [(2, node(&[10, 11], None)), (10, page()), (11, page())];
        assert_eq!(last(&objects), Ok((2, 11)));
        assert_eq!(at(&objects, 1), Ok((2, 11)));
        // The root's, a node below has one.
        let objects = [
            (2, node(&[10, 3], None)),
            (3, node(&[11, 12], Some(2))),
            (10, page()),
            (11, page()),
            (12, page()),
        ];
        assert_eq!(last(&objects), Ok((3, 12)));
        assert_eq!(at(&objects, 2), Ok((3, 12)));
        // A node's: its pages are not counted, the last page numbered as `at` finds it.
        let objects = [
            (2, node(&[3, 12], Some(3))),
            (3, node(&[10, 11], None)),
            (10, page()),
            (11, page()),
            (12, page()),
        ];
        assert_eq!(last(&objects), Ok((1, 12)));
        assert_eq!(at(&objects, 0), Ok((1, 12)));
        assert_eq!(at(&objects, 2), no_slot_page(3));
    }

    #[test]
    fn kid_missing_or_not_a_dictionary() {
        for kid in [None, Some(Object::Integer(7)), Some(Object::Array(vec![]))] {
            let mut objects = vec![(2, node(&[10, 13], Some(2))), (10, page())];
            objects.extend(kid.clone().map(|k| (13, k)));
            assert_eq!(last(&objects), Err("page 2 is unreadable".into()));
            assert_eq!(at(&objects, 0), Ok((1, 10)));
            assert_eq!(at(&objects, 1), no_slot_page(2));
            // Before the page: no page by number.
            let mut objects = vec![(2, node(&[13, 10], Some(2))), (10, page())];
            objects.extend(kid.map(|k| (13, k)));
            assert_eq!(last(&objects), Ok((1, 10)));
            assert_eq!(at(&objects, 0), Ok((1, 10)));
        }
        // A kid that is not a reference is passed over (the root's /Count is not used).
        let mut root = node(&[10], Some(2));
        if let Object::Dictionary(d) = &mut root {
            d.set("Kids", vec![Object::Reference((10, 0)), Object::Integer(11)]);
        }
        let objects = [(2, root), (10, page())];
        assert_eq!(last(&objects), Ok((1, 10)));
        assert_eq!(at(&objects, 0), Ok((1, 10)));
        assert_eq!(at(&objects, 1), no_slot_page(2));
    }

    #[test]
    fn page_tree_with_a_cycle() {
        let loops = |n: u32| Err(format!("the PDF's page tree loops back to object {n} 0"));
        // The root among its own kids.
        let objects = [(2, node(&[10, 2], Some(2))), (10, page())];
        assert_eq!(last(&objects), loops(2));
        assert_eq!(at(&objects, 0), Ok((1, 10)));
        assert_eq!(at(&objects, 1), loops(2));
        // A node below.
        let objects = [(2, node(&[10, 3], Some(2))), (3, node(&[3], Some(1))), (10, page())];
        assert_eq!(last(&objects), loops(3));
        assert_eq!(at(&objects, 0), Ok((1, 10)));
        assert_eq!(at(&objects, 1), loops(3));
        // Through a node between.
        let objects = [(2, node(&[3], Some(1))), (3, node(&[4], Some(1))), (4, node(&[3], Some(1)))];
        assert_eq!(last(&objects), loops(3));
        assert_eq!(at(&objects, 0), loops(3));
    }

    #[test]
    fn page_tree_sharing_empty_nodes() {
        // Each node's two kids the same node, 40 levels down to an empty one: the last page
        // is looked for in each node once, not 2^40 times.
        let mut objects: Vec<_> = (0..40).map(|i| (2 + i, node(&[3 + i, 3 + i], Some(1)))).collect();
        objects.push((42, node(&[], Some(0))));
        assert_eq!(last(&objects), Err(NO_PAGE.into()));
        assert_eq!(at(&objects, 0), no_slot_page(1));
        // A page before them.
        objects[0].1 = node(&[100, 3, 3], Some(3));
        objects.push((100, page()));
        assert_eq!(last(&objects), Ok((1, 100)));
    }

    /// Signing a PDF whose last node says it has no page: the widget goes on the page its kids
    /// lead to, the one a viewer shows last.
    #[test]
    fn signature_on_the_real_last_page() {
        let objects = [(2, node(&[10, 3], Some(1))), (3, node(&[11], Some(0))), (10, page()), (11, page())];
        let (_, bytes) = tree(&objects);
        let source = update::Source::read(&bytes).expect("a classic table");
        let options = SignOptions {
            visible: Some(Visible::BottomMargin),
            time: NaiveDateTime::parse_from_str("2026-01-02 03:04:05", "%Y-%m-%d %H:%M:%S").ok(),
        };
        let objects = plan(&source, source.size(), &options, 16).expect("planned");
        let annotated: Vec<_> = objects
            .iter()
            .filter(|(_, object)| object.as_dict().is_ok_and(|d| d.has(b"Annots")))
            .map(|(id, _)| id.0)
            .collect();
        assert_eq!(annotated, [11]);
    }

    #[test]
    fn page_tree_deeper_than_the_limit() {
        // A chain of `levels` nodes down to one page (object 100).
        let chain = |levels: u32| {
            let mut objects: Vec<_> = (0..levels).map(|i| (2 + i, node(&[3 + i], Some(1)))).collect();
            objects.last_mut().expect("a node").1 = node(&[100], Some(1));
            objects.push((100, page()));
            objects
        };
        let deepest = DEPTH_LIMIT as u32 - 1;
        assert_eq!(last(&chain(deepest)), Ok((1, 100)));
        assert_eq!(at(&chain(deepest), 0), Ok((1, 100)));
        assert_eq!(last(&chain(deepest + 1)), Err(NO_PAGE.into()));
        assert_eq!(at(&chain(deepest + 1), 0), no_slot_page(1));
    }
}
