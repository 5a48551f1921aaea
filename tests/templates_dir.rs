//! `--templates DIR`: the forms and templates of a copied directory are checked when they
//! load, templates are confined to the directory and sandboxed, and template errors are the
//! operator's (exit code 1, template file and line), never blamed on the case.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// A fresh copy of `templates/`, with `edit` applied: (file relative to it, from, to), each
/// `from` found exactly once.
fn templates_with(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&root().join("templates"), dir.path());
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).expect("template file");
        std::fs::write(&path, replaced_once(&text, from, to)).expect("write");
    }
    dir
}

/// Runs the binary from the repository root with `--templates DIR` and `args`, killing it
/// after `limit` (a hang is a failure, not a stuck test run).
fn run_templates(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_anyqtama"))
        .arg("--templates")
        .arg(dir)
        .args(args)
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            child.kill().expect("kill");
            let out = child.wait_with_output().expect("output");
            panic!("still running after {limit:?}; stderr: {}", stderr(&out));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

const LIMIT: Duration = Duration::from_secs(20);

/// Renders the individual rights certificate sample into a fresh directory with the
/// templates of `dir`: (exit code, standard error, files left in the output directory).
fn render_sample(dir: &Path) -> (Option<i32>, String, Vec<String>) {
    let out = tempfile::tempdir().expect("temp dir");
    let target: PathBuf = out.path().join("cert.pdf");
    let run = run_templates(
        dir,
        &["render", "samples/rights-certificate-individual.yaml", "-o", target.to_str().expect("path")],
        LIMIT,
    );
    (run.status.code(), stderr(&run), files_in(out.path()))
}

#[test]
fn a_symbolic_link_out_of_the_templates_directory_is_refused() {
    let dir = templates_with(&[]);
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = outside.path().join("secret.xml");
    std::fs::write(&secret, "<document>secret</document>").expect("write");
    let link = dir.path().join("common/leak.xml");
    std::os::unix::fs::symlink(&secret, &link).expect("symlink");
    let (code, err, files) = render_sample(dir.path());
    let canonical_dir = std::fs::canonicalize(dir.path()).expect("canonical");
    let canonical_secret = std::fs::canonicalize(&secret).expect("canonical");
    assert_eq!(
        err,
        format!(
            "error: failed to read templates from {} (common/leak.xml is a symbolic link to {}, outside the directory)\n",
            dir.path().display(),
            canonical_secret.display()
        ),
        "{}",
        canonical_dir.display()
    );
    assert_eq!(code, Some(1));
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn a_symbolic_link_inside_the_templates_directory_is_followed() {
    let dir = templates_with(&[]);
    let macros = dir.path().join("common/macros.xml");
    let moved = dir.path().join("common/macros-real.xml.txt");
    std::fs::rename(&macros, &moved).expect("rename");
    std::os::unix::fs::symlink(&moved, &macros).expect("symlink");
    let (code, err, files) = render_sample(dir.path());
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(files, ["cert.pdf"]);
}

#[test]
fn a_fifo_named_like_a_template_is_skipped() {
    let dir = templates_with(&[]);
    let fifo = dir.path().join("common/x.xml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let (code, err, files) = render_sample(dir.path());
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(files, ["cert.pdf"]);
}
