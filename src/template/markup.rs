//! The markup templates write, read into layout blocks.
//!
//! It is a small XML vocabulary: the template says *what* is on the form; layout decides
//! where. Lengths are written as `12pt` or `4mm` (a bare number is points).
//!
//! ```xml
//! <document title="…" paper="A4" orientation="portrait" margins="20mm 15mm 20mm 30mm"
//!           size="12" footer="{total} беттің {page}-беті">
//!   <column width="80mm" align="right"><p size="10">Қазақстан Республикасы</p></column>
//!   <p align="center" bold="true" space-before="6mm">Title <b>bold part</b><br/>next line</p>
//!   <p page-total="true">{total} {total:лист|листа|листов}</p>  <!-- the section's page count -->
//!   <fill><label>Орындаушы:</label><blank width="35mm" caption="(қолы)"/>
//!         <blank grow="1" caption="(тегі, аты, әкесінің аты)">Value</blank></fill>
//!   <table widths="2 3 3" size="9"><tr header="true"><td align="center">…</td></tr>
//!          <tr><td colspan="3">—</td></tr></table>
//!   <checkbox checked="true">text</checkbox>
//!   <rule/> <space height="4mm"/> <keep>…</keep> <pagebreak/>
//!   <running>…</running>  <!-- blocks at the foot of every page; the body gives up their height -->
//!   <qr-row columns="7" module="0.4mm"><qr>text of a code</qr>…</qr-row>
//!   <frame border="1pt" double="1.5pt" padding="2mm" height="35mm" center="true">…</frame>
//! </document>
//! ```

use roxmltree::{Document as Xml, Node};

use crate::diag::Diagnostic;
use crate::domain::Lang;
use crate::fonts::FontStyle;
use crate::layout::{
    Align, Blank, Block, Cell, Checkbox, Column, FillLine, FillPart, Frame, Inline, Margins, Mm, Paragraph,
    Pt, QrRow, Row, Section, Size, Table, VAlign,
};

/// Reads rendered markup into a section. `name` is the template's name, for messages.
pub fn parse(markup: &str, name: &str, lang: Lang) -> Result<Section, Diagnostic> {
    let xml = Xml::parse(markup).map_err(|e| problem(name, None, &e.to_string()))?;
    let root = xml.root_element();
    let p = Parser { name, xml: &xml };
    // Attributes of the known elements; an unknown element is reported where it is read.
    for node in root.descendants().filter(Node::is_element) {
        let Some(known) = super::vocabulary::attributes(node.tag_name().name()) else { continue };
        if let Some(attr) = node.attributes().find(|a| !known.contains(&a.name())) {
            let at = problem(
                name,
                Some(xml.text_pos_at(attr.range().start)),
                &format!("unknown attribute \"{}\" of <{}>", attr.name(), node.tag_name().name()),
            );
            return Err(at);
        }
    }
    if root.tag_name().name() != "document" {
        return Err(p.error(root, "the root element must be <document>"));
    }
    let size = p.length(root, "size")?.unwrap_or(Pt(12.0));
    let page = p.page(root)?;
    let margins = match root.attribute("margins") {
        Some(m) => p.margins(root, m)?,
        None => Margins {
            top: Mm(20.0).into(),
            right: Mm(15.0).into(),
            bottom: Mm(20.0).into(),
            left: Mm(30.0).into(),
        },
    };
    let blocks = p.blocks(root)?;
    Ok(Section {
        lang,
        title: root.attribute("title").unwrap_or_default().to_owned(),
        page,
        margins,
        font_size: size,
        footer: root.attribute("footer").filter(|f| !f.is_empty()).map(str::to_owned),
        blocks,
    })
}

fn problem(name: &str, pos: Option<roxmltree::TextPos>, message: &str) -> Diagnostic {
    let at = pos.map(|p| format!(":{}:{}", p.row, p.col)).unwrap_or_default();
    Diagnostic::plain(format!("failed to read the markup of template {name}{at} ({message})"))
}

struct Parser<'a, 'i> {
    name: &'a str,
    xml: &'a Xml<'i>,
}

