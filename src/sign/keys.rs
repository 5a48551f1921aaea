//! The signers: a key from a PKCS#12 file, or an external command.

use std::io::Write;
use std::process::{Command, Stdio};

use der::{Decode, Encode};
use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer as _};
use rsa::traits::SignatureScheme;
use sha2::Sha256;
use x509_cert::Certificate;
use x509_cert::spki::EncodePublicKey;

use super::cms::KeyAlgorithm;
use super::{SignError, Signer, subject};

/// No random source: RSA signatures without blinding (see the RSA arm of `sign` below).
const NO_BLINDING: Option<&mut dyn rsa::rand_core::TryCryptoRng<Error = std::convert::Infallible>> = None;

enum Key {
    /// Validated, with its CRT values computed, when it was read (`from_pkcs8_der` does both).
    Rsa(Box<rsa::PrivateKey>),
    P256(p256::ecdsa::SigningKey),
}

/// A private key and its certificate chain from a PKCS#12 file (as OpenSSL 3 writes it, with
/// AES-256-CBC and PBKDF2, or the legacy RC2/3DES files).
pub struct Pkcs12Signer {
    key: Key,
    chain: Vec<Certificate>,
}

impl std::fmt::Debug for Pkcs12Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs12Signer")
            .field("chain", &self.chain.iter().map(subject).collect::<Vec<_>>())
            .finish()
    }
}

impl Pkcs12Signer {
    /// Reads a PKCS#12 file's first private key with its certificate chain.
    pub fn from_pkcs12(data: &[u8], password: &str) -> Result<Pkcs12Signer, SignError> {
        let store =
            KeyStore::from_pkcs12(data, password, Pkcs12ImportPolicy::Strict).map_err(|e| match e {
                p12_keystore::error::Error::MacError(_) => SignError::WrongPassword,
                p12_keystore::error::Error::UnpadError => SignError::WrongPassword,
                other => SignError::BadPkcs12(lower_first(&other.to_string())),
            })?;
        let (_, entry) = store.private_key_chain().ok_or(SignError::NoKey)?;
        let chain = entry
            .certs()
            .iter()
            .map(|c| Certificate::from_der(c.as_der()).map_err(|e| SignError::BadCertificate(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        let leaf = chain.first().ok_or(SignError::NoKey)?;
        let key_der = entry.key().as_der();
        let info =
            rsa::pkcs8::PrivateKeyInfoRef::from_der(key_der).map_err(|e| SignError::BadKey(e.to_string()))?;
        let params = info.algorithm.parameters.map(der::asn1::Any::from);
        let key = match KeyAlgorithm::from_identifier(info.algorithm.oid, params.as_ref())? {
            KeyAlgorithm::Rsa => {
                let key =
                    rsa::PrivateKey::from_pkcs8_der(key_der).map_err(|e| SignError::BadKey(e.to_string()))?;
                Key::Rsa(Box::new(key))
            }
            KeyAlgorithm::EcdsaP256 => Key::P256(
                p256::ecdsa::SigningKey::from_pkcs8_der(key_der)
                    .map_err(|e| SignError::BadKey(e.to_string()))?,
            ),
        };
        // The certificate must carry this key's public half.
        let public = match &key {
            Key::Rsa(k) => rsa::PublicKey::from(k.as_ref()).to_public_key_der(),
            Key::P256(k) => k.verifying_key().to_public_key_der(),
        }
        .map_err(|e| SignError::BadKey(e.to_string()))?;
        let in_cert = leaf.tbs_certificate().subject_public_key_info().to_der()?;
        if public.as_bytes() != in_cert.as_slice() {
            return Err(SignError::KeyMismatch(subject(leaf)));
        }
        Ok(Pkcs12Signer { key, chain })
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self.key {
            Key::Rsa(_) => KeyAlgorithm::Rsa,
            Key::P256(_) => KeyAlgorithm::EcdsaP256,
        }
    }
}

impl Signer for Pkcs12Signer {
    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn sign(&self, signed_attributes: &[u8]) -> Result<Vec<u8>, SignError> {
        Ok(match &self.key {
            // PKCS#1 v1.5 is deterministic; RFC 6979 makes ECDSA deterministic too.
            //
            // Without blinding: `rsa` 0.10 exponentiates in constant time (crypto-bigint's
            // Montgomery ladder, the fix of the Marvin timing attack), and its blinding (random
            // exponent and modulus multiples, fresh Montgomery parameters per signature) made a
            // signature four times slower (1.5 against 6 ms for RSA-2048). `SigningKey::sign`
            // blinds whenever the `getrandom` feature is on; the padding scheme's `sign` with no
            // random source does not. The result is the same bytes either way.
            Key::Rsa(key) => rsa::pkcs1v15::Pkcs1v15Sign::new::<Sha256>()
                .sign(NO_BLINDING, key, &<Sha256 as sha2::Digest>::digest(signed_attributes))
                .map_err(|e| SignError::BadKey(format!("RSA signing failed: {e}")))?,
            Key::P256(key) => {
                let signature: p256::ecdsa::DerSignature = key.sign(signed_attributes);
                signature.to_vec()
            }
        })
    }
}

/// An external program that signs: it gets the DER of the signed attributes on standard
/// input and writes the signature value (RSA: PKCS#1 v1.5; ECDSA: DER `Ecdsa-Sig-Value`) on
/// standard output, as `openssl dgst -sha256 -sign KEY` does.
///
/// With [`CommandSigner::cms`] the program instead gets the bytes the PDF signature covers
/// and writes a complete detached CMS SignedData (DER), built with its own algorithms, as
/// `openssl cms -sign -binary -outform DER` does; that is the way to a GOST signer.
#[derive(Debug)]
pub struct CommandSigner {
    command: String,
    chain: Vec<Certificate>,
    cms: bool,
}

impl CommandSigner {
    /// A signer running `command` with `sh -c`, for the certificates of a PEM file (the
    /// signer's certificate first).
    pub fn new(command: &str, chain_pem: &[u8]) -> Result<CommandSigner, SignError> {
        let chain =
            Certificate::load_pem_chain(chain_pem).map_err(|e| SignError::BadCertificate(e.to_string()))?;
        let leaf = chain.first().ok_or(SignError::NoCertificate)?;
        KeyAlgorithm::of(leaf)?;
        Ok(CommandSigner { command: command.to_owned(), chain, cms: false })
    }

    /// A signer running `command` that builds the whole CMS SignedData itself.
    pub fn cms(command: &str) -> CommandSigner {
        CommandSigner { command: command.to_owned(), chain: Vec::new(), cms: true }
    }

    /// Runs the command with `input` on its standard input; its standard output.
    fn run(&self, input: &[u8]) -> Result<Vec<u8>, SignError> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(&self.command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| SignError::Command(format!("could not be started ({e})")))?;
        if let Some(mut stdin) = child.stdin.take() {
            // A command that exits without reading fails below with its own status.
            let _ = stdin.write_all(input);
        }
        let output = child.wait_with_output().map_err(|e| SignError::Command(format!("failed ({e})")))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
            let status = match output.status.code() {
                Some(code) => format!("exit status {code}"),
                None => "a signal".to_owned(),
            };
            return Err(SignError::Command(if first.is_empty() {
                format!("failed with {status}")
            } else {
                format!("failed with {status}: {first}")
            }));
        }
        if output.stdout.is_empty() {
            return Err(SignError::Command("wrote no signature on standard output".into()));
        }
        Ok(output.stdout)
    }
}

impl Signer for CommandSigner {
    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn builds_cms(&self) -> bool {
        self.cms
    }

