//! `sign`, `verify-signature`, and the signing flags of `render` and `blank`.

use std::path::{Path, PathBuf};

use anyqtama::output::write_atomic;
use anyqtama::sign::verify::{Trust, read_certificates};
use anyqtama::sign::{
    CommandSigner, Pkcs12Signer, SignOptions, Signer, SlotRect, Visible, sign_pdf, verify_pdf,
};
use clap::Args;

use super::{Exit, fail, invalid};

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The PDF to sign (any PDF, e.g. an act after `stamp --onto`).
    #[arg(value_name = "IN.pdf")]
    input: PathBuf,
    /// Output file.
    #[arg(short, long, value_name = "OUT.pdf", required = true)]
    output: PathBuf,
    /// The key and its certificate chain: a PKCS#12 file (RSA or ECDSA P-256).
    #[arg(long, value_name = "KEY.p12", required_unless_present = "sign_with_command")]
    p12: Option<PathBuf>,
    /// The environment variable that holds the PKCS#12 password (never on the command line).
    #[arg(long, value_name = "VAR", requires = "p12")]
    password_env: Option<String>,
    #[command(flatten)]
    external: External,
    /// Show the signature as a framed 70 × 10 mm rectangle on the last page, 15 mm from the
    /// left and 3 mm above the bottom edge: the bottom margin of this program's forms, left
    /// of the page number. The layout of another PDF is not known: text may be there. (A
    /// document signed by `render --sign-visible` gets the room its layout reserved.)
    #[arg(long)]
    sign_visible: bool,
}

/// An external signer.
#[derive(Debug, Args)]
pub struct External {
    /// Sign with an external command (run with `sh -c`): it reads the DER of the signed
    /// attributes on standard input and writes the signature value on standard output, e.g.
    /// `openssl dgst -sha256 -sign key.pem`. Needs the certificate (--cert / --sign-cert).
    #[arg(long, value_name = "CMD", conflicts_with = "p12")]
    sign_with_command: Option<String>,
    /// The signer's certificate, then its chain, as PEM (with --sign-with-command).
    #[arg(long, value_name = "CERT.pem", alias = "sign-cert", requires = "sign_with_command")]
    cert: Option<PathBuf>,
    /// The command gets the bytes the signature covers and writes a complete detached CMS
    /// SignedData in DER (e.g. `openssl cms -sign -binary -outform DER …`, or a GOST signer).
    #[arg(long, requires = "sign_with_command", conflicts_with = "cert")]
    sign_command_cms: bool,
}

/// The signing flags of `render` and `blank`.
#[derive(Debug, Args)]
pub struct SignFlags {
    /// Sign the PDF with the key and certificate chain of this PKCS#12 file.
    #[arg(
        long,
        value_name = "KEY.p12",
        requires = "sign_password_env",
        conflicts_with = "sign_with_command"
    )]
    sign: Option<PathBuf>,
    /// The environment variable that holds the PKCS#12 password.
    #[arg(long, value_name = "VAR", requires = "sign")]
    sign_password_env: Option<String>,
    /// Sign with an external command (see `anyqtama sign --help`).
    #[arg(long, value_name = "CMD")]
    sign_with_command: Option<String>,
    /// The signer's certificate chain as PEM (with --sign-with-command).
    #[arg(long, value_name = "CERT.pem", requires = "sign_with_command")]
    sign_cert: Option<PathBuf>,
    /// The command builds the whole CMS SignedData (see `anyqtama sign --help`).
    #[arg(long, requires = "sign_with_command", conflicts_with = "sign_cert")]
    sign_command_cms: bool,
    /// Show the signature as a framed 70 × 10 mm rectangle in the room the layout keeps
    /// for it: on the last page, under the body and the footer (in the electronic edition,
    /// under the barcode note), left of the page number.
    #[arg(long)]
    sign_visible: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The signed PDF.
    #[arg(value_name = "FILE.pdf")]
    input: PathBuf,
    /// Trusted certificates (PEM or DER); the signers' chains must lead to one of them.
    #[arg(long, value_name = "CERT.pem")]
    trust: Vec<PathBuf>,
}

/// A signer from the key file or the command, or the exit code after printing why not.
fn signer(
    p12: Option<&Path>,
    password_env: Option<&str>,
    password_flag: &str,
    command: Option<&str>,
    cert: (Option<&Path>, &str),
    command_cms: bool,
) -> Result<Box<dyn Signer>, Exit> {
    if let Some(command) = command {
        if command_cms {
            return Ok(Box::new(CommandSigner::cms(command)));
        }
        let (Some(cert), _) = cert else {
            return Err(fail(format!(
                "--sign-with-command needs the signer's certificate ({} CERT.pem), or {} when the command \
                 writes the whole CMS structure",
                cert.1, "--sign-command-cms"
            )));
        };
        let pem = read(cert)?;
        return CommandSigner::new(command, &pem)
            .map(|s| Box::new(s) as Box<dyn Signer>)
            .map_err(|e| invalid(format!("{}: {e}", cert.display())));
    }
    let Some(p12) = p12 else { return Err(fail("nothing to sign with")) };
    let Some(var) = password_env else {
        return Err(fail(format!(
            "{password_flag} VAR is needed: the name of the variable that holds the password"
        )));
    };
    let password = std::env::var(var)
        .map_err(|_| fail(format!("{password_flag} {var}: the environment variable {var} is not set")))?;
    let data = read(p12)?;
    Pkcs12Signer::from_pkcs12(&data, &password)
        .map(|s| Box::new(s) as Box<dyn Signer>)
        .map_err(|e| invalid(format!("{}: {e}", p12.display())))
}