impl Parser<'_, '_> {
    fn error(&self, node: Node<'_, '_>, message: &str) -> Diagnostic {
        problem(self.name, Some(self.xml.text_pos_at(node.range().start)), message)
    }

    fn page(&self, root: Node<'_, '_>) -> Result<Size, Diagnostic> {
        let base = match root.attribute("paper").unwrap_or("A4") {
            "A4" => Size::a4(),
            "A3" => Size::a3(),
            "custom" => Size {
                width: self
                    .length(root, "width")?
                    .ok_or_else(|| self.error(root, "custom paper needs a width"))?,
                height: self
                    .length(root, "height")?
                    .ok_or_else(|| self.error(root, "custom paper needs a height"))?,
            },
            other => {
                return Err(
                    self.error(root, &format!("unknown paper \"{other}\" (expected A4, A3 or custom)"))
                );
            }
        };
        match root.attribute("orientation").unwrap_or("portrait") {
            "portrait" => Ok(base),
            "landscape" => Ok(base.landscape()),
            other => Err(self.error(root, &format!("unknown orientation \"{other}\""))),
        }
    }

    fn margins(&self, node: Node<'_, '_>, text: &str) -> Result<Margins, Diagnostic> {
        let values: Vec<Pt> = text
            .split_whitespace()
            .map(|t| parse_length(t).ok_or_else(|| self.error(node, "bad margins")))
            .collect::<Result<_, _>>()?;
        match values.as_slice() {
            [all] => Ok(Margins { top: *all, right: *all, bottom: *all, left: *all }),
            [top, right, bottom, left] => {
                Ok(Margins { top: *top, right: *right, bottom: *bottom, left: *left })
            }
            _ => Err(self.error(node, "margins take one or four lengths (top right bottom left)")),
        }
    }

    fn length(&self, node: Node<'_, '_>, attr: &str) -> Result<Option<Pt>, Diagnostic> {
        match node.attribute(attr) {
            None => Ok(None),
            Some(t) => parse_length(t)
                .map(Some)
                .ok_or_else(|| self.error(node, &format!("{attr}=\"{t}\" is not a length like 12pt or 4mm"))),
        }
    }

    fn flag(&self, node: Node<'_, '_>, attr: &str) -> Result<bool, Diagnostic> {
        match node.attribute(attr) {
            None | Some("false") | Some("") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(self.error(node, &format!("{attr}=\"{other}\" must be true or false"))),
        }
    }

    fn align(&self, node: Node<'_, '_>) -> Result<Align, Diagnostic> {
        match node.attribute("align") {
            None | Some("left") => Ok(Align::Left),
            Some("center") => Ok(Align::Center),
            Some("right") => Ok(Align::Right),
            Some("justify") => Ok(Align::Justify),
            Some(other) => Err(self.error(node, &format!("unknown alignment \"{other}\""))),
        }
    }

    fn blocks(&self, parent: Node<'_, '_>) -> Result<Vec<Block>, Diagnostic> {
        let mut blocks = Vec::new();
        for child in parent.children() {
            if child.is_text() {
                if child.text().is_some_and(|t| !t.trim().is_empty()) {
                    return Err(self.error(child, "text must be inside an element such as <p>"));
                }
                continue;
            }
            if !child.is_element() {
                continue;
            }
            blocks.push(self.block(child)?);
        }
        Ok(blocks)
    }

