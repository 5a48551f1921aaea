//! Placing a stamp on a page of an existing PDF.
//!
//! The stamp, already written as a one-page PDF by [`crate::pdf`], becomes a Form XObject of
//! the target document: its content stream and everything its resources refer to (the
//! embedded font subsets, their ToUnicode maps) are copied over with new object numbers, and
//! the chosen page draws it with `q a b c d e f cm /AnyqtamaStamp Do Q` after its own
//! content, which is wrapped in `q … Q` so that whatever state it leaves cannot move the
//! stamp.
//!
//! The result is an *incremental update* (ISO 32000-1, 7.5.6): the original file, byte for
//! byte, followed by the new and changed objects, a cross-reference section and a trailer.
//! Every other page and object is untouched. Only a file whose cross-reference table had to
//! be reconstructed (a damaged file) is written out anew instead.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, IncrementalDocument, Object, ObjectId, Stream};

use crate::layout::{Mm, Pt};

/// The name the stamp gets in the page's resources (`AnyqtamaStamp2`, … when taken).
const XOBJECT_NAME: &str = "AnyqtamaStamp";

/// How deep page-tree inheritance and reference chains are followed.
const DEPTH_LIMIT: usize = 64;

/// Where the stamp goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// The page, counted from 1.
    pub page: u32,
    /// Distance of the stamp's left edge from the left edge of the page as displayed.
    pub x: Mm,
    /// Distance of the stamp's top edge from the top edge of the page as displayed.
    pub y: Mm,
}

/// Why a stamp could not be placed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OntoError {
    /// The file does not start like a PDF.
    #[error("not a PDF file (it does not start with %PDF-)")]
    NotPdf,
    /// The file looks like a PDF but cannot be read.
    #[error("not a readable PDF file ({0})")]
    Unreadable(String),
    /// The file is encrypted.
    #[error("the PDF is encrypted; remove its protection before stamping it")]
    Encrypted,
    /// No such page.
    #[error("page {page} is out of range (the file has {count} page{})", if *count == 1 { "" } else { "s" })]
    PageOutOfRange {
        /// The page asked for.
        page: u32,
        /// Pages in the file.
        count: usize,
    },
    /// The stamp would stick out of the page.
    #[error(
        "the stamp ({} × {} mm) with its top-left corner at {},{} mm does not fit on page {page} ({} × {} mm)",
        mm(stamp.0), mm(stamp.1), mm(at.0), mm(at.1), mm(size.0), mm(size.1)
    )]
    OutsidePage {
        /// The page.
        page: u32,
        /// The position asked for, in mm.
        at: (f32, f32),
        /// The stamp's size, in mm.
        stamp: (f32, f32),
        /// The page's size as displayed, in mm.
        size: (f32, f32),
    },
    /// The page has no usable size.
    #[error("page {0} has no valid MediaBox")]
    NoMediaBox(u32),
    /// The stamp PDF could not be read back (a defect of this program).
    #[error("failed to read back the stamp ({0})")]
    Stamp(String),
    /// The result could not be written.
    #[error("failed to write the stamped PDF ({0})")]
    Write(String),
}

/// A length in mm for messages: `70`, `3.5`, `210`, `297`.
fn mm(value: f32) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

/// The displayed geometry of a page: its visible box in user space and its rotation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageBox {
    /// `[x0, y0, x1, y1]` in points (CropBox within MediaBox).
    pub rect: [f32; 4],
    /// Clockwise rotation when displayed: 0, 90, 180 or 270.
    pub rotate: i64,
}

impl PageBox {
    /// Width and height as displayed, in points.
    pub fn displayed(&self) -> (f32, f32) {
        let (w, h) = (self.rect[2] - self.rect[0], self.rect[3] - self.rect[1]);
        if self.rotate % 180 == 0 { (w, h) } else { (h, w) }
    }

