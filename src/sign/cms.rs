//! The CMS SignedData of a PAdES signature (RFC 5652, ETSI EN 319 122-1 CAdES baseline B):
//! detached content, SHA-256, the signed attributes content-type, message-digest and
//! signing-certificate-v2 (no signing-time attribute: PAdES puts the claimed signing time
//! in the signature dictionary's `/M`), and the certificate chain.

use ::cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use ::cms::content_info::{CmsVersion, ContentInfo};
use ::cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier, SignerInfo,
    SignerInfos,
};
use der::asn1::{Any, Null, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode, Sequence};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::SignError;

/// Object identifiers used here.
pub mod oid {
    use der::asn1::ObjectIdentifier as Oid;
    /// id-data.
    pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
    /// id-signedData.
    pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
    /// id-contentType.
    pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
    /// id-messageDigest.
    pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
    /// id-aa-signingCertificateV2.
    pub const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
    /// id-sha256.
    pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    /// rsaEncryption.
    pub const RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    /// sha256WithRSAEncryption.
    pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
    /// id-ecPublicKey.
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    /// secp256r1 (P-256).
    pub const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    /// ecdsa-with-SHA256.
    pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
}

/// The key algorithms this module signs and verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// RSA, PKCS#1 v1.5 signatures with SHA-256.
    Rsa,
    /// ECDSA on P-256 with SHA-256.
    EcdsaP256,
}

impl KeyAlgorithm {
    /// The algorithm of a certificate's public key.
    pub fn of(cert: &Certificate) -> Result<KeyAlgorithm, SignError> {
        let spki = cert.tbs_certificate().subject_public_key_info();
        Self::from_identifier(spki.algorithm.oid, spki.algorithm.parameters.as_ref())
    }

    /// The algorithm named by a key's algorithm identifier.
    pub fn from_identifier(
        oid: ObjectIdentifier,
        parameters: Option<&Any>,
    ) -> Result<KeyAlgorithm, SignError> {
        if oid == oid::RSA {
            return Ok(KeyAlgorithm::Rsa);
        }
        if oid == oid::EC_PUBLIC_KEY {
            let curve = parameters.and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            return match curve {
                Some(c) if c == oid::P256 => Ok(KeyAlgorithm::EcdsaP256),
                Some(c) => Err(SignError::UnsupportedKey(format!("ECDSA on the curve {c}"))),
                None => Err(SignError::UnsupportedKey("ECDSA with unnamed curve parameters".into())),
            };
        }
        Err(SignError::UnsupportedKey(oid_name(oid)))
    }

    /// The CMS signature algorithm identifier.
    pub fn signature_algorithm(self) -> AlgorithmIdentifierOwned {
        match self {
            KeyAlgorithm::Rsa => {
                AlgorithmIdentifierOwned { oid: oid::SHA256_WITH_RSA, parameters: Some(Any::from(Null)) }
            }
            KeyAlgorithm::EcdsaP256 => {
                AlgorithmIdentifierOwned { oid: oid::ECDSA_WITH_SHA256, parameters: None }
            }
        }
    }

    /// A name for reports.
    pub fn name(self) -> &'static str {
        match self {
            KeyAlgorithm::Rsa => "RSA PKCS#1 v1.5, SHA-256",
            KeyAlgorithm::EcdsaP256 => "ECDSA P-256, SHA-256",
        }
    }
}