    fn block(&self, node: Node<'_, '_>) -> Result<Block, Diagnostic> {
        Ok(match node.tag_name().name() {
            "p" => Block::Paragraph(Paragraph {
                inlines: self.inlines(node, self.base_style(node)?)?,
                align: self.align(node)?,
                size: self.length(node, "size")?,
                indent: self.length(node, "indent")?.unwrap_or_default(),
                left: self.length(node, "left")?.unwrap_or_default(),
                space_before: self.length(node, "space-before")?.unwrap_or_default(),
                space_after: self.length(node, "space-after")?.unwrap_or_default(),
                keep_with_next: self.flag(node, "keep-with-next")?,
                page_total: self.flag(node, "page-total")?,
            }),
            "column" => Block::Column(Column {
                width: self
                    .length(node, "width")?
                    .ok_or_else(|| self.error(node, "<column> needs a width"))?,
                align: self.align(node)?,
                blocks: self.blocks(node)?,
            }),
            "fill" => Block::Fill(self.fill(node)?),
            "table" => Block::Table(self.table(node)?),
            "checkbox" => Block::Checkbox(Checkbox {
                checked: self.flag(node, "checked")?,
                inlines: self.inlines(node, self.base_style(node)?)?,
                size: self.length(node, "size")?,
            }),
            "rule" => Block::Rule(self.length(node, "width")?.unwrap_or(Pt(0.5))),
            "space" => Block::Space(self.length(node, "height")?.unwrap_or(Pt(6.0))),
            "keep" if self.flag(node, "with-previous")? => Block::KeepWithPrevious(self.blocks(node)?),
            "keep" => Block::Keep(self.blocks(node)?),
            "pagebreak" => Block::PageBreak,
            "running" => Block::Footer(self.blocks(node)?),
            "qr-row" => Block::QrRow(QrRow {
                codes: node
                    .children()
                    .filter(|n| n.is_element())
                    .map(|n| match n.tag_name().name() {
                        "qr" => Ok(n.text().unwrap_or_default().to_owned()),
                        other => Err(self.error(n, &format!("<qr-row> holds <qr> elements, not <{other}>"))),
                    })
                    .collect::<Result<_, _>>()?,
                columns: match node.attribute("columns") {
                    Some(c) => c.parse().map_err(|_| self.error(node, "columns must be a whole number"))?,
                    None => 7,
                },
                module: match self.length(node, "module")? {
                    Some(m) if m < Pt::from(Mm(0.4)) => {
                        return Err(self.error(
                            node,
                            "a qr module must be at least 0.4mm, so that a printed page scans",
                        ));
                    }
                    m => m.unwrap_or(Mm(0.4).into()),
                },
            }),
            "frame" => Block::Frame(Frame {
                border: self.length(node, "border")?.unwrap_or(Pt(1.0)),
                double: self.length(node, "double")?,
                padding: self.length(node, "padding")?.unwrap_or(Pt(4.0)),
                blocks: self.blocks(node)?,
                height: self.length(node, "height")?,
                center: self.flag(node, "center")?,
            }),
            other => return Err(self.error(node, &format!("unknown element <{other}>"))),
        })
    }

    fn base_style(&self, node: Node<'_, '_>) -> Result<FontStyle, Diagnostic> {
        Ok(if self.flag(node, "bold")? {
            FontStyle::Bold
        } else if self.flag(node, "italic")? {
            FontStyle::Italic
        } else {
            FontStyle::Regular
        })
    }

    fn inlines(&self, node: Node<'_, '_>, style: FontStyle) -> Result<Vec<Inline>, Diagnostic> {
        let mut out = Vec::new();
        self.collect_inlines(node, style, &mut out)?;
        Ok(out)
    }

    fn collect_inlines(
        &self,
        node: Node<'_, '_>,
        style: FontStyle,
        out: &mut Vec<Inline>,
    ) -> Result<(), Diagnostic> {
        for child in node.children() {
            if let Some(text) = child.text().filter(|_| child.is_text()) {
                out.push(Inline::Text(text.to_owned(), style));
            } else if child.is_element() {
                match child.tag_name().name() {
                    "b" => self.collect_inlines(child, FontStyle::Bold, out)?,
                    "i" => self.collect_inlines(child, FontStyle::Italic, out)?,
                    "br" => out.push(Inline::LineBreak),
                    "nobreak" => {
                        let mut inner = Vec::new();
                        self.collect_inlines(child, style, &mut inner)?;
                        out.extend(inner.into_iter().map(|inline| match inline {
                            Inline::Text(text, style) => Inline::NoBreak(text, style),
                            other => other,
                        }));
                    }
                    other => return Err(self.error(child, &format!("<{other}> cannot stand inside text"))),
                }
            }
        }
        Ok(())
    }

