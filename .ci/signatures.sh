#!/usr/bin/env bash
# Independent validators of Anyqtama's PAdES signatures: poppler's pdfsig and pyHanko.
# Makes a test CA and RSA-2048 / P-256 signers with openssl, signs the sample certificate
# (PKCS#12, modern and legacy) and a stamped act (external signer command, signature value or
# whole CMS structure), and requires
# pdfsig to say "Signature is Valid" and "Total document signed", and
# `pyhanko sign validate --trust CA` to judge each signature valid and trusted; the visible
# signature of the electronic edition (in the slot the layout keeps) is among them.
# Then a real GOST R 34.10-2012 (256-bit) signer, openssl with the gost engine (Debian's
# libengine-gost-openssl, installed here), signs through --sign-command-cms: verify-signature
# must say it checked the byte range but not the GOST signature (exit 2), and
# `openssl cms -verify -engine gost` must verify the CMS structure over the byte-ranged bytes.
# Called by .ci/run; runs alone too (as root, for apt-get): bash .ci/signatures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== PAdES signatures checked by pdfsig and pyHanko (.ci/signatures.sh)"

need_apt=()
command -v pdfsig >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
openssl engine gost >/dev/null 2>&1 || need_apt+=(libengine-gost-openssl)
if ((${#need_apt[@]})); then
  echo "== installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

venv="${PYHANKO_VENV:-target/pyhanko-venv}"
if [ ! -x "$venv/bin/pyhanko" ]; then
  echo "== installing pyHanko in $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pyhanko-cli>=0.6"
fi
"$venv/bin/pyhanko" --version

cargo build --quiet
bin="target/debug/anyqtama"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== test keys (made now; nothing is kept)"
export CI_P12_PASSWORD=ci-only
(
  cd "$work"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' >leaf.ext
  openssl ecparam -name prime256v1 -genkey -noout -out ca.key
  openssl req -x509 -new -key ca.key -subj "/CN=Anyqtama CI Test CA" -days 30 -out ca.crt 2>/dev/null
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key
  for k in rsa ec; do
    openssl req -new -key $k.key -subj "/CN=CI Signer $k" -out $k.csr
    openssl x509 -req -in $k.csr -CA ca.crt -CAkey ca.key -set_serial 0x$(openssl rand -hex 8) \
      -days 30 -extfile leaf.ext -out $k.crt 2>/dev/null
    openssl pkcs12 -export -inkey $k.key -in $k.crt -certfile ca.crt -passout env:CI_P12_PASSWORD -out $k.p12
    openssl pkcs12 -export -legacy -inkey $k.key -in $k.crt -certfile ca.crt -passout env:CI_P12_PASSWORD \
      -out $k-legacy.p12
    cat $k.crt ca.crt >$k-chain.pem
  done
)

echo "== signing"
signed=()
"$bin" render samples/rights-certificate-individual.yaml --electronic --sign "$work/ec.p12" \
  --sign-password-env CI_P12_PASSWORD --sign-visible -o "$work/cert-electronic-visible.pdf" >/dev/null
signed+=("$work/cert-electronic-visible.pdf")
for k in rsa ec; do
  for p12 in $k $k-legacy; do
    "$bin" render samples/rights-certificate-individual.yaml --sign "$work/$p12.p12" \
      --sign-password-env CI_P12_PASSWORD -o "$work/cert-$p12.pdf" >/dev/null
    signed+=("$work/cert-$p12.pdf")
  done
  "$bin" render samples/conclusion-order.yaml --sign "$work/$k.p12" --sign-password-env CI_P12_PASSWORD \
    --sign-visible -o "$work/conclusion-$k-visible.pdf" >/dev/null
  signed+=("$work/conclusion-$k-visible.pdf")
  "$bin" stamp --number 23516 --date 2021-07-14 --onto tests/fixtures/act.pdf --page 1 --at 120,230 \
    -o "$work/stamped.pdf" >/dev/null
  "$bin" sign "$work/stamped.pdf" --sign-with-command "openssl dgst -sha256 -sign $work/$k.key" \
    --cert "$work/$k-chain.pem" -o "$work/act-$k-command.pdf" >/dev/null
  signed+=("$work/act-$k-command.pdf")
  "$bin" sign "$work/stamped.pdf" --sign-command-cms --sign-with-command \
    "openssl cms -sign -binary -outform DER -cades -md sha256 -signer $work/$k.crt -inkey $work/$k.key -certfile $work/ca.crt" \
    -o "$work/act-$k-command-cms.pdf" >/dev/null
  signed+=("$work/act-$k-command-cms.pdf")
done

status=0
for pdf in "${signed[@]}"; do
  name=$(basename "$pdf")
  out=$(pdfsig "$pdf" 2>&1 || true)
  if grep -q "Signature Validation: Signature is Valid" <<<"$out" && grep -q "Total document signed" <<<"$out"; then
    echo "pdfsig  ok: $name"
  else
    echo "pdfsig  FAILED: $name"; echo "$out"; status=1
  fi
  "$bin" verify-signature "$pdf" --trust "$work/ca.crt" >/dev/null || { echo "verify-signature FAILED: $name"; status=1; }
  out=$("$venv/bin/pyhanko" sign validate --no-revocation-check --trust-replace --trust "$work/ca.crt" --pretty-print "$pdf" 2>&1 || true)
  if grep -q "The signature is judged VALID" <<<"$out" && grep -q "The signer's certificate is trusted" <<<"$out" \
    && grep -q "The signature covers the entire file" <<<"$out"; then
    echo "pyHanko ok: $name"
  else
    echo "pyHanko FAILED: $name"; echo "$out"; status=1
  fi
done

# The validators must also say no: a changed byte inside the signed range.
python3 - "${signed[0]}" "$work/tampered.pdf" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
at = data.index(b'D:20210720103215') + 5
data[at] = ord('2')
open(sys.argv[2], 'wb').write(data)
EOF
# Each answer is read whole before it is searched: `cmd | grep -q` under pipefail is false when
# grep stops at the first match and cmd dies of SIGPIPE, which would pass a tampered file.
pdfsig_says=$(pdfsig "$work/tampered.pdf" 2>&1 || true)
if grep -q "Signature is Valid" <<<"$pdfsig_says"; then
  echo "pdfsig FAILED: accepts a tampered file"; status=1
else
  echo "pdfsig  ok: refuses a tampered file"
fi
pyhanko_says=$("$venv/bin/pyhanko" sign validate --no-revocation-check --trust-replace --trust "$work/ca.crt" \
  "$work/tampered.pdf" 2>&1 || true)
if grep -q "judged VALID" <<<"$pyhanko_says"; then
  echo "pyHanko FAILED: accepts a tampered file"; status=1
else
  echo "pyHanko ok: refuses a tampered file"
fi

echo "== GOST R 34.10-2012 (256-bit) through openssl with the gost engine (--sign-command-cms)"
(
  cd "$work"
  openssl genpkey -engine gost -algorithm gost2012_256 -pkeyopt paramset:A -out gost.key 2>/dev/null
  openssl req -engine gost -x509 -new -key gost.key -subj "/CN=CI GOST Signer" -days 30 -md_gost12_256 \
    -out gost.crt 2>/dev/null
  certificate=$(openssl x509 -in gost.crt -noout -text)
  grep -q "Public Key Algorithm: GOST R 34.10-2012 with 256 bit modulus" <<<"$certificate"
)
gost_cms="openssl cms -sign -engine gost -binary -outform DER -cades -md md_gost12_256"
"$bin" render samples/rights-certificate-individual.yaml --electronic --sign-visible --sign-command-cms \
  --sign-with-command "$gost_cms -signer $work/gost.crt -inkey $work/gost.key 2>/dev/null" \
  -o "$work/cert-gost.pdf" >/dev/null
# Anyqtama checks the byte range and says it does not check the GOST signature: exit 2.
set +e
"$bin" verify-signature "$work/cert-gost.pdf" >"$work/gost-report.txt" 2>"$work/gost-errors.txt"
code=$?
set -e
expected="not checked: Anyqtama does not verify GOST signatures (key GOST R 34.10-2012 256-bit (1.2.643.7.1.1.1.1), digest GOST R 34.11-2012 256-bit (Streebog) (1.2.643.7.1.1.2.2))"
if [ $code -eq 2 ] && grep -qx "signature 1 (Signature1): NOT CHECKED" "$work/gost-report.txt" \
  && grep -q "changed after signing: no: it covers the whole file but the signature value" "$work/gost-report.txt" \
  && grep -qF "$expected" "$work/gost-errors.txt"; then
  echo "verify-signature ok: cert-gost.pdf: byte range checked, the GOST signature said to be not checked (exit 2)"
else
  echo "verify-signature FAILED on the GOST signature (exit $code)"; cat "$work/gost-report.txt" "$work/gost-errors.txt"
  status=1
fi
# The CMS structure and the bytes it signs, taken out of the PDF by its /ByteRange; a copy of
# those bytes with one changed.
python3 - "$work/cert-gost.pdf" "$work" <<'EOF'
import re, sys
data = open(sys.argv[1], 'rb').read()
a, b, c, d = map(int, re.findall(rb'/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)', data)[-1])
assert a == 0 and c + d == len(data), 'the byte range covers the whole file but the value'
assert data[b:b + 1] == b'<' and data[c - 1:c] == b'>', 'the gap is the /Contents value'
value = bytes.fromhex(data[b + 1:c - 1].decode())
# The DER SEQUENCE without the zeros that pad the reserved space.
assert value[0] == 0x30 and value[1] & 0x80
n = value[1] & 0x7f
length = 2 + n + int.from_bytes(value[2:2 + n], 'big')
assert not any(value[length:]), 'only zeros after the CMS structure'
open(sys.argv[2] + '/gost.p7s', 'wb').write(value[:length])
content = data[a:a + b] + data[c:c + d]
open(sys.argv[2] + '/gost-content.bin', 'wb').write(content)
changed = bytearray(content)
at = changed.index(b'D:20210720103215') + 5
changed[at] = ord('2')
open(sys.argv[2] + '/gost-content-changed.bin', 'wb').write(changed)
print(f"GOST CMS structure: {length} bytes; signed bytes: {len(content)} of {len(data)}")
EOF
# poppler verifies with NSS, which has no GOST: it is shown, not required.
echo "pdfsig on the GOST signature (for information): $(pdfsig "$work/cert-gost.pdf" 2>&1 | grep -E 'Hash|Validation' | tr -s ' \n' ' ')"
verify_gost() {
  openssl cms -verify -engine gost -binary -inform DER -in "$work/gost.p7s" -content "$1" -CAfile "$work/gost.crt" \
    -out /dev/null
}
if verify_gost "$work/gost-content.bin" 2>"$work/gost-verify.txt"; then
  echo "openssl cms -verify -engine gost ok: cert-gost.pdf"
else
  echo "openssl cms -verify FAILED: cert-gost.pdf"; cat "$work/gost-verify.txt"; status=1
fi
if verify_gost "$work/gost-content-changed.bin" >/dev/null 2>&1; then
  echo "openssl cms -verify FAILED: accepts a changed byte"; status=1
else
  echo "openssl cms -verify ok: refuses a changed byte"
fi
exit $status