/// A readable name for the key and digest algorithms people meet, else the dotted OID.
pub fn oid_name(oid: ObjectIdentifier) -> String {
    let name = match oid.to_string().as_str() {
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.2.840.10040.4.1" => "DSA",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "2.16.840.1.101.3.4.2.2" => "SHA-384",
        "2.16.840.1.101.3.4.2.3" => "SHA-512",
        "1.3.14.3.2.26" => "SHA-1",
        "1.2.643.7.1.1.1.1" => "GOST R 34.10-2012 256-bit",
        "1.2.643.7.1.1.1.2" => "GOST R 34.10-2012 512-bit",
        "1.2.643.7.1.1.3.2" => "GOST R 34.10-2012 256-bit with GOST R 34.11-2012",
        "1.2.643.7.1.1.3.3" => "GOST R 34.10-2012 512-bit with GOST R 34.11-2012",
        "1.2.643.7.1.1.2.2" => "GOST R 34.11-2012 256-bit (Streebog)",
        "1.2.643.7.1.1.2.3" => "GOST R 34.11-2012 512-bit (Streebog)",
        "1.2.643.2.2.19" => "GOST R 34.10-2001",
        "1.2.643.2.2.9" => "GOST R 34.11-94",
        s if s.starts_with("1.2.398.3.10.1") => "GOST 34.310 / 34.311 (Kazakhstan)",
        s if s.starts_with("1.2.643.") => "GOST R 34.10 / 34.11",
        _ => return oid.to_string(),
    };
    format!("{name} ({oid})")
}

/// Whether `oid` names a GOST algorithm: Russia's GOST R 34.10 / 34.11 (1.2.643) or
/// Kazakhstan's GOST 34.310 / 34.311 (1.2.398.3.10.1).
pub fn is_gost(oid: ObjectIdentifier) -> bool {
    let text = oid.to_string();
    text.starts_with("1.2.643.") || text.starts_with("1.2.398.3.10.1")
}

/// `ESSCertIDv2` (RFC 5035) with the default hash algorithm, SHA-256.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: Option<IssuerSerial>,
}

/// `IssuerSerial` (RFC 5035).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// `SigningCertificateV2` (RFC 5035), without policies.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, SignError> {
    let mut values = SetOfVec::new();
    values.insert(value)?;
    Ok(Attribute { oid, values })
}

/// The signed attributes for a document whose signed bytes have the SHA-256 `digest`,
/// signed with `cert`.
pub fn signed_attributes(digest: &[u8], cert: &Certificate) -> Result<SignedAttributes, SignError> {
    let cert_hash = Sha256::digest(cert.to_der()?);
    let tbs = cert.tbs_certificate();
    let signing_certificate = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(cert_hash.to_vec())?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(tbs.issuer().clone())],
                serial_number: tbs.serial_number().clone(),
            }),
        }],
    };
    let mut attrs = SetOfVec::new();
    attrs.insert(attribute(oid::CONTENT_TYPE, Any::encode_from(&oid::DATA)?)?)?;
    attrs.insert(attribute(oid::MESSAGE_DIGEST, Any::encode_from(&OctetString::new(digest.to_vec())?)?)?)?;
    attrs.insert(attribute(oid::SIGNING_CERTIFICATE_V2, Any::encode_from(&signing_certificate)?)?)?;
    Ok(attrs)
}

/// The bytes that are signed: the DER of the signed attributes as a SET OF.
pub fn to_be_signed(attrs: &SignedAttributes) -> Result<Vec<u8>, SignError> {
    Ok(attrs.to_der()?)
}

/// The DER of a `ContentInfo` holding the SignedData.
pub fn signed_data(
    chain: &[Certificate],
    attrs: SignedAttributes,
    algorithm: KeyAlgorithm,
    signature: Vec<u8>,
) -> Result<Vec<u8>, SignError> {
    let cert = chain.first().ok_or(SignError::NoCertificate)?;
    let tbs = cert.tbs_certificate();
    let sha256 = AlgorithmIdentifierOwned { oid: oid::SHA256, parameters: None };
    let signer = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer().clone(),
            serial_number: tbs.serial_number().clone(),
        }),
        digest_alg: sha256.clone(),
        signed_attrs: Some(attrs),
        signature_algorithm: algorithm.signature_algorithm(),
        signature: OctetString::new(signature)?,
        unsigned_attrs: None,
    };
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms.insert(sha256)?;
    let mut certs = SetOfVec::new();
    for c in chain {
        certs.insert(CertificateChoices::Certificate(c.clone()))?;
    }
    let mut signer_infos = SetOfVec::new();
    signer_infos.insert(signer)?;
    let data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms,
        encap_content_info: EncapsulatedContentInfo { econtent_type: oid::DATA, econtent: None },
        certificates: Some(CertificateSet(certs)),
        crls: None,
        signer_infos: SignerInfos(signer_infos),
    };
    let info = ContentInfo { content_type: oid::SIGNED_DATA, content: Any::encode_from(&data)? };
    Ok(info.to_der()?)
}