    fn fill(&self, node: Node<'_, '_>) -> Result<FillLine, Diagnostic> {
        let mut parts = Vec::new();
        for child in node.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "label" => {
                    let inlines = self.inlines(child, self.base_style(child)?)?;
                    parts.push(match self.length(child, "width")? {
                        Some(width) => FillPart::WrappedLabel { inlines, width },
                        None => FillPart::Label(inlines),
                    });
                }
                "blank" => parts.push(FillPart::Blank(Blank {
                    width: self.length(child, "width")?,
                    grow: match child.attribute("grow") {
                        Some(g) => g.parse().map_err(|_| self.error(child, "grow must be a number"))?,
                        None => 1.0,
                    },
                    value: self.inlines(child, self.base_style(child)?)?,
                    align: match child.attribute("align") {
                        Some(_) => self.align(child)?,
                        None => Align::Center,
                    },
                    caption: child.attribute("caption").filter(|c| !c.is_empty()).map(str::to_owned),
                })),
                other => {
                    return Err(
                        self.error(child, &format!("<fill> takes <label> and <blank>, not <{other}>"))
                    );
                }
            }
        }
        Ok(FillLine {
            parts,
            size: self.length(node, "size")?,
            space_before: self.length(node, "space-before")?.unwrap_or_default(),
            keep_with_next: self.flag(node, "keep-with-next")?,
        })
    }

    fn table(&self, node: Node<'_, '_>) -> Result<Table, Diagnostic> {
        let widths = match node.attribute("widths") {
            Some(w) => w
                .split_whitespace()
                .map(|x| x.parse::<f32>().map_err(|_| self.error(node, "widths must be numbers")))
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        let mut rows = Vec::new();
        for tr in node.children().filter(Node::is_element) {
            if tr.tag_name().name() != "tr" {
                return Err(self.error(tr, "<table> takes <tr> rows"));
            }
            let header = self.flag(tr, "header")?;
            let mut cells = Vec::new();
            for td in tr.children().filter(Node::is_element) {
                if td.tag_name().name() != "td" {
                    return Err(self.error(td, "<tr> takes <td> cells"));
                }
                let style = self.base_style(td)?;
                cells.push(Cell {
                    inlines: self.inlines(td, style)?,
                    colspan: match td.attribute("colspan") {
                        Some(c) => c.parse().map_err(|_| self.error(td, "colspan must be a whole number"))?,
                        None => 1,
                    },
                    align: match td.attribute("align") {
                        Some(_) => self.align(td)?,
                        None if header => Align::Center,
                        None => Align::Left,
                    },
                    valign: match td.attribute("valign") {
                        Some("middle") => VAlign::Middle,
                        Some("top") => VAlign::Top,
                        None if header => VAlign::Middle,
                        None => VAlign::Top,
                        Some(other) => return Err(self.error(td, &format!("unknown valign \"{other}\""))),
                    },
                });
            }
            rows.push(Row { header, cells });
        }
        Ok(Table {
            widths,
            size: self.length(node, "size")?,
            borders: node.attribute("borders") != Some("false"),
            rows,
            space_before: self.length(node, "space-before")?.unwrap_or_default(),
        })
    }
}

