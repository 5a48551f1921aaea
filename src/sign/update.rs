//! Reading only what a signature's incremental update needs, and writing the update.
//!
//! Signing changes three objects (the catalog, the last page, and adds the signature's
//! objects); reading the whole document with lopdf to find them cost more than everything
//! else a signature does. [`Source`] reads the `startxref` pointer, the cross-reference
//! tables along their `/Prev` chain and the trailer, and parses an object only when it is
//! asked for, with lopdf's own object parser (reached through [`ObjectStream`]: the bytes of
//! one object, behind an index that names it, are an object stream of one member).
//!
//! It reads classic cross-reference tables only. A file with cross-reference streams (or a
//! hybrid one), an encrypted file, or one whose table does not point at the objects it names
//! is left to the full lopdf parse ([`Source::read`] or an object lookup fails, and
//! [`super::pdf`] falls back).

use std::collections::HashMap;
use std::io::Write;

use lopdf::xref::{XrefEntry, XrefSection};
use lopdf::{Dictionary, Object, ObjectId, ObjectStream, Stream, Writer};
use memchr::memmem;

use crate::onto::Objects;

/// How many cross-reference sections are followed along `/Prev`.
const MAX_SECTIONS: usize = 64;

/// A PDF whose objects are parsed when they are asked for.
#[derive(Debug)]
pub(super) struct Source<'a> {
    pdf: &'a [u8],
    /// The offset of the newest cross-reference section (the `/Prev` of the update).
    pub xref_start: usize,
    /// The newest trailer.
    trailer: Dictionary,
    /// Object number → (offset, generation), the newest section's entry winning; `None` for
    /// an object a newer section frees.
    offsets: HashMap<u32, Option<(usize, u16)>>,
    /// Every object offset and section start, sorted: an object ends before the next one.
    bounds: Vec<usize>,
}

impl<'a> Source<'a> {
    /// Reads the cross-reference tables and the trailer; `None` when the file is not one this
    /// reader handles (see the module documentation).
    pub fn read(pdf: &'a [u8]) -> Option<Source<'a>> {
        memmem::find(&pdf[..pdf.len().min(1024)], b"%PDF-")?;
        let tail_start = pdf.len().saturating_sub(1024);
        let at = tail_start + memmem::rfind(&pdf[tail_start..], b"startxref")? + b"startxref".len();
        let xref_start = number(pdf, skip_space(pdf, at))?.0;
        let mut source = Source {
            pdf,
            xref_start,
            trailer: Dictionary::new(),
            offsets: HashMap::new(),
            bounds: Vec::new(),
        };
        let mut next = Some(xref_start);
        let mut seen = Vec::new();
        while let Some(start) = next {
            if seen.contains(&start) || seen.len() >= MAX_SECTIONS {
                return None;
            }
            seen.push(start);
            let trailer = source.section(start)?;
            if trailer.has(b"XRefStm") || trailer.has(b"Encrypt") {
                return None;
            }
            next = match trailer.get(b"Prev") {
                Ok(prev) => Some(usize::try_from(prev.as_i64().ok()?).ok()?),
                Err(_) => None,
            };
            if seen.len() == 1 {
                source.trailer = trailer;
            }
        }
        source.bounds.extend(seen);
        source.bounds.sort_unstable();
        source.bounds.dedup();
        Some(source)
    }

    /// Reads the cross-reference table at `start` (older entries do not replace newer ones)
    /// and returns its trailer.
    fn section(&mut self, start: usize) -> Option<Dictionary> {
        let pdf = self.pdf;
        let mut at = skip_space(pdf, start);
        if !pdf.get(at..)?.starts_with(b"xref") {
            return None;
        }
        at += 4;
        loop {
            at = skip_space(pdf, at);
            if pdf.get(at..)?.starts_with(b"trailer") {
                at += b"trailer".len();
                break;
            }
            let (first, after) = number(pdf, at)?;
            let (count, after) = number(pdf, skip_space(pdf, after))?;
            at = after;
            for id in first..first.checked_add(count)? {
                let (offset, after) = number(pdf, skip_space(pdf, at))?;
                let (generation, after) = number(pdf, skip_space(pdf, after))?;
                let kind_at = skip_space(pdf, after);
                let kind = *pdf.get(kind_at)?;
                at = kind_at + 1;
                let id = u32::try_from(id).ok()?;
                let entry = match kind {
                    b'n' => Some((offset, u16::try_from(generation).ok()?)),
                    b'f' => None,
                    _ => return None,
                };
                if let Some((offset, _)) = entry {
                    self.bounds.push(offset);
                }
                self.offsets.entry(id).or_insert(entry);
            }
        }
        let end = memmem::find(&pdf[at..], b"startxref").map_or(pdf.len(), |n| at + n);
        match parse(&pdf[at..end])? {
            Object::Dictionary(trailer) => Some(trailer),
            _ => None,
        }
    }

    /// The number one higher than every object number in use.
    pub fn size(&self) -> u32 {
        let listed = self.offsets.keys().max().map_or(0, |m| m + 1);
        let declared = self.trailer.get(b"Size").and_then(Object::as_i64).ok();
        declared.and_then(|s| u32::try_from(s).ok()).unwrap_or(0).max(listed)
    }
}

impl Objects for Source<'_> {
    fn trailer(&self) -> &Dictionary {
        &self.trailer
    }