pub fn sign(args: SignArgs) -> Exit {
    sign_file(args).unwrap_or_else(|exit| exit)
}

fn sign_file(args: SignArgs) -> Result<Exit, Exit> {
    let signer = signer(
        args.p12.as_deref(),
        args.password_env.as_deref(),
        "--password-env",
        args.external.sign_with_command.as_deref(),
        (args.external.cert.as_deref(), "--cert"),
        args.external.sign_command_cms,
    )?;
    let pdf = read(&args.input)?;
    let options = SignOptions { visible: args.sign_visible.then_some(Visible::BottomMargin), time: None };
    let bytes = sign_pdf(&pdf, signer.as_ref(), &options)
        .map_err(|e| invalid(format!("{}: {e}", args.input.display())))?;
    write_atomic(&args.output, &bytes)
        .map_err(|e| fail(format!("failed to write {} ({e})", args.output.display())))?;
    say!("wrote {}", args.output.display());
    Ok(Exit::Success)
}

/// The bytes of a file, or the exit code after saying why not.
fn read(path: &Path) -> Result<Vec<u8>, Exit> {
    std::fs::read(path).map_err(|e| fail(format!("failed to read {} ({e})", path.display())))
}

impl SignFlags {
    /// Whether a signature is asked for (a key file or a signer command).
    pub fn is_asked(&self) -> bool {
        self.sign.is_some() || self.sign_with_command.is_some()
    }
}

/// Signs freshly rendered PDF bytes when the flags ask for it, a visible signature in `slot`
/// (the room the layout reserved); `Err` after printing why not.
pub fn sign_if_asked(flags: &SignFlags, slot: Option<SlotRect>, pdf: Vec<u8>) -> Result<Vec<u8>, Exit> {
    if !flags.is_asked() {
        return Ok(pdf);
    }
    let visible = match (flags.sign_visible, slot) {
        (false, _) => None,
        (true, Some(slot)) => Some(Visible::Slot(slot)),
        (true, None) => {
            return Err(fail("--sign-visible: the document's page is too small to show a signature on"));
        }
    };
    let signer = signer(
        flags.sign.as_deref(),
        flags.sign_password_env.as_deref(),
        "--sign-password-env",
        flags.sign_with_command.as_deref(),
        (flags.sign_cert.as_deref(), "--sign-cert"),
        flags.sign_command_cms,
    )?;
    let options = SignOptions { visible, time: None };
    sign_pdf(&pdf, signer.as_ref(), &options).map_err(|e| invalid(format!("failed to sign ({e})")))
}

pub fn verify_signature(args: VerifyArgs) -> Exit {
    verify_file(args).unwrap_or_else(|exit| exit)
}

fn verify_file(args: VerifyArgs) -> Result<Exit, Exit> {
    let mut trusted = Vec::new();
    for path in &args.trust {
        let mut certs = read_certificates(&read(path)?)
            .map_err(|e| fail(format!("{}: not a certificate ({e})", path.display())))?;
        trusted.append(&mut certs);
    }
    let pdf = read(&args.input)?;
    let file = args.input.display();
    let reports = verify_pdf(&pdf, &trusted).map_err(|e| invalid(format!("{file}: {e}")))?;
    let mut exit = Exit::Success;
    for (n, r) in reports.iter().enumerate() {
        let n = n + 1;
        let verdict = match (r.valid(), &r.not_checked) {
            (_, Some(_)) => "NOT CHECKED",
            (true, None) => "valid",
            (false, None) => "NOT VALID",
        };
        say!("signature {n} ({}): {verdict}", r.field);
        if let Some(signer) = &r.signer {
            say!("  signer: {signer}");
        }
        if let Some(alg) = r.algorithm {
            say!("  algorithm: {}", alg.name());
        }
        if let Some(time) = r.time {
            say!("  signing time: {} UTC (claimed by the signer)", time.format("%Y-%m-%d %H:%M:%S"));
        }
        if let Some(range) = r.byte_range {
            say!("  byte range: {} {} {} {}", range[0], range[1], range[2], range[3]);
            let after = if r.added_after == 0 {
                "no: it covers the whole file but the signature value".to_owned()
            } else {
                format!("yes: {} bytes were added after the signed part", r.added_after)
            };
            say!("  changed after signing: {after}");
        }
        match &r.trust {
            Trust::NotChecked if r.not_checked.is_some() => {
                say!("  chain: not checked (nor is the signature)")
            }
            Trust::NotChecked => say!("  chain: not checked (no --trust)"),
            Trust::Trusted(anchor) => say!("  chain: leads to the trusted \"{anchor}\""),
            Trust::NotTrusted(why) => say!("  chain: {why}"),
        }
        if let Some(why) = &r.not_checked {
            exit = invalid(format!("{file}: signature {n} ({}): not checked: {why}", r.field));
        }
        for problem in &r.problems {
            exit = invalid(format!("{file}: signature {n} ({}): {problem}", r.field));
        }
        if let Trust::NotTrusted(why) = &r.trust {
            exit = invalid(format!("{file}: signature {n} ({}): {why}", r.field));
        }
    }
    Ok(exit)
}