    fn sign_content(&self, content: &[u8]) -> Result<Vec<u8>, SignError> {
        let output = self.run(content)?;
        let parsed = super::cms::Parsed::read(&output).map_err(|problem| {
            SignError::Command(format!("did not write a CMS SignedData in DER ({problem})"))
        })?;
        // Where the digest is SHA-256, it must be the digest of these bytes.
        for info in parsed.data.signer_infos.0.iter() {
            let claimed = info
                .signed_attrs
                .as_ref()
                .and_then(|a| super::cms::attribute_value(a, super::cms::oid::MESSAGE_DIGEST))
                .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok());
            if info.digest_alg.oid == super::cms::oid::SHA256
                && let Some(claimed) = claimed
                && claimed.as_bytes() != <Sha256 as sha2::Digest>::digest(content).as_slice()
            {
                return Err(SignError::Command("returned a CMS structure over other data".into()));
            }
        }
        Ok(output)
    }

    fn sign(&self, signed_attributes: &[u8]) -> Result<Vec<u8>, SignError> {
        let output = self.run(signed_attributes)?;
        // A signature made with another key than the certificate's would give a document
        // that no reader accepts: refuse it here.
        let leaf = self.chain.first().ok_or(SignError::NoCertificate)?;
        if let Err(problem) = super::verify::check_signature(leaf, signed_attributes, &output) {
            return Err(SignError::Command(format!(
                "returned a signature that does not verify with the certificate \"{}\" ({problem})",
                subject(leaf)
            )));
        }
        Ok(output)
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
