#!/usr/bin/env bash
# The bundled faces are what fonts/README.md says they are: Liberation Serif 2.1.5 as Debian
# ships it (fonts-liberation2 2.1.5-1, downloaded, not installed), put through fonts/dehint.py
# (fontTools 4.68.0 in a virtual environment) byte for byte; and, read back with fontTools,
# nothing but the hinting and the names differs from upstream: the same glyph order, character
# map, advance widths, outlines, kerning and layout tables.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== the bundled fonts against Liberation Serif 2.1.5 (.ci/fonts.sh)"

need_apt=()
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
if ((${#need_apt[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
download() { (cd "$work" && apt-get download -qq fonts-liberation2=2.1.5-1 2>/dev/null); }
download || { apt-get update -qq && download; }
dpkg -x "$work"/fonts-liberation2_*.deb "$work/deb"
upstream="$work/deb/usr/share/fonts/truetype/liberation2"
(cd "$upstream" && sha256sum --check --quiet) <<'SUMS'
29d12439831b7f59194efec85872f24f54eff05738933f9a860220d2abff88ba  LiberationSerif-Regular.ttf
446a4421f297698427170fd7db20e59169a4188baaaf940e9bea58af6341a723  LiberationSerif-Bold.ttf
c1830c433ab41379f1139fac388989d37c9f08c81e1bd643efdcc7946db30753  LiberationSerif-Italic.ttf
SUMS

venv="${FONTTOOLS_VENV:-target/fonttools-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import fontTools' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "fonttools==4.68.0"
fi
mkdir -p "$work/out"
"$venv/bin/python" fonts/dehint.py "$upstream" "$work/out" >/dev/null
for face in Regular Bold Italic; do
  cmp "$work/out/AnyqtamaSerif-$face.ttf" "fonts/AnyqtamaSerif-$face.ttf"
done
echo "fonts/dehint.py makes the committed faces byte for byte"

"$venv/bin/python" - "$upstream" fonts <<'PY'
import sys
from fontTools.ttLib import TTFont

upstream, ours = sys.argv[1], sys.argv[2]
SAME_TABLES = ("cmap", "hmtx", "hhea", "kern", "GPOS", "GSUB", "GDEF", "OS/2", "post", "loca")
for face in ("Regular", "Bold", "Italic"):
    a = TTFont(f"{upstream}/LiberationSerif-{face}.ttf")
    b = TTFont(f"{ours}/AnyqtamaSerif-{face}.ttf")
    assert a.getGlyphOrder() == b.getGlyphOrder(), face
    for tag in SAME_TABLES:
        if tag == "loca":
            continue  # glyph offsets shrink with the instructions; the outlines are compared below
        assert a[tag].compile(a) == b[tag].compile(b), f"{face}: table {tag} differs"
    for tag in ("fpgm", "prep", "cvt "):
        assert tag not in b, f"{face}: {tag} is still there"
    ga, gb = a["glyf"], b["glyf"]
    for name in a.getGlyphOrder():
        x, y = ga[name], gb[name]
        assert x.numberOfContours == y.numberOfContours, (face, name)
        if x.isComposite():
            assert [(c.glyphName, c.x, c.y, c.flags & ~0x0100) for c in x.components] == [
                (c.glyphName, c.x, c.y, c.flags & ~0x0100) for c in y.components
            ], (face, name)
        elif x.numberOfContours > 0:
            assert list(x.coordinates) == list(y.coordinates), (face, name)
            assert list(x.endPtsOfContours) == list(y.endPtsOfContours), (face, name)
            assert [f & 1 for f in x.flags] == [f & 1 for f in y.flags], (face, name)
        assert not (hasattr(y, "program") and y.program.getBytecode()), (face, name, "instructions")
    names = [r.toUnicode() for r in b["name"].names if r.nameID in (1, 3, 4, 6, 16, 17)]
    assert names and not any("Liberation" in n or "Tinos" in n for n in names), names
    print(f"{face}: {len(a.getGlyphOrder())} glyphs, outlines, metrics, kerning and layout tables as upstream; no hinting; renamed")
PY