    /// The matrix (`a b c d e f`) that puts a stamp of height `stamp_h` points, drawn in its
    /// own space (origin bottom-left, y up), with its top-left corner at `left`, `top` points
    /// from the top-left corner of the page as displayed, upright as displayed.
    pub fn matrix(&self, left: f32, top: f32, stamp_h: f32) -> [f32; 6] {
        let [x0, y0, x1, y1] = self.rect;
        let (_, hd) = self.displayed();
        // The stamp's bottom-left corner in display space (origin bottom-left, y up).
        let (u, v) = (left, hd - top - stamp_h);
        match self.rotate {
            90 => [0.0, 1.0, -1.0, 0.0, x1 - v, y0 + u],
            180 => [-1.0, 0.0, 0.0, -1.0, x1 - u, y1 - v],
            270 => [0.0, -1.0, 1.0, 0.0, x0 + v, y1 - u],
            _ => [1.0, 0.0, 0.0, 1.0, x0 + u, y0 + v],
        }
    }
}

/// Places `stamp_pdf` (a one-page PDF: the stamp) onto a page of `target` and returns the
/// stamped copy.
pub fn place(target: &[u8], stamp_pdf: &[u8], placement: Placement) -> Result<Vec<u8>, OntoError> {
    let mut inc = open_incremental(target)?;
    let prev = inc.get_prev_documents();
    let pages = prev.get_pages();
    let page_id = *pages
        .get(&placement.page)
        .ok_or(OntoError::PageOutOfRange { page: placement.page, count: pages.len() })?;
    let page = prev.get_dictionary(page_id).map_err(|e| OntoError::Unreadable(e.to_string()))?;
    let geometry = page_box(prev, page).ok_or(OntoError::NoMediaBox(placement.page))?;

    // The stamp: its page size, content and resources.
    let stamp = Document::load_mem(stamp_pdf).map_err(|e| OntoError::Stamp(e.to_string()))?;
    let stamp_page_id =
        *stamp.get_pages().get(&1).ok_or_else(|| OntoError::Stamp("the stamp has no page".into()))?;
    let stamp_page = stamp.get_dictionary(stamp_page_id).map_err(|e| OntoError::Stamp(e.to_string()))?;
    let stamp_box = page_box(&stamp, stamp_page).ok_or_else(|| OntoError::Stamp("no MediaBox".into()))?;
    let [sx0, sy0, sx1, sy1] = stamp_box.rect;
    let (stamp_w, stamp_h) = (sx1 - sx0, sy1 - sy0);

    // Does it fit?
    let (page_w, page_h) = geometry.displayed();
    let (left, top) = (Pt::from(placement.x).0, Pt::from(placement.y).0);
    let tolerance = 0.01;
    if left < -tolerance
        || top < -tolerance
        || left + stamp_w > page_w + tolerance
        || top + stamp_h > page_h + tolerance
    {
        let to_mm = |pt: f32| Mm::from(Pt(pt)).0;
        return Err(OntoError::OutsidePage {
            page: placement.page,
            at: (placement.x.0, placement.y.0),
            stamp: (to_mm(stamp_w), to_mm(stamp_h)),
            size: (to_mm(page_w), to_mm(page_h)),
        });
    }

    let content = stamp.get_page_content(stamp_page_id);
    let stamp_resources = match inherited(&stamp, stamp_page, b"Resources") {
        Some(Object::Reference(id)) => stamp.get_object(id).cloned().unwrap_or(Object::Null),
        Some(other) => other,
        None => Object::Dictionary(Dictionary::new()),
    };

    // Copy the stamp's resources into the target with new object numbers.
    let new = &mut inc.new_document;
    let mut copier = Copier { from: &stamp, map: BTreeMap::new(), out: Vec::new(), next: new.max_id + 1 };
    let resources = copier.copy(&stamp_resources, 0);
    let Copier { out, next, .. } = copier;
    for (id, object) in out {
        new.objects.insert(id, object);
    }
    new.max_id = next - 1;

    let mut form = Dictionary::new();
    form.set("Type", Object::Name(b"XObject".to_vec()));
    form.set("Subtype", Object::Name(b"Form".to_vec()));
    form.set("FormType", 1);
    form.set("BBox", vec![sx0.into(), sy0.into(), sx1.into(), sy1.into()]);
    form.set("Resources", resources);
    let mut form = Stream::new(form, content);
    let _ = form.compress();
    let form_id = new.add_object(Object::Stream(form));

    // The page: its own copy of the resources with the stamp added, its content wrapped.
    let prev = inc.get_prev_documents();
    let page = prev.get_dictionary(page_id).map_err(|e| OntoError::Unreadable(e.to_string()))?;
    let mut resources = match inherited(prev, page, b"Resources") {
        Some(Object::Reference(id)) => prev.get_dictionary(id).cloned().unwrap_or_default(),
        Some(Object::Dictionary(d)) => d,
        _ => Dictionary::new(),
    };
    let mut xobjects = match resources.get(b"XObject") {
        Ok(Object::Reference(id)) => prev.get_dictionary(*id).cloned().unwrap_or_default(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    let name = (1..)
        .map(|n| if n == 1 { XOBJECT_NAME.to_owned() } else { format!("{XOBJECT_NAME}{n}") })
        .find(|n| !xobjects.has(n.as_bytes()))
        .unwrap_or_else(|| XOBJECT_NAME.to_owned());
    xobjects.set(name.as_bytes(), Object::Reference(form_id));
    resources.set("XObject", xobjects);

    let mut contents: Vec<Object> = match page.get(b"Contents") {
        Ok(Object::Reference(id)) => match prev.get_object(*id) {
            Ok(Object::Array(items)) => items.clone(),
            _ => vec![Object::Reference(*id)],
        },
        Ok(Object::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    let mut page = page.clone();
    let m = geometry.matrix(left, top, stamp_h);
    let draw = format!(
        "Q\nq {} {} {} {} {} {} cm /{name} Do Q\n",
        real(m[0]),
        real(m[1]),
        real(m[2]),
        real(m[3]),
        real(m[4] - sx0 * m[0] - sy0 * m[2]),
        real(m[5] - sx0 * m[1] - sy0 * m[3]),
    );
    let new = &mut inc.new_document;
    let open = new.add_object(Object::Stream(Stream::new(Dictionary::new(), b"q\n".to_vec())));
    let close = new.add_object(Object::Stream(Stream::new(Dictionary::new(), draw.into_bytes())));
    contents.insert(0, Object::Reference(open));
    contents.push(Object::Reference(close));
    page.set("Contents", contents);
    page.set("Resources", resources);
    new.objects.insert(page_id, Object::Dictionary(page));

    save_incremental(inc)
}

/// Opens a PDF for an incremental update: refuses what is not a PDF, cannot be read, or is
/// encrypted. Signing ([`crate::sign`]) opens its input the same way.
pub(crate) fn open_incremental(target: &[u8]) -> Result<IncrementalDocument, OntoError> {
    let head = &target[..target.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(OntoError::NotPdf);
    }
    let inc: IncrementalDocument =
        target.try_into().map_err(|e: lopdf::Error| OntoError::Unreadable(e.to_string()))?;
    let prev = inc.get_prev_documents();
    if prev.trailer.has(b"Encrypt") || prev.was_encrypted() {
        return Err(OntoError::Encrypted);
    }
    Ok(inc)
}

/// Writes the original file followed by the new objects of `inc` (a damaged file whose
/// cross-references were rebuilt is written out whole instead).
pub(crate) fn save_incremental(mut inc: IncrementalDocument) -> Result<Vec<u8>, OntoError> {
    let mut out = Vec::new();
    if inc.get_prev_documents().xref_start != 0 {
        inc.save_to(&mut out).map_err(|e| OntoError::Write(e.to_string()))?;
    } else {
        // A damaged file whose cross-references were rebuilt: write it out whole.
        let mut whole = inc.get_prev_documents().clone();
        whole.trailer.remove(b"Prev");
        for (id, object) in std::mem::take(&mut inc.new_document.objects) {
            whole.objects.insert(id, object);
        }
        whole.max_id = whole.max_id.max(inc.new_document.max_id);
        whole.save_to(&mut out).map_err(|e| OntoError::Write(e.to_string()))?;
    }
    Ok(out)
}

/// The number of pages of a PDF, or why it cannot be read.
pub fn page_count(pdf: &[u8]) -> Result<usize, OntoError> {
    let doc = Document::load_mem(pdf).map_err(|e| OntoError::Unreadable(e.to_string()))?;
    Ok(doc.get_pages().len())
}

/// A number for a content stream: at most 4 decimals, no exponent.
fn real(value: f32) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" || text.is_empty() { "0".to_owned() } else { text.to_owned() }
}

/// Where the objects of an existing PDF are read from: a document lopdf parsed whole, or a
/// reader that parses only the objects asked for (the signature's update, [`crate::sign`]).
pub(crate) trait Objects {
    /// The trailer dictionary of the newest revision.
    fn trailer(&self) -> &Dictionary;
    /// An object by its number, `None` when there is none or it cannot be read.
    fn object(&self, id: ObjectId) -> Option<Object>;
}

impl Objects for Document {
    fn trailer(&self) -> &Dictionary {
        &self.trailer
    }

    fn object(&self, id: ObjectId) -> Option<Object> {
        self.get_object(id).ok().cloned()
    }
}

/// An attribute of a page, looked up through the page tree (MediaBox, CropBox, Rotate and
/// Resources are inherited).
pub(crate) fn inherited(doc: &dyn Objects, page: &Dictionary, key: &[u8]) -> Option<Object> {
    if let Ok(value) = page.get(key) {
        return Some(value.clone());
    }
    let mut parent = page.get(b"Parent").and_then(Object::as_reference).ok()?;
    for _ in 0..DEPTH_LIMIT {
        let node = doc.object(parent)?;
        let node = node.as_dict().ok()?;
        if let Ok(value) = node.get(key) {
            return Some(value.clone());
        }
        parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

/// A rectangle attribute of a page, normalised to `[x0, y0, x1, y1]` with x0 < x1, y0 < y1.
fn rect(doc: &dyn Objects, page: &Dictionary, key: &[u8]) -> Option<[f32; 4]> {
    let mut object = inherited(doc, page, key)?;
    for _ in 0..DEPTH_LIMIT {
        match object {
            Object::Reference(id) => object = doc.object(id)?,
            _ => break,
        }
    }
    let items = object.as_array().ok()?;
    if items.len() != 4 {
        return None;
    }
    let mut v = [0.0f32; 4];
    for (slot, item) in v.iter_mut().zip(items) {
        let item = match item {
            Object::Reference(id) => doc.object(*id)?,
            other => other.clone(),
        };
        *slot = item.as_float().ok().filter(|f| f.is_finite())?;
    }
    let r = [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])];
    (r[2] > r[0] && r[3] > r[1]).then_some(r)
}

/// The visible box and rotation of a page.
pub(crate) fn page_box(doc: &dyn Objects, page: &Dictionary) -> Option<PageBox> {
    let media = rect(doc, page, b"MediaBox")?;
    let visible = match rect(doc, page, b"CropBox") {
        Some(c) => {
            let r = [c[0].max(media[0]), c[1].max(media[1]), c[2].min(media[2]), c[3].min(media[3])];
            if r[2] > r[0] && r[3] > r[1] { r } else { media }
        }
        None => media,
    };
    let rotate = inherited(doc, page, b"Rotate").and_then(|r| r.as_i64().ok()).unwrap_or(0).rem_euclid(360);
    let rotate = if rotate % 90 == 0 { rotate } else { 0 };
    Some(PageBox { rect: visible, rotate })
}

/// Copies objects of one document into another, renumbering references.
struct Copier<'a> {
    from: &'a Document,
    /// Old id → new id.
    map: BTreeMap<ObjectId, ObjectId>,
    /// The copied objects, by new id.
    out: Vec<(ObjectId, Object)>,
    /// The next free object number in the target.
    next: u32,
}

impl Copier<'_> {
    fn copy(&mut self, object: &Object, depth: usize) -> Object {
        if depth > 256 {
            return Object::Null;
        }
        match object {
            Object::Reference(id) => Object::Reference(self.copy_ref(*id, depth)),
            Object::Array(items) => Object::Array(items.iter().map(|o| self.copy(o, depth + 1)).collect()),
            Object::Dictionary(dict) => Object::Dictionary(self.copy_dict(dict, depth)),
            Object::Stream(stream) => {
                let dict = self.copy_dict(&stream.dict, depth);
                let mut copy = Stream::new(dict, stream.content.clone());
                copy.allows_compression = stream.allows_compression;
                Object::Stream(copy)
            }
            other => other.clone(),
        }
    }

    fn copy_dict(&mut self, dict: &Dictionary, depth: usize) -> Dictionary {
        let mut copy = Dictionary::new();
        for (key, value) in dict.iter() {
            copy.set(key.clone(), self.copy(value, depth + 1));
        }
        copy
    }

    fn copy_ref(&mut self, id: ObjectId, depth: usize) -> ObjectId {
        if let Some(new) = self.map.get(&id) {
            return *new;
        }
        let new = (self.next, 0);
        self.next += 1;
        self.map.insert(id, new);
        let object = self.from.get_object(id).cloned().unwrap_or(Object::Null);
        let copied = self.copy(&object, depth + 1);
        self.out.push((new, copied));
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Maps a point of the stamp's own space through a matrix.
    fn apply(m: [f32; 6], x: f32, y: f32) -> (f32, f32) {
        (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
    }

    /// Where a user-space point appears on the displayed page (origin top-left, y down).
    fn displayed(b: &PageBox, x: f32, y: f32) -> (f32, f32) {
        let [x0, y0, x1, y1] = b.rect;
        match b.rotate {
            90 => (y - y0, x - x0),
            180 => (x1 - x, y - y0),
            270 => (y1 - y, x1 - x),
            _ => (x - x0, y1 - y),
        }
    }

    #[test]
    fn the_stamp_lands_upright_at_the_given_corner_whatever_the_rotation() {
        let (w, h) = (198.425, 99.213);
        for rotate in [0, 90, 180, 270] {
            let b = PageBox { rect: [10.0, 20.0, 605.0, 862.0], rotate };
            let m = b.matrix(50.0, 30.0, h);
            // The stamp's top-left corner (0, h in its own space) is at (50, 30) as displayed,
            // its top-right corner 198 pt to the right of it, its bottom-left below it.
            let tl = displayed(&b, apply(m, 0.0, h).0, apply(m, 0.0, h).1);
            let tr = displayed(&b, apply(m, w, h).0, apply(m, w, h).1);
            let bl = displayed(&b, apply(m, 0.0, 0.0).0, apply(m, 0.0, 0.0).1);
            let close = |a: (f32, f32), b: (f32, f32)| (a.0 - b.0).abs() < 0.01 && (a.1 - b.1).abs() < 0.01;
            assert!(close(tl, (50.0, 30.0)), "rotate {rotate}: top-left at {tl:?}");
            assert!(close(tr, (50.0 + w, 30.0)), "rotate {rotate}: top-right at {tr:?}");
            assert!(close(bl, (50.0, 30.0 + h)), "rotate {rotate}: bottom-left at {bl:?}");
        }
    }

    #[test]
    fn numbers_in_content_streams() {
        assert_eq!(real(1.0), "1");
        assert_eq!(real(-0.0), "0");
        assert_eq!(real(340.157_48), "340.1575");
    }

    #[test]
    fn not_a_pdf() {
        assert_eq!(
            place(b"hello", b"", Placement { page: 1, x: Mm(0.0), y: Mm(0.0) }),
            Err(OntoError::NotPdf)
        );
    }
}
