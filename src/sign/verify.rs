//! Checking the signatures of a PDF.
//!
//! For each signature: the byte range must start at 0 and leave out exactly the signature
//! value (`<…>`, hex digits only) and stay inside the file; the SHA-256 of the bytes it covers
//! must equal the message-digest attribute; the CMS signature must verify with the signer's
//! certificate, which the signing-certificate-v2 attribute must name; the last signature must
//! cover the whole file (otherwise the document was changed after it was signed). With trusted
//! certificates, the chain from the signer must lead to one of them, each certificate's
//! signature checked with its issuer's key.

use chrono::NaiveDateTime;
use der::asn1::OctetString;
use der::{Decode, Encode};
use lopdf::{Document, Object};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::cms::{self, KeyAlgorithm, Parsed, is_gost, oid, oid_name};
use super::pdf::parse_pdf_date;
use super::subject;

/// Why a file's signatures could not be checked at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VerifyError {
    /// The file does not start like a PDF.
    #[error("not a PDF file (it does not start with %PDF-)")]
    NotPdf,
    /// The file cannot be read as a PDF.
    #[error("not a readable PDF file ({0}); it may be truncated or damaged")]
    Unreadable(String),
    /// The file has no signature.
    #[error("the PDF has no signature")]
    Unsigned,
    /// The file names a signature that cannot be read.
    #[error("the PDF has a signature that cannot be read: the file is truncated or damaged")]
    Damaged,
}

/// Whether the signer's chain leads to a trusted certificate.
#[derive(Debug, Clone, PartialEq)]
pub enum Trust {
    /// No trusted certificates were given.
    NotChecked,
    /// The chain leads to this trusted certificate (its subject).
    Trusted(String),
    /// It does not, and why.
    NotTrusted(String),
}

/// What was found about one signature.
#[derive(Debug, Clone)]
pub struct SignatureReport {
    /// The signature field's name.
    pub field: String,
    /// The byte range, when it is well-formed.
    pub byte_range: Option<[usize; 4]>,
    /// The signer's certificate subject.
    pub signer: Option<String>,
    /// The key algorithm.
    pub algorithm: Option<KeyAlgorithm>,
    /// The claimed signing time (`/M`), UTC.
    pub time: Option<NaiveDateTime>,
    /// Bytes added after the signed part (by later updates).
    pub added_after: usize,
    /// Whether the chain leads to a trusted certificate.
    pub trust: Trust,
    /// Why the signature value was not checked: it is made with algorithms this program
    /// does not verify (GOST). Then only the byte range was checked, and the report says
    /// nothing of the signature's validity.
    pub not_checked: Option<String>,
    /// Everything wrong with the signature; empty when it is valid.
    pub problems: Vec<String>,
}

impl SignatureReport {
    /// Whether the signature is valid (and trusted, when trust was checked). A signature
    /// that was not checked is not valid.
    pub fn valid(&self) -> bool {
        self.problems.is_empty() && self.not_checked.is_none() && !matches!(self.trust, Trust::NotTrusted(_))
    }
}

