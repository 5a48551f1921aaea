#!/usr/bin/env python3
"""Makes the bundled faces from Liberation Serif 2.1.5: the same outlines, metrics, kerning and
tables, without TrueType hinting instructions, renamed as the SIL OFL 1.1 requires of a
Modified Version ("Liberation", "Tinos" are Reserved Font Names).

Why: krilla embeds a subset of each face in every PDF and compresses it; the hinting
instructions were more than half of a subset (a one-page certificate: 25 + 14 KB of font
data, 11 + 6 KB without them). PDF renderers draw text unhinted (poppler draws the same
pixels with and without them), so nothing visible is lost; see the README's Performance
section for the figures.

    python3 -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools==4.68.0
    apt-get download fonts-liberation2 && dpkg -x fonts-liberation2_*.deb /tmp/lib2
    /tmp/ft/bin/python fonts/dehint.py /tmp/lib2/usr/share/fonts/truetype/liberation2 fonts

The output is reproducible: the same inputs and fontTools give the same bytes (checked
against the SHA-256 sums in fonts/README.md).
"""

import sys
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import ttProgram

FAMILY = "Anyqtama Serif"
POSTSCRIPT = "AnyqtamaSerif"
STYLES = {"Regular": "", "Bold": " Bold", "Italic": " Italic"}
HINTING_TABLES = ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX")


def dehint(source: Path, target: Path, style: str) -> None:
    # The modification time stays the upstream one, so that the output is reproducible.
    font = TTFont(source, recalcTimestamp=False)
    for tag in HINTING_TABLES:
        if tag in font:
            del font[tag]
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        if hasattr(glyph, "program"):
            glyph.program = ttProgram.Program()
            glyph.program.fromBytecode(b"")
    maxp = font["maxp"]
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, field, 0)
    # No grid-fitting to ask for; smoothing at every size.
    font["gasp"].gaspRange = {0xFFFF: 0x0002}
    # Bit 4: instructions may alter advance widths. There are none.
    font["head"].flags &= ~(1 << 4)
    full = FAMILY + STYLES[style]
    postscript = POSTSCRIPT if style == "Regular" else f"{POSTSCRIPT}-{style}"
    name = font["name"]
    for record in list(name.names):
        text = record.toUnicode()
        if record.nameID == 1:
            name.setName(FAMILY, 1, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 3:
            name.setName(f"{full} 2.1.5", 3, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 4:
            name.setName(full, 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 5:
            name.setName(f"{text}; hinting removed for Anyqtama", 5, record.platformID,
                         record.platEncID, record.langID)
        elif record.nameID == 6:
            name.setName(postscript, 6, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 7:
            # The trademark notice is for "Liberation", which this face is no longer called.
            name.removeNames(nameID=7, platformID=record.platformID, langID=record.langID)
        elif record.nameID == 10:
            name.setName(f"Liberation Serif 2.1.5 without TrueType hinting instructions, "
                         f"renamed per the SIL OFL 1.1. {text}", 10, record.platformID,
                         record.platEncID, record.langID)
    font.save(target, reorderTables=True)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: dehint.py LIBERATION2_DIR OUT_DIR")
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    for style in STYLES:
        target = out / f"{POSTSCRIPT}-{style}.ttf"
        dehint(source / f"LiberationSerif-{style}.ttf", target, style)
        print(target)


if __name__ == "__main__":
    main()