/// What a signature's CMS structure says, read back.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The SignedData.
    pub data: SignedData,
}

impl Parsed {
    /// Reads a `ContentInfo` with a SignedData from the start of `bytes` (a PDF's
    /// `/Contents` is padded with zeros after it).
    pub fn read(bytes: &[u8]) -> Result<Parsed, String> {
        let mut reader = der::SliceReader::new(bytes).map_err(|e| e.to_string())?;
        let info = ContentInfo::decode(&mut reader).map_err(|e| format!("not a CMS structure ({e})"))?;
        if info.content_type != oid::SIGNED_DATA {
            return Err(format!("the CMS structure is not SignedData but {}", info.content_type));
        }
        let data =
            info.content.decode_as::<SignedData>().map_err(|e| format!("not a CMS SignedData ({e})"))?;
        Ok(Parsed { data })
    }

    /// The certificates the SignedData carries.
    pub fn certificates(&self) -> Vec<Certificate> {
        self.data
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .filter_map(|c| match c {
                CertificateChoices::Certificate(c) => Some(c.clone()),
                CertificateChoices::Other(_) => None,
            })
            .collect()
    }
}

/// The value of a signed attribute, when there is exactly one attribute of this type with
/// exactly one value.
pub fn attribute_value(attrs: &SignedAttributes, oid: ObjectIdentifier) -> Option<&Any> {
    let mut found = attrs.iter().filter(|a| a.oid == oid);
    let attr = found.next()?;
    if found.next().is_some() || attr.values.len() != 1 {
        return None;
    }
    attr.values.iter().next()
}

/// Whether the signing-certificate-v2 attribute names `cert` (by its SHA-256 hash).
pub fn names_certificate(attrs: &SignedAttributes, cert: &Certificate) -> Result<bool, String> {
    let value = attribute_value(attrs, oid::SIGNING_CERTIFICATE_V2)
        .ok_or("the signing-certificate-v2 attribute is missing")?;
    let parsed: SigningCertificateV2 =
        value.decode_as().map_err(|e| format!("the signing-certificate-v2 attribute is malformed ({e})"))?;
    let der = cert.to_der().map_err(|e| e.to_string())?;
    let hash = Sha256::digest(&der);
    Ok(parsed.certs.first().is_some_and(|c| c.cert_hash.as_bytes() == hash.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_algorithms_by_identifier() {
        let p256 = Any::encode_from(&oid::P256).expect("oid");
        assert_eq!(
            KeyAlgorithm::from_identifier(oid::EC_PUBLIC_KEY, Some(&p256)).ok(),
            Some(KeyAlgorithm::EcdsaP256)
        );
        assert_eq!(KeyAlgorithm::from_identifier(oid::RSA, None).ok(), Some(KeyAlgorithm::Rsa));
        let p384 = Any::encode_from(&ObjectIdentifier::new_unwrap("1.3.132.0.34")).expect("oid");
        assert_eq!(
            KeyAlgorithm::from_identifier(oid::EC_PUBLIC_KEY, Some(&p384)).unwrap_err().to_string(),
            "unsupported key algorithm ECDSA on the curve 1.3.132.0.34: only RSA and ECDSA P-256 keys are supported"
        );
        assert_eq!(
            KeyAlgorithm::from_identifier(ObjectIdentifier::new_unwrap("1.3.101.112"), None)
                .unwrap_err()
                .to_string(),
            "unsupported key algorithm Ed25519 (1.3.101.112): only RSA and ECDSA P-256 keys are supported"
        );
    }
}
