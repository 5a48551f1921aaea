#!/usr/bin/env bash
# The QR codes of the electronic edition read by an independent decoder: renders the sample
# certificate with --electronic and --verify-url, rasterises its first page with poppler's
# pdftoppm at 150 dpi, decodes every code with Debian's zbarimg (ZBar), puts the parts back
# together (docs/qr-payload.md) and compares the payload with the case: form, number, issue
# date and time, IIN, cadastral number, the SHA-256 of the case's canonical JSON (computed
# here by Python) and the verification address.
# Called by .ci/run; runs alone too (as root, for apt-get): bash .ci/qr.sh
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== QR codes decoded by zbarimg from a pdftoppm page (.ci/qr.sh)"

need_apt=()
command -v zbarimg >/dev/null 2>&1 || need_apt+=(zbar-tools)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
if ((${#need_apt[@]})); then
  echo "== installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
case=samples/rights-certificate-individual.json
cargo run --quiet -- render --electronic --verify-url 'https://check.example.kz/d/{id}' "$case" -o "$out/cert.pdf"
pdftoppm -r 150 -f 1 -l 1 -png "$out/cert.pdf" "$out/page"
# zbarimg complains about D-Bus on machines without one; its errors are shown only when it fails.
zbarimg --quiet --xml "$out"/page-*1.png >"$out/codes.xml" 2>"$out/zbarimg.err" || { cat "$out/zbarimg.err" >&2; exit 1; }
python3 - "$case" "$out/codes.xml" <<'PY'
import hashlib, json, re, sys, uuid
import xml.etree.ElementTree as ET

case_path, xml_path = sys.argv[1], sys.argv[2]
root = ET.parse(xml_path).getroot()
codes = [e.text for e in root.iter() if e.tag.endswith("data")]
parts, ids, totals = {}, set(), set()
for code in codes:
    head, body = code.split("\n", 1)
    m = re.fullmatch(r"AQ1 (\d+)/(\d+) ([0-9a-f-]{36})", head)
    assert m, f"not an AQ1 part: {head!r}"
    parts[int(m[1])] = body
    totals.add(int(m[2]))
    ids.add(m[3])
assert len(ids) == 1 and len(totals) == 1, (ids, totals)
total, part_id = totals.pop(), ids.pop()
assert sorted(parts) == list(range(1, total + 1)), f"parts {sorted(parts)} of {total}"
payload = "".join(parts[i] for i in sorted(parts))

with open(case_path, encoding="utf-8") as f:
    case = json.load(f)
canonical = json.dumps(case, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
doc_id = str(uuid.uuid5(uuid.UUID("6b1f52c4-8d3a-4e57-9a0c-2f7e41d8b391"), canonical))
expected = "\n".join([
    "anyqtama-qr/1",
    f"id: {doc_id}",
    "form: rights-certificate",
    f"number: {case['number']}",
    "issued: 2021-07-20T10:32:15",
    f"iin: {case['holder']['iin']}",
    "cadastral: 21:320:105:078:15",
    f"sha256: {sha}",
    f"verify: https://check.example.kz/d/{doc_id}",
])
assert part_id == doc_id, f"parts name {part_id}, the case gives {doc_id}"
assert payload == expected, f"zbarimg read:\n{payload}\nexpected:\n{expected}"
print(f"{total} QR codes read by zbarimg, payload matches the case (id {doc_id})")
PY
