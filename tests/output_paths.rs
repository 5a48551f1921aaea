//! Issue 9, section 3: output paths never destroy anything. A run never writes over one of its
//! inputs, never replaces what is not a regular file, writes `-o -` to standard output, creates
//! `--out-dir`, refuses two cases that would write the same file, chooses the format from the
//! extension (page previews for .png and .svg), and removes the temporary files a killed run
//! left. Every refusal: exit code 1, the exact message, and the directory as it was.

mod common;

use std::path::Path;

use common::*;

/// A valid one-page-per-language rights certificate.
const CASE: &str = MINIMAL_RIGHTS_CASE;

/// The run was refused: exit 1, exactly `expected` on standard error, nothing on standard
/// output, and the directory holds exactly `files`.
#[track_caller]
fn assert_refused(run: &CaseRun, expected: &str, files: &[&str]) {
    assert_eq!(run.stderr, expected);
    assert_eq!(run.code, Some(1), "exit code");
    assert_eq!(run.stdout, "");
    assert_eq!(run.files, files, "files in the directory");
}

#[test]
fn output_named_as_the_input_is_refused_and_the_input_kept() {
    // The case file is named .pdf: its default output is itself.
    let run = run_case_files(&[("notes.pdf", CASE)], &["render", "notes.pdf"]);
    assert_refused(
        &run,
        "error: the output notes.pdf is the input notes.pdf of this run: refusing to write over it\n",
        &["notes.pdf"],
    );
    assert_eq!(std::fs::read_to_string(run.dir.path().join("notes.pdf")).expect("read"), CASE);

    // The same file by another spelling.
    let run = run_case_files(&[("case.pdf", CASE)], &["render", "case.pdf", "-o", "./sub/../case.pdf"]);
    assert_refused(
        &run,
        "error: the output ./sub/../case.pdf is the input case.pdf of this run: refusing to write over it\n",
        &["case.pdf"],
    );
    assert_eq!(std::fs::read_to_string(run.dir.path().join("case.pdf")).expect("read"), CASE);

    // -o case.yaml: not a format at all, refused before anything is read.
    let run = run_case_files(&[("case.yaml", CASE)], &["render", "case.yaml", "-o", "case.yaml"]);
    assert_refused(
        &run,
        "error: cannot tell the format of case.yaml from its extension: use .pdf, .png or .svg\n",
        &["case.yaml"],
    );
    assert_eq!(std::fs::read_to_string(run.dir.path().join("case.yaml")).expect("read"), CASE);
}

#[cfg(unix)]
#[test]
fn what_is_not_a_regular_file_is_never_replaced() {
    use std::os::unix::fs::FileTypeExt;

    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("case.yaml"), CASE).expect("case");
    let fifo = std::process::Command::new("mkfifo").arg(dir.path().join("fifo.pdf")).status();
    assert!(fifo.expect("mkfifo runs").success());
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("socket.pdf")).expect("socket");
    std::fs::create_dir(dir.path().join("dir.pdf")).expect("mkdir");
    // A link to a device node: the device is never written, nor the link replaced.
    std::os::unix::fs::symlink("/dev/null", dir.path().join("null.pdf")).expect("symlink");
    let all = ["case.yaml", "dir.pdf", "fifo.pdf", "null.pdf", "socket.pdf"];
    for (name, kind) in [
        ("fifo.pdf", "a FIFO"),
        ("socket.pdf", "a socket"),
        ("dir.pdf", "a directory"),
        ("null.pdf", "a device"),
    ] {
        for args in [
            &["render", "case.yaml", "-o", name][..],
            &["blank", "request", "-o", name],
            &["stamp", "--number", "23516", "--date", "2021-07-14", "-o", name],
        ] {
            let out = run_in(dir.path(), args);
            assert_eq!(
                stderr(&out),
                format!("error: {name} is {kind}, not a regular file: refusing to write over it\n"),
                "{args:?}"
            );
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert_eq!(files_in(dir.path()), all, "{args:?}");
        }
    }
    let meta = |name: &str| std::fs::symlink_metadata(dir.path().join(name)).expect("still there");
    assert!(meta("fifo.pdf").file_type().is_fifo());
    assert!(meta("socket.pdf").file_type().is_socket());
    assert!(meta("dir.pdf").is_dir());
    assert!(meta("null.pdf").file_type().is_symlink());
}