/// `12pt`, `4mm`, `12` (points).
fn parse_length(text: &str) -> Option<Pt> {
    let t = text.trim();
    if let Some(mm) = t.strip_suffix("mm") {
        return mm.trim().parse::<f32>().ok().filter(|v| v.is_finite()).map(|v| Mm(v).into());
    }
    let pt = t.strip_suffix("pt").unwrap_or(t);
    pt.trim().parse::<f32>().ok().filter(|v| v.is_finite()).map(Pt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_in_points_and_millimetres() {
        assert_eq!(parse_length("12pt"), Some(Pt(12.0)));
        assert_eq!(parse_length("12"), Some(Pt(12.0)));
        let mm: Pt = Mm(25.4).into();
        assert_eq!(parse_length("25.4mm"), Some(mm));
        assert_eq!(parse_length("wide"), None);
    }

    #[test]
    fn reads_blocks_and_inline_styles() {
        let section = parse(
            r#"<document title="T" footer="{page}/{total}"><p align="center">а <b>ә</b><br/>б</p>
               <table widths="1 2"><tr header="true"><td>Х</td><td>Y</td></tr></table></document>"#,
            "t",
            Lang::Kk,
        )
        .expect("valid markup");
        assert_eq!(section.footer.as_deref(), Some("{page}/{total}"));
        assert_eq!(section.blocks.len(), 2);
        match &section.blocks[0] {
            Block::Paragraph(p) => {
                assert_eq!(p.align, Align::Center);
                assert_eq!(p.inlines[1], Inline::Text("ә".into(), FontStyle::Bold));
                assert_eq!(p.inlines[2], Inline::LineBreak);
            }
            other => panic!("expected a paragraph, got {other:?}"),
        }
    }

    #[test]
    fn nobreak_text_and_a_keep_with_the_previous_block() {
        let section = parse(
            r#"<document><p>№ <nobreak>20:311:011 <b>107:1</b></nobreak></p>
               <keep with-previous="true"><p>x</p></keep><keep><p>y</p></keep></document>"#,
            "t",
            Lang::Kk,
        )
        .expect("valid markup");
        let Block::Paragraph(p) = &section.blocks[0] else { panic!("expected a paragraph") };
        assert_eq!(
            p.inlines[1..],
            [
                Inline::NoBreak("20:311:011 ".into(), FontStyle::Regular),
                Inline::NoBreak("107:1".into(), FontStyle::Bold)
            ]
        );
        assert!(matches!(section.blocks[1], Block::KeepWithPrevious(_)));
        assert!(matches!(section.blocks[2], Block::Keep(_)));
    }

    #[test]
    fn a_qr_row_reads_its_codes_and_refuses_modules_under_0_4_mm() {
        let section = parse(
            "<document><running><qr-row columns=\"7\" module=\"0.5mm\"><qr>AQ1 1/2 x\na</qr><qr>b</qr></qr-row></running></document>",
            "t",
            Lang::Kk,
        )
        .expect("valid markup");
        let Block::Footer(blocks) = &section.blocks[0] else { panic!("expected a footer") };
        let Block::QrRow(row) = &blocks[0] else { panic!("expected a qr row") };
        assert_eq!(row.codes, ["AQ1 1/2 x\na", "b"]);
        assert_eq!((row.columns, row.module), (7, Mm(0.5).into()));
        let small =
            parse(r#"<document><qr-row module="0.3mm"><qr>a</qr></qr-row></document>"#, "t", Lang::Kk);
        assert_eq!(
            small.expect_err("too small").message,
            "failed to read the markup of template t:1:11 (a qr module must be at least 0.4mm, so that a printed page scans)"
        );
    }

    #[test]
    fn a_label_with_a_width_wraps_in_it() {
        let section = parse(
            r#"<document><fill><label width="20mm">а ә б</label><blank/><label>в</label></fill></document>"#,
            "t",
            Lang::Kk,
        )
        .expect("valid markup");
        let Block::Fill(fill) = &section.blocks[0] else { panic!("expected a fill line") };
        match &fill.parts[0] {
            FillPart::WrappedLabel { width, .. } => assert_eq!(*width, Pt::from(Mm(20.0))),
            other => panic!("expected a wrapped label, got {other:?}"),
        }
        assert!(matches!(fill.parts[2], FillPart::Label(_)));
    }

    #[test]
    fn an_unknown_attribute_names_the_template_and_position() {
        let markup = "<document>\n<p size=\"10\" algin=\"center\">x</p></document>";
        let err = parse(markup, "forms/x/form.xml", Lang::Kk).expect_err("unknown attribute");
        assert_eq!(
            err.message,
            "failed to read the markup of template forms/x/form.xml:2:14 (unknown attribute \"algin\" of <p>)"
        );
    }

    #[test]
    fn unknown_element_names_the_template_and_position() {
        let err = parse("<document>\n  <para/></document>", "forms/x/form.xml", Lang::Kk).unwrap_err();
        assert_eq!(
            err.message,
            "failed to read the markup of template forms/x/form.xml:2:3 (unknown element <para>)"
        );
    }
}
