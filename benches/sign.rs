//! Signing overhead per document: `sign_pdf` on the rendered sample certificate (kk + ru,
//! 2 pages), with an ECDSA P-256 and an RSA-2048 key, the signature value alone, and
//! `verify_pdf` of the result. The
//! keys are made by the `openssl` command at start (as in `tests/sign.rs`).
//!
//! `cargo bench --bench sign`

use std::process::Command;

use anyqtama::Engine;
use anyqtama::sign::{Pkcs12Signer, SignOptions, sign_pdf, verify_pdf};
use anyqtama::validate::ValidateOptions;
use criterion::{Criterion, criterion_group, criterion_main};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn openssl(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("the openssl command runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn bench(c: &mut Criterion) {
    let engine = Engine::new(None).expect("templates load");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/rights-certificate-individual.yaml"
    ))
    .expect("sample");
    let loaded = engine.load("bench.yaml", &text, None, ValidateOptions::default());
    let form = engine.form("rights-certificate").expect("form");
    let langs = form.spec.default_languages();
    let pdf = engine.render_pdf(form, loaded.case.as_ref(), &langs, &Default::default()).expect("rendered");

    let dir = tempfile::tempdir().expect("temp dir");
    for (name, algorithm) in
        [("ECDSA P-256", "ec_paramgen_curve:P-256"), ("RSA-2048", "rsa_keygen_bits:2048")]
    {
        let kind = if name.starts_with("RSA") { "RSA" } else { "EC" };
        let d = dir.path();
        openssl(d, &["genpkey", "-algorithm", kind, "-pkeyopt", algorithm, "-out", "k.key"]);
        openssl(
            d,
            &["req", "-x509", "-new", "-key", "k.key", "-subj", "/CN=Bench", "-days", "30", "-out", "k.crt"],
        );
        openssl(
            d,
            &[
                "pkcs12",
                "-export",
                "-inkey",
                "k.key",
                "-in",
                "k.crt",
                "-passout",
                "pass:bench",
                "-out",
                "k.p12",
            ],
        );
        let signer =
            Pkcs12Signer::from_pkcs12(&std::fs::read(d.join("k.p12")).expect("p12"), "bench").expect("key");
        let options = SignOptions::default();
        let signed = sign_pdf(&pdf, &signer, &options).expect("signed");
        eprintln!("{name}: {} → {} bytes", pdf.len(), signed.len());
        c.bench_function(&format!("sign {name}"), |b| {
            b.iter(|| sign_pdf(&pdf, &signer, &options).expect("signed"))
        });
        // The part of it that is the key's own work: one signature over ~200 bytes of attributes.
        let attributes = [0x31u8; 200];
        c.bench_function(&format!("signature value only {name}"), |b| {
            b.iter(|| anyqtama::sign::Signer::sign(&signer, &attributes).expect("signature"))
        });
        c.bench_function(&format!("verify {name}"), |b| {
            b.iter(|| verify_pdf(&signed, &[]).expect("verified"))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
