//! PAdES baseline B-B signatures (ETSI EN 319 142-1): signing a PDF and checking its
//! signatures.
//!
//! A signature is a detached CMS SignedData ([`cms`]) over the whole file but the signature
//! value, with SHA-256, the signing-certificate-v2 attribute and the certificate chain, in a
//! signature dictionary with `/SubFilter /ETSI.CAdES.detached`. It is added as an incremental
//! update ([`pdf`], which opens and writes the file as [`crate::onto`] does), so the signed
//! document keeps its PDF/A-2b conformance and any earlier signature stays valid.
//!
//! Who computes the signature value is behind the [`Signer`] trait: [`keys::Pkcs12Signer`]
//! (RSA PKCS#1 v1.5 or ECDSA P-256, both deterministic, from a PKCS#12 file) or
//! [`keys::CommandSigner`] (an external program, for keys this crate cannot use, such as the
//! GOST keys of Kazakhstan's national CA). [`verify`] checks the signatures of a file.

pub mod cms;
pub mod keys;
pub mod pdf;
mod update;
pub mod verify;

use x509_cert::Certificate;

pub use keys::{CommandSigner, Pkcs12Signer};
pub use pdf::{SignOptions, SlotRect, Visible, sign_pdf};
pub use verify::{SignatureReport, verify_pdf};

/// Computes signature values for one key and holds its certificate chain.
pub trait Signer {
    /// The signer's certificate first, then the certificates that lead to the root.
    fn chain(&self) -> &[Certificate];

    /// Signs `signed_attributes` (the DER of the CMS signed attributes, a SET OF Attribute)
    /// with SHA-256 and the key's algorithm. RSA: the PKCS#1 v1.5 signature; ECDSA: the
    /// DER-encoded `Ecdsa-Sig-Value`.
    fn sign(&self, signed_attributes: &[u8]) -> Result<Vec<u8>, SignError>;

    /// Whether this signer builds the whole CMS SignedData itself, with its own algorithms
    /// (e.g. a GOST signer behind [`CommandSigner::cms`]); then [`Signer::sign_content`] is
    /// called instead of [`Signer::sign`].
    fn builds_cms(&self) -> bool {
        false
    }

    /// The detached CMS SignedData (a DER `ContentInfo`) over `content`, the bytes the PDF
    /// signature covers. Only for signers whose [`Signer::builds_cms`] is true.
    fn sign_content(&self, content: &[u8]) -> Result<Vec<u8>, SignError> {
        let _ = content;
        Err(SignError::Command("builds no CMS structure".into()))
    }
}

/// Why a document could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The PKCS#12 file cannot be decrypted with this password.
    #[error("wrong password, or a damaged PKCS#12 file (its integrity check fails)")]
    WrongPassword,
    /// The PKCS#12 file cannot be read.
    #[error("not a readable PKCS#12 file ({0})")]
    BadPkcs12(String),
    /// The PKCS#12 file has no private key with its certificate.
    #[error("the PKCS#12 file holds no private key with a certificate")]
    NoKey,
    /// The key's algorithm is not one this program signs with.
    #[error("unsupported key algorithm {0}: only RSA and ECDSA P-256 keys are supported")]
    UnsupportedKey(String),
    /// The private key cannot be read.
    #[error("failed to read the private key ({0})")]
    BadKey(String),
    /// The certificate does not belong to the private key.
    #[error("the certificate \"{0}\" does not belong to the private key")]
    KeyMismatch(String),
    /// A certificate cannot be read.
    #[error("failed to read a certificate ({0})")]
    BadCertificate(String),
    /// No certificate was given for an external signer.
    #[error("no certificate: the external signer needs the signer's certificate")]
    NoCertificate,
    /// The external signer failed.
    #[error("the signing command {0}")]
    Command(String),
    /// The document has no date to sign it at.
    #[error("the PDF has no creation date to use as the signing time; set SOURCE_DATE_EPOCH")]
    NoDate,
    /// The PDF cannot be signed.
    #[error("{0}")]
    Pdf(String),
    /// The PDF is encrypted.
    #[error("the PDF is encrypted; remove its protection before signing it")]
    Encrypted,
    /// The signature does not fit the space reserved for it.
    #[error("the signature ({needed} bytes) does not fit the {reserved} bytes reserved for it")]
    TooLarge {
        /// The size of the CMS structure.
        needed: usize,
        /// The space reserved.
        reserved: usize,
    },
    /// Encoding the CMS structure failed (a defect of this program).
    #[error("failed to encode the signature ({0})")]
    Encode(String),
}

impl From<der::Error> for SignError {
    fn from(e: der::Error) -> Self {
        SignError::Encode(e.to_string())
    }
}

/// The subject of a certificate, as RFC 4514 prints it (`CN=…,O=…`).
pub fn subject(cert: &Certificate) -> String {
    cert.tbs_certificate().subject().to_string()
}