    fn object(&self, id: ObjectId) -> Option<Object> {
        let (offset, generation) = (*self.offsets.get(&id.0)?)?;
        if generation != id.1 {
            return None;
        }
        // `N G obj`, with the number and generation the table says.
        let pdf = self.pdf;
        let (n, at) = number(pdf, skip_space(pdf, offset))?;
        let (g, at) = number(pdf, skip_space(pdf, at))?;
        let at = skip_space(pdf, at);
        if n != id.0 as usize || g != usize::from(generation) || !pdf.get(at..)?.starts_with(b"obj") {
            return None;
        }
        let end = match self.bounds.binary_search(&offset) {
            Ok(i) => self.bounds.get(i + 1).copied().unwrap_or(pdf.len()),
            Err(_) => pdf.len(),
        };
        parse(pdf.get(at + 3..end)?)
    }
}

/// Parses the object at the start of `bytes` with lopdf's parser: as the one member of an
/// object stream (its index `1 0` says: object 1 at offset 0). A stream object gives its
/// dictionary.
fn parse(bytes: &[u8]) -> Option<Object> {
    const INDEX: &[u8] = b"1 0 ";
    let mut content = Vec::with_capacity(INDEX.len() + bytes.len());
    content.extend_from_slice(INDEX);
    content.extend_from_slice(bytes);
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"ObjStm".to_vec()));
    dict.set("N", 1);
    dict.set("First", INDEX.len() as i64);
    let stream = Stream::new(dict, content);
    ObjectStream::new(&stream).ok()?.objects.remove(&(1, 0))
}

/// Skips white space and comments.
fn skip_space(pdf: &[u8], mut at: usize) -> usize {
    while let Some(&c) = pdf.get(at) {
        match c {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0' => at += 1,
            b'%' => {
                while pdf.get(at).is_some_and(|&c| c != b'\n' && c != b'\r') {
                    at += 1;
                }
            }
            _ => break,
        }
    }
    at
}

/// A non-negative integer at `at` and the offset after it.
fn number(pdf: &[u8], at: usize) -> Option<(usize, usize)> {
    let digits = pdf.get(at..)?.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let text = std::str::from_utf8(&pdf[at..at + digits]).ok()?;
    Some((text.parse().ok()?, at + digits))
}