/// Checks every signature of `pdf`, in the order they were made. `trusted` are the
/// certificates the chains must lead to (none: trust is not checked).
pub fn verify_pdf(pdf: &[u8], trusted: &[Certificate]) -> Result<Vec<SignatureReport>, VerifyError> {
    let head = &pdf[..pdf.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(VerifyError::NotPdf);
    }
    let doc = Document::load_mem(pdf).map_err(|e| VerifyError::Unreadable(e.to_string()))?;
    let mut found: Vec<(String, &lopdf::Dictionary)> = Vec::new();
    for object in doc.objects.values() {
        let Ok(field) = object.as_dict() else { continue };
        let is_sig = matches!(field.get(b"FT"), Ok(Object::Name(n)) if n == b"Sig");
        if !is_sig {
            continue;
        }
        let value = match field.get(b"V") {
            Ok(Object::Reference(id)) => doc.get_dictionary(*id).ok(),
            Ok(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        let Some(value) = value else { continue };
        let name = match field.get(b"T") {
            Ok(Object::String(bytes, _)) => String::from_utf8_lossy(bytes).into_owned(),
            _ => "(unnamed)".to_owned(),
        };
        found.push((name, value));
    }
    if found.is_empty() {
        let mentions = pdf.windows(10).any(|w| w == b"/ByteRange");
        return Err(if mentions { VerifyError::Damaged } else { VerifyError::Unsigned });
    }
    let mut reports: Vec<SignatureReport> =
        found.into_iter().map(|(name, sig)| check_one(pdf, name, sig, trusted)).collect();
    reports.sort_by_key(|r| r.byte_range.map_or(usize::MAX, |b| b[2] + b[3]));
    if let Some(last) = reports.last_mut()
        && last.byte_range.is_some()
        && last.added_after > 0
    {
        last.problems.push(format!(
            "the document was changed after it was signed ({} bytes added after the signed part)",
            last.added_after
        ));
    }
    Ok(reports)
}

fn check_one(pdf: &[u8], field: String, sig: &lopdf::Dictionary, trusted: &[Certificate]) -> SignatureReport {
    let mut report = SignatureReport {
        field,
        byte_range: None,
        signer: None,
        algorithm: None,
        time: match sig.get(b"M") {
            Ok(Object::String(bytes, _)) => parse_pdf_date(bytes),
            _ => None,
        },
        added_after: 0,
        trust: Trust::NotChecked,
        not_checked: None,
        problems: Vec::new(),
    };
    match sig.get(b"SubFilter") {
        Ok(Object::Name(n)) if n == b"ETSI.CAdES.detached" || n == b"adbe.pkcs7.detached" => {}
        Ok(Object::Name(n)) => {
            report.problems.push(format!("unsupported /SubFilter /{}", String::from_utf8_lossy(n)));
            return report;
        }
        _ => {
            report.problems.push("the signature dictionary has no /SubFilter".into());
            return report;
        }
    }
    let range = match byte_range(pdf, sig) {
        Ok(range) => range,
        Err(problem) => {
            report.problems.push(problem);
            return report;
        }
    };
    report.byte_range = Some(range);
    report.added_after = pdf.len() - (range[2] + range[3]);
    let value = hex(&pdf[range[1] + 1..range[2] - 1]);
    let parsed = match Parsed::read(&value) {
        Ok(parsed) => parsed,
        Err(problem) => {
            report.problems.push(format!("the signature value is {problem}"));
            return report;
        }
    };
    let certs = parsed.certificates();
    let Some(info) = parsed.data.signer_infos.0.iter().next() else {
        report.problems.push("the CMS structure has no signer".into());
        return report;
    };
    let signer = certs.iter().find(|c| match &info.sid {
        ::cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(isn) => {
            c.tbs_certificate().issuer() == &isn.issuer
                && c.tbs_certificate().serial_number() == &isn.serial_number
        }
        ::cms::signed_data::SignerIdentifier::SubjectKeyIdentifier(_) => false,
    });
    let Some(signer) = signer else {
        report.problems.push("the signer's certificate is not in the signature".into());
        return report;
    };
    report.signer = Some(subject(signer));
    report.algorithm = KeyAlgorithm::of(signer).ok();
    let key = signer.tbs_certificate().subject_public_key_info().algorithm.oid;
    if is_gost(key) || is_gost(info.digest_alg.oid) {
        report.not_checked = Some(format!(
            "Anyqtama does not verify GOST signatures (key {}, digest {}); only the byte range was checked: \
             verify the CMS signature with a GOST-capable tool",
            oid_name(key),
            oid_name(info.digest_alg.oid)
        ));
        return report;
    }
    if info.digest_alg.oid != oid::SHA256 {
        report.problems.push(format!(
            "unsupported digest algorithm {}: only SHA-256 signatures are checked",
            oid_name(info.digest_alg.oid)
        ));
        return report;
    }
    let Some(attrs) = &info.signed_attrs else {
        report.problems.push("the signature has no signed attributes".into());
        return report;
    };

    // The digest of the signed bytes.
    let mut hasher = Sha256::new();
    hasher.update(&pdf[range[0]..range[0] + range[1]]);
    hasher.update(&pdf[range[2]..range[2] + range[3]]);
    let digest = hasher.finalize();
    let claimed =
        cms::attribute_value(attrs, oid::MESSAGE_DIGEST).and_then(|v| v.decode_as::<OctetString>().ok());
    match claimed {
        None => report.problems.push("the message-digest attribute is missing".into()),
        Some(d) if d.as_bytes() != digest.as_slice() => report
            .problems
            .push("the digest does not match: the signed bytes were changed after signing".into()),
        Some(_) => {}
    }

    // The signature over the signed attributes.
    match attrs.to_der() {
        Ok(message) => {
            if let Err(problem) = check_signature(signer, &message, info.signature.as_bytes()) {
                report.problems.push(format!(
                    "the signature does not verify with the signer's certificate \"{}\" ({problem})",
                    subject(signer)
                ));
            }
        }
        Err(e) => report.problems.push(format!("the signed attributes cannot be encoded ({e})")),
    }
    match cms::names_certificate(attrs, signer) {
        Ok(true) => {}
        Ok(false) => {
            report.problems.push("the signing-certificate-v2 attribute names another certificate".into())
        }
        Err(problem) => report.problems.push(problem),
    }
    if !trusted.is_empty() {
        report.trust = chain_trust(signer, &certs, trusted);
    }
    report
}

/// The byte range, checked against the file.
fn byte_range(pdf: &[u8], sig: &lopdf::Dictionary) -> Result<[usize; 4], String> {
    let items = sig
        .get(b"ByteRange")
        .and_then(Object::as_array)
        .map_err(|_| "the signature has no /ByteRange".to_owned())?;
    let numbers: Vec<usize> =
        items.iter().filter_map(|o| o.as_i64().ok()).filter_map(|n| usize::try_from(n).ok()).collect();
    let [a, b, c, d] = numbers[..] else {
        return Err("the /ByteRange is not four non-negative numbers".into());
    };
    let end = c.checked_add(d).ok_or("the /ByteRange overflows")?;
    if end > pdf.len() {
        return Err(format!(
            "the byte range ends at byte {end}, past the end of the file ({} bytes): the file is truncated",
            pdf.len()
        ));
    }
    let gap_ok = a == 0
        && b >= 2
        && c > b
        && pdf[b] == b'<'
        && pdf[c - 1] == b'>'
        && pdf[b + 1..c - 1].iter().all(u8::is_ascii_hexdigit);
    if !gap_ok {
        return Err("the byte range does not cover the whole file but the signature value".into());
    }
    Ok([a, b, c, d])
}

fn hex(text: &[u8]) -> Vec<u8> {
    let nibble = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c.wrapping_sub(b'A') + 10,
    };
    text.chunks(2).map(|p| (nibble(p[0]) << 4) | p.get(1).map_or(0, |&c| nibble(c))).collect()
}

/// Checks a signature made with SHA-256 and the key of `cert` over `message`.
pub fn check_signature(cert: &Certificate, message: &[u8], signature: &[u8]) -> Result<(), String> {
    let spki = cert.tbs_certificate().subject_public_key_info().to_der().map_err(|e| e.to_string())?;
    match KeyAlgorithm::of(cert).map_err(|e| e.to_string())? {
        KeyAlgorithm::Rsa => {
            let key = rsa::PublicKey::from_public_key_der(&spki).map_err(|e| e.to_string())?;
            let signature = rsa::pkcs1v15::Signature::try_from(signature).map_err(|e| e.to_string())?;
            rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key)
                .verify(message, &signature)
                .map_err(|_| "RSA signature mismatch".to_owned())
        }
        KeyAlgorithm::EcdsaP256 => {
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki).map_err(|e| e.to_string())?;
            let signature = p256::ecdsa::Signature::from_der(signature)
                .map_err(|_| "not a DER ECDSA signature".to_owned())?;
            key.verify(message, &signature).map_err(|_| "ECDSA signature mismatch".to_owned())
        }
    }
}