#[test]
fn dash_writes_the_pdf_to_standard_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("case.yaml"), CASE).expect("case");
    let out = run_in(dir.path(), &["render", "case.yaml", "-o", "-", "--lang", "kk"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let pdf = Pdf::from_bytes(&out.stdout);
    assert!(pdf.text().contains("Әлиев Әли"), "the case's data is in the PDF");
    assert_eq!(files_in(dir.path()), ["case.yaml"], "no file named -");

    let out = run_in(dir.path(), &["blank", "request", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"%PDF-"));
    assert_eq!(files_in(dir.path()), ["case.yaml"]);

    let out = run_in(dir.path(), &["render", "case.yaml", "-o", "-", "--split"]);
    assert_eq!(stderr(&out), "error: --split writes one file per language: give -o a file name, not -\n");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn out_dir_is_created_when_missing() {
    let run = run_case_files(&[("case.yaml", CASE)], &["render", "case.yaml", "--out-dir", "out/2021/07"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "wrote out/2021/07/case.pdf\n");
    assert!(Pdf::open(&run.dir.path().join("out/2021/07/case.pdf")).text().contains("Әлиев Әли"));
}

#[test]
fn two_cases_writing_one_file_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    for sub in ["a", "b"] {
        std::fs::create_dir(dir.path().join(sub)).expect("mkdir");
        std::fs::write(dir.path().join(sub).join("case.yaml"), CASE).expect("case");
    }
    std::fs::write(dir.path().join("other.yaml"), CASE).expect("case");
    let out = run_in(dir.path(), &["render", "other.yaml", "a/case.yaml", "b/case.yaml", "--out-dir", "out"]);
    assert_eq!(
        stderr(&out),
        "error: a/case.yaml and b/case.yaml would both be written to out/case.pdf: nothing was written\n"
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert_eq!(files_in(dir.path()), ["a", "b", "other.yaml"], "not even the out dir");

    // The same case named twice.
    let out = run_in(dir.path(), &["render", "other.yaml", "./other.yaml"]);
    assert_eq!(
        stderr(&out),
        "error: other.yaml and ./other.yaml would both be written to ./other.pdf: nothing was written\n"
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(files_in(dir.path()), ["a", "b", "other.yaml"]);
}

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    (word(16), word(20))
}

#[test]
fn png_and_svg_write_one_preview_per_page() {
    let run =
        run_case_files(&[("case.yaml", CASE)], &["render", "case.yaml", "-o", "page.png", "--dpi", "36"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.files, ["case.yaml", "page-1.png", "page-2.png"], "kk and ru, one page each");
    assert_eq!(run.stdout, "wrote page-1.png\nwrote page-2.png\n");
    for page in ["page-1.png", "page-2.png"] {
        // A4 at 36 dpi: 210 mm = 297.6 px, 297 mm = 420.9 px.
        let bytes = std::fs::read(run.dir.path().join(page)).expect("png");
        assert_eq!(png_size(&bytes), (298, 421), "{page}");
    }

    let run =
        run_case_files(&[("case.yaml", CASE)], &["render", "case.yaml", "-o", "page.svg", "--lang", "ru"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.files, ["case.yaml", "page-1.svg"]);
    let svg = std::fs::read_to_string(run.dir.path().join("page-1.svg")).expect("svg");
    assert!(svg.contains("width=\"210mm\"") && svg.contains("height=\"297mm\""), "A4: {}", &svg[..300]);
    assert!(svg.contains("Әлиев Әли"), "the case's data is in the SVG's text");

    let run = run_case_files(
        &[("case.yaml", CASE)],
        &["render", "case.yaml", "-o", "page.png", "--split", "--dpi", "20"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.files, ["case.yaml", "page.kk-1.png", "page.ru-1.png"]);
}

#[test]
fn an_unknown_language_is_refused_by_the_argument_parser() {
    let run = run_case_files(&[("case.yaml", CASE)], &["render", "case.yaml", "--lang", "kk,kz"]);
    assert_refused(
        &run,
        "error: invalid value 'kz' for '--lang <LANGS>'\n  [possible values: kk, ru, en]\n\n\
         For more information, try '--help'.\n",
        &["case.yaml"],
    );
    let run = run_case_files(&[("case.yaml", CASE)], &["render", "case.yaml", "--lang", "rus"]);
    assert_refused(
        &run,
        "error: invalid value 'rus' for '--lang <LANGS>'\n  [possible values: kk, ru, en]\n\n  \
         tip: a similar value exists: 'ru'\n\nFor more information, try '--help'.\n",
        &["case.yaml"],
    );
}

#[test]
fn unknown_formats_and_misplaced_dpi_are_refused() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["-o", "out.txt"],
            "error: cannot tell the format of out.txt from its extension: use .pdf, .png or .svg\n",
        ),
        (&["-o", "out"], "error: cannot tell the format of out from its extension: use .pdf, .png or .svg\n"),
        (&["-o", "out.pdf", "--dpi", "300"], "error: --dpi is for PNG previews, not out.pdf\n"),
        (&["-o", "out.svg", "--dpi", "300"], "error: --dpi is for PNG previews, not out.svg\n"),
        (&["-o", "out.png", "--dpi", "0"], "error: --dpi must be from 1 to 2400 (got 0)\n"),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["render", "case.yaml"];
        args.extend_from_slice(extra);
        let run = run_case_files(&[("case.yaml", CASE)], &args);
        assert_refused(&run, expected, &["case.yaml"]);
    }
    let run = run_case_files(&[], &["blank", "request", "-o", "blank.docx"]);
    assert_refused(
        &run,
        "error: cannot tell the format of blank.docx from its extension: use .pdf, .png or .svg\n",
        &[],
    );
}

#[test]
fn temporary_files_of_a_killed_run_are_removed_by_the_next() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("case.yaml"), CASE).expect("case");
    // What a run killed while writing leaves: its temporary file, unlocked.
    std::fs::write(dir.path().join(".case.pdf.anyqtama-4242.tmp"), b"%PDF-1.7 half").expect("tmp");
    // A run still writing holds its temporary file locked: it stays.
    let live = dir.path().join(".other.pdf.anyqtama-4243.tmp");
    std::fs::write(&live, b"%PDF-1.7 half").expect("tmp");
    let held = std::fs::File::open(&live).expect("open");
    held.lock().expect("lock");
    // Not ours: stays.
    std::fs::write(dir.path().join(".case.pdf.tmp"), b"someone else's").expect("tmp");
    let out = run_in(dir.path(), &["render", "case.yaml", "--lang", "kk"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        files_in(dir.path()),
        [".case.pdf.tmp", ".other.pdf.anyqtama-4243.tmp", "case.pdf", "case.yaml"]
    );
    drop(held);
    // Unlocked now: the next run writing there removes it (the stamp, too, writes through it).
    let out = run_in(dir.path(), &["stamp", "--number", "23516", "--date", "2021-07-14", "-o", "stamp.svg"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(files_in(dir.path()), [".case.pdf.tmp", "case.pdf", "case.yaml", "stamp.svg"]);
    assert!(Path::new(&dir.path().join("case.pdf")).exists());
}

#[test]
fn stamp_never_writes_over_its_case_and_takes_dpi_only_for_png() {
    let case = "form: stamp\nregistration_number: \"23516\"\nregistered_on: 2021-07-14\n";
    // A case file named .pdf (YAML inside), and -o naming it.
    let run = run_case_files(&[("stamp.pdf", case)], &["stamp", "stamp.pdf", "-o", "./stamp.pdf"]);
    assert_refused(
        &run,
        "error: the output ./stamp.pdf is the input stamp.pdf of this run: refusing to write over it\n",
        &["stamp.pdf"],
    );
    assert_eq!(std::fs::read_to_string(run.dir.path().join("stamp.pdf")).expect("read"), case);
    for name in ["s.svg", "s.pdf"] {
        let run = run_case_files(
            &[],
            &["stamp", "--number", "1", "--date", "2021-07-14", "--dpi", "600", "-o", name],
        );
        assert_refused(&run, &format!("error: --dpi is for a PNG, not {name}\n"), &[]);
    }
}

/// A process that holds a temporary file's lock, then is killed with SIGKILL: while it lives
/// its file stays, once it is killed the next run removes it.
#[cfg(unix)]
#[test]
fn temporary_file_of_a_process_killed_with_sigkill_is_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("case.yaml"), CASE).expect("case");
    let tmp = dir.path().join(".case.pdf.anyqtama-31337.tmp");
    std::fs::write(&tmp, b"%PDF-1.7 half").expect("tmp");
    // flock(1) takes the same lock (flock(2)) a writer holds, and keeps it while its child
    // sleeps; both are in a process group of their own, killed together.
    use std::os::unix::process::CommandExt;
    let mut holder =
        match std::process::Command::new("flock").arg(&tmp).args(["sleep", "60"]).process_group(0).spawn() {
            Ok(child) => child,
            Err(e) => {
                eprintln!("SKIPPED: flock(1) is not installed ({e})");
                return;
            }
        };
    // Wait until the lock is held: our own try_lock fails then.
    let probe = std::fs::File::open(&tmp).expect("open");
    let start = std::time::Instant::now();
    while probe.try_lock().is_ok() {
        probe.unlock().expect("unlock");
        assert!(start.elapsed().as_secs() < 10, "flock never took the lock");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = run_in(dir.path(), &["render", "case.yaml", "--lang", "kk"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(tmp.exists(), "a live writer's file stays");
    let group = format!("-{}", holder.id());
    let killed =
        std::process::Command::new("kill").args(["-KILL", "--", &group]).status().expect("kill runs");
    assert!(killed.success(), "SIGKILL sent to the group");
    holder.wait().expect("reaped");
    // The sleeping child, reparented, may take a moment to die and drop the lock.
    let start = std::time::Instant::now();
    while probe.try_lock().is_err() {
        assert!(start.elapsed().as_secs() < 10, "the lock outlived the killed processes");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    probe.unlock().expect("unlock");
    drop(probe);
    let out = run_in(dir.path(), &["render", "case.yaml", "-o", "again.pdf", "--lang", "kk"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(files_in(dir.path()), ["again.pdf", "case.pdf", "case.yaml"]);
}