/// Writes `pdf` followed by an update with `objects` (new and changed), a cross-reference
/// table and a trailer with `/Prev`.
pub(super) fn write(
    pdf: &[u8],
    source: &Source<'_>,
    mut objects: Vec<(ObjectId, Object)>,
    extra: usize,
) -> lopdf::Result<Vec<u8>> {
    objects.sort_by_key(|(id, _)| *id);
    let mut out = Vec::with_capacity(pdf.len() + extra + 4096);
    out.extend_from_slice(pdf);
    if !pdf.ends_with(b"\n") && !pdf.ends_with(b"\r") {
        out.push(b'\n');
    }
    let mut written = Vec::with_capacity(objects.len());
    for (id, object) in &objects {
        written.push((*id, out.len()));
        writeln!(out, "{} {} obj", id.0, id.1)?;
        Writer::write_object(&mut out, object)?;
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref_at = out.len();
    out.extend_from_slice(b"xref\n");
    let mut section = XrefSection::new(0);
    section.add_unusable_free_entry();
    for (id, offset) in written {
        let next = section.starting_id + section.entries.len() as u32;
        if id.0 != next {
            section.write_xref_section(&mut out)?;
            section = XrefSection::new(id.0);
        }
        let offset = u32::try_from(offset).map_err(|e| lopdf::Error::NumericCast(e.to_string()))?;
        section.add_entry(XrefEntry::Normal { offset, generation: id.1 });
    }
    section.write_xref_section(&mut out)?;
    let size = objects.iter().map(|(id, _)| id.0 + 1).max().unwrap_or(0).max(source.size());
    let mut trailer = Dictionary::new();
    trailer.set("Size", i64::from(size));
    for key in [b"Root".as_slice(), b"Info", b"ID"] {
        if let Ok(value) = source.trailer.get(key) {
            trailer.set(key, value.clone());
        }
    }
    trailer.set("Prev", source.xref_start as i64);
    out.extend_from_slice(b"trailer\n");
    Writer::write_object(&mut out, &Object::Dictionary(trailer))?;
    write!(out, "\nstartxref\n{xref_at}\n%%EOF\n")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lopdf-written file: every object the table lists reads as lopdf's full parse reads it.
    #[test]
    fn objects_read_as_the_full_parse_reads_them() {
        let pdf = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/act.pdf")).expect("act");
        let source = Source::read(&pdf).expect("a classic table");
        let doc = lopdf::Document::load_mem(&pdf).expect("parsed");
        assert_eq!(Objects::trailer(&source).get(b"Root").ok(), doc.trailer.get(b"Root").ok());
        let mut compared = 0;
        for (id, object) in &doc.objects {
            let expected = match object {
                Object::Stream(s) => Object::Dictionary(s.dict.clone()),
                other => other.clone(),
            };
            assert_eq!(source.object(*id), Some(expected), "object {id:?}");
            compared += 1;
        }
        assert!(compared > 10, "{compared} objects");
        assert_eq!(source.size() as usize, doc.max_id as usize + 1);
    }

    #[test]
    fn a_file_with_a_cross_reference_stream_is_left_to_the_full_parse() {
        let pdf = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/act.pdf")).expect("act");
        let mut doc = lopdf::Document::load_mem(&pdf).expect("parsed");
        let mut modern = Vec::new();
        doc.save_modern(&mut modern).expect("written with a cross-reference stream");
        assert!(Source::read(&modern).is_none());
    }

    #[test]
    fn a_table_that_points_elsewhere_gives_no_object() {
        let pdf = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/act.pdf")).expect("act");
        let source = Source::read(&pdf).expect("a classic table");
        let root = Objects::trailer(&source).get(b"Root").and_then(Object::as_reference).expect("root");
        assert!(source.object(root).is_some());
        assert_eq!(source.object((root.0, root.1 + 1)), None, "another generation");
        let mut moved = source;
        moved.offsets.insert(root.0, Some((10, root.1)));
        assert_eq!(moved.object(root), None);
    }
}