/// Whether `issuer` signed `cert`.
fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    let alg = cert.signature_algorithm().oid;
    if alg != oid::SHA256_WITH_RSA && alg != oid::ECDSA_WITH_SHA256 {
        return false;
    }
    let Ok(tbs) = cert.tbs_certificate().to_der() else { return false };
    let Some(signature) = cert.signature().as_bytes() else { return false };
    check_signature(issuer, &tbs, signature).is_ok()
}

/// Follows the chain from `signer` through `certs` to one of `trusted`.
fn chain_trust(signer: &Certificate, certs: &[Certificate], trusted: &[Certificate]) -> Trust {
    let mut current = signer.clone();
    for _ in 0..16 {
        if let Some(anchor) = trusted.iter().find(|t| **t == current) {
            return Trust::Trusted(subject(anchor));
        }
        if let Some(anchor) = trusted.iter().find(|t| issued_by(&current, t)) {
            return Trust::Trusted(subject(anchor));
        }
        let Some(next) = certs.iter().find(|c| **c != current && issued_by(&current, c)) else {
            break;
        };
        current = next.clone();
    }
    Trust::NotTrusted(format!(
        "the chain from \"{}\" does not lead to a trusted certificate",
        subject(signer)
    ))
}

/// Reads trusted certificates from PEM (one or more) or DER.
pub fn read_certificates(bytes: &[u8]) -> Result<Vec<Certificate>, String> {
    if bytes.starts_with(b"-----BEGIN") || bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        Certificate::load_pem_chain(bytes).map_err(|e| e.to_string())
    } else {
        Certificate::from_der(bytes).map(|c| vec![c]).map_err(|e| e.to_string())
    }
}
