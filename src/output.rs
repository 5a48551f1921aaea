//! Writing files so that nothing is lost: a reader never sees half of a file, nothing but a
//! regular file is ever replaced, and a run never writes over its own inputs.
//!
//! [`write_atomic`] writes to a temporary file beside the target and renames it over the
//! target. The temporary file is named `.NAME.anyqtama-PID.tmp` and locked while it is
//! written; one left by a killed process is unlocked, and the next [`write_atomic`] into that
//! directory removes it ([`remove_stale_temporaries`]). A target that exists and is not a
//! regular file (a directory, a FIFO, a socket, a device) is refused, never replaced.
//!
//! [`Plan`] checks the outputs of a run before anything is rendered: none may be an input of
//! the run, and no two may be the same file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::io_cause;

/// What went wrong with an output path.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The target exists and is not a regular file.
    #[error("{} is {kind}, not a regular file: refusing to write over it", path.display())]
    NotAFile {
        /// The target.
        path: PathBuf,
        /// What it is: `a directory`, `a FIFO`, `a socket`, `a device`, …
        kind: &'static str,
    },
    /// The target is one of the run's inputs.
    #[error("the output {} is the input {} of this run: refusing to write over it", path.display(), input.display())]
    IsInput {
        /// The target.
        path: PathBuf,
        /// The input, as the user named it.
        input: PathBuf,
    },
    /// Two outputs of one run are the same file.
    #[error("{} and {} would both be written to {}: nothing was written", first.display(), second.display(), path.display())]
    Duplicate {
        /// The target.
        path: PathBuf,
        /// What the first output is for (an input file, as the user named it).
        first: PathBuf,
        /// What the second output is for.
        second: PathBuf,
    },
    /// Writing failed.
    #[error("failed to write {} ({})", path.display(), io_cause(source))]
    Io {
        /// The target.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The outputs of one run, checked against its inputs and each other before anything is
/// written.
#[derive(Debug, Default)]
pub struct Plan {
    /// The inputs as named, in order (an [`Owner`] counts them from 0), each with its
    /// identity when it is a file (`-`, standard input, is not).
    inputs: Vec<(PathBuf, Option<PathBuf>)>,
    /// A digest of the identity of each planned output → what it is written for: a map, so
    /// that a batch of thousands plans in linear time, of 24 bytes per output, so that a
    /// batch's memory hardly grows with its length.
    outputs: std::collections::HashMap<Key, Owner>,
}

/// The first 128 bits of the SHA-256 of an output's identity: two different paths have the
/// same key with a probability no batch will ever meet.
type Key = [u8; 16];

fn key(identity: &Path) -> Key {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(identity.as_os_str().as_encoded_bytes());
    let mut key = [0; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

/// What a planned output is written for: an input of the run, or one line of it (a case of a
/// JSON Lines file); shown in messages as `FILE` or `FILE:LINE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    /// The input's index in the inputs of [`Plan::new`].
    input: u32,
    /// The line; 0 for the whole file.
    line: u32,
}

impl Owner {
    /// The whole input `input` (counted from 0 in the inputs of [`Plan::new`]).
    pub fn input(input: usize) -> Owner {
        Owner { input: u32::try_from(input).unwrap_or(u32::MAX), line: 0 }
    }

    /// Line `line` (counted from 1) of the input `input`.
    pub fn line(input: usize, line: u32) -> Owner {
        Owner { line, ..Owner::input(input) }
    }
}

impl Plan {
    /// A plan for a run that reads `inputs` (`-` is standard input, not a file).
    pub fn new<P: AsRef<Path>>(inputs: &[P]) -> Plan {
        let inputs = inputs
            .iter()
            .map(AsRef::as_ref)
            .map(|p| (p.to_path_buf(), (p.as_os_str() != "-").then(|| identity(p))))
            .collect();
        Plan { inputs, outputs: std::collections::HashMap::new() }
    }

    /// `FILE` or `FILE:LINE`, as the user named the input.
    pub fn describe(&self, owner: Owner) -> PathBuf {
        let name = usize::try_from(owner.input)
            .ok()
            .and_then(|i| self.inputs.get(i))
            .map_or_else(|| PathBuf::from("-"), |(name, _)| name.clone());
        match owner.line {
            0 => name,
            line => {
                let mut text = name.into_os_string();
                text.push(format!(":{line}"));
                PathBuf::from(text)
            }
        }
    }

    /// The input whose identity is `id`, as named.
    fn input_at(&self, id: &Path) -> Option<&PathBuf> {
        self.inputs.iter().find(|(_, i)| i.as_deref() == Some(id)).map(|(name, _)| name)
    }

    /// Adds the output `path`, written for `owner`: refused when it is an input of the run,
    /// or an output already planned, or exists and is not a regular file.
    pub fn add(&mut self, path: &Path, owner: Owner) -> Result<(), OutputError> {
        check_target(path)?;
        let id = identity(path);
        if let Some(input) = self.input_at(&id) {
            return Err(OutputError::IsInput { path: path.to_path_buf(), input: input.clone() });
        }
        let key = key(&id);
        if let Some(&first) = self.outputs.get(&key) {
            return Err(OutputError::Duplicate {
                path: path.to_path_buf(),
                first: self.describe(first),
                second: self.describe(owner),
            });
        }
        self.outputs.insert(key, owner);
        Ok(())
    }

    /// Whether `path` was planned as the output written for `owner` (a batch names its cases
    /// again when it renders them, and writes only what it planned).
    pub fn is_planned_for(&self, path: &Path, owner: Owner) -> bool {
        self.outputs.get(&key(&identity(path))) == Some(&owner)
    }

    /// Checks a file about to be written that was not planned (a per-language file of
    /// `--split`): refused when it is an input of the run.
    pub fn check_input(&self, path: &Path) -> Result<(), OutputError> {
        let id = identity(path);
        match self.input_at(&id) {
            Some(input) => Err(OutputError::IsInput { path: path.to_path_buf(), input: input.clone() }),
            None => Ok(()),
        }
    }
}

/// What a path names, to compare two paths: the canonical path of its deepest existing
/// ancestor, with the rest of the path after it (`..` and `.` resolved as written).
fn identity(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(canonical) = std::fs::canonicalize(base) {
            let mut out = canonical;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::Normal(name) => out.push(name),
                    _ => {}
                }
            }
            return out;
        }
        match (base.parent(), base.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                base = parent;
            }
            _ => return absolute,
        }
    }
}

/// Refuses a target that exists and is not a regular file (through symbolic links).
pub fn check_target(path: &Path) -> Result<(), OutputError> {
    let Ok(metadata) = std::fs::metadata(path) else { return Ok(()) };
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let name = if kind.is_dir() { "a directory" } else { special_kind(&kind) };
    Err(OutputError::NotAFile { path: path.to_path_buf(), kind: name })
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "something else"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "something else"
}

/// The marker in the names of our temporary files: `.NAME.anyqtama-PID.tmp`.
const TEMPORARY_MARK: &str = ".anyqtama-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` atomically: through a locked temporary file in the same
/// directory, renamed over the target. Refuses a target that is not a regular file. Removes
/// the temporary files killed processes left in that directory first (once per directory in
/// a process). On failure nothing is left behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let io = |source| OutputError::Io { path: path.to_path_buf(), source };
    check_target(path)?;
    let tmp = temporary_path(path);
    let attempt = || -> std::io::Result<bool> {
        let mut file = std::fs::File::create(&tmp)?;
        // Held until the file is renamed: an unlocked temporary file is a dead process's.
        // Where the file system has no locks, no run can lock one either, and none removes it.
        let _ = file.lock();
        file.write_all(bytes)?;
        file.sync_all()?;
        // Another run may have taken the file for a dead one between its creation and the
        // lock: then it is gone, and is written again.
        if !tmp.exists() {
            return Ok(false);
        }
        std::fs::rename(&tmp, path)?;
        Ok(true)
    };
    let mut result = attempt();
    for _ in 0..3 {
        if !matches!(result, Ok(false)) {
            break;
        }
        result = attempt();
    }
    let result = match result {
        Ok(true) => Ok(()),
        Ok(false) => Err(std::io::Error::other("the temporary file was removed while it was written")),
        Err(e) => Err(e),
    };
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// Files of a batch written without an `fsync` each: [`Staged::stage`] writes a file to its
/// locked temporary file, [`Staged::commit`] then makes every staged file durable with one
/// sync of the file system, renames them into place and syncs their directories once each.
///
/// What a crash can lose: the files staged since the last commit (their temporary files stay
/// behind, unlocked, and the next run that writes into that directory removes them); a
/// target is always either what it was before or the whole new file, never part of one,
/// because nothing is renamed before its bytes are on disk. After a commit returns, its
/// files and their names are on disk.
///
/// It can be shared between threads: workers stage, one thread commits.
#[derive(Debug, Default)]
pub struct Staged {
    pending: std::sync::Mutex<Vec<Pending>>,
}

/// A file written to its temporary file and not yet renamed.
#[derive(Debug)]
struct Pending {
    tmp: PathBuf,
    path: PathBuf,
    /// Open and locked until the rename: an unlocked temporary file is a dead process's.
    file: std::fs::File,
}

impl Staged {
    /// Nothing staged.
    pub fn new() -> Staged {
        Staged::default()
    }

    /// Writes `bytes` to the temporary file of `path` (not synced, not renamed yet); refuses a
    /// target that is not a regular file. On failure nothing is left behind.
    pub fn stage(&self, path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        let io = |source| OutputError::Io { path: path.to_path_buf(), source };
        check_target(path)?;
        let tmp = temporary_path(path);
        let write = || -> std::io::Result<std::fs::File> {
            let mut file = std::fs::File::create(&tmp)?;
            let _ = file.lock();
            file.write_all(bytes)?;
            Ok(file)
        };
        match write() {
            Ok(file) => {
                let pending = Pending { tmp, path: path.to_path_buf(), file };
                self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(pending);
                Ok(())
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(io(e))
            }
        }
    }

    /// How many files are staged and not committed.
    pub fn len(&self) -> usize {
        self.pending.lock().map_or(0, |p| p.len())
    }

    /// Whether no file is staged.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Syncs the staged files (one `syncfs` per file system on Linux, an `fsync` per file
    /// elsewhere), renames each into place and syncs each directory once. Returns the files
    /// that could not be put in place, with why; their temporary files are removed.
    pub fn commit(&self) -> Vec<(PathBuf, OutputError)> {
        let pending =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        let mut failed = Vec::new();
        let mut synced = Vec::with_capacity(pending.len());
        let mut filesystems: Vec<u64> = Vec::new();
        for p in pending {
            match sync_data(&p.file, &mut filesystems) {
                Ok(()) => synced.push(p),
                Err(source) => {
                    let _ = std::fs::remove_file(&p.tmp);
                    failed.push((p.path.clone(), OutputError::Io { path: p.path, source }));
                }
            }
        }
        let mut dirs: Vec<PathBuf> = Vec::new();
        for p in synced {
            // Another run may have taken the file for a dead one: then it is gone.
            let renamed = if p.tmp.exists() {
                std::fs::rename(&p.tmp, &p.path)
            } else {
                Err(std::io::Error::other("the temporary file was removed while it was written"))
            };
            drop(p.file);
            match renamed {
                Ok(()) => {
                    let dir = parent_dir(&p.path);
                    if !dirs.contains(&dir) {
                        dirs.push(dir);
                    }
                }
                Err(source) => {
                    let _ = std::fs::remove_file(&p.tmp);
                    failed.push((p.path.clone(), OutputError::Io { path: p.path, source }));
                }
            }
        }
        for dir in dirs {
            // Makes the renames durable; a file system that cannot sync a directory (some
            // network ones) has nothing more to offer, so that is not a failure.
            if let Ok(d) = std::fs::File::open(&dir) {
                let _ = d.sync_all();
            }
        }
        failed
    }
}

impl Drop for Staged {
    /// Files staged and never committed are removed.
    fn drop(&mut self) {
        let pending =
            std::mem::take(self.pending.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner));
        for p in pending {
            let _ = std::fs::remove_file(&p.tmp);
        }
    }
}

/// Makes a file's data durable: on Linux one `syncfs` per file system (`filesystems` holds
/// the devices already synced in this commit), elsewhere `fsync`.
#[cfg(target_os = "linux")]
fn sync_data(file: &std::fs::File, filesystems: &mut Vec<u64>) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let device = file.metadata()?.dev();
    if filesystems.contains(&device) {
        return Ok(());
    }
    rustix::fs::syncfs(file)?;
    filesystems.push(device);
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync_data(file: &std::fs::File, _: &mut Vec<u64>) -> std::io::Result<()> {
    file.sync_all()
}

/// The directory of `path` (`.` for a bare name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.NAME.anyqtama-PID.tmp` beside `path`, after removing (once per directory in a process)
/// the temporary files killed processes left there.
fn temporary_path(path: &Path) -> PathBuf {
    let dir = parent_dir(path);
    // Once per directory and run: a batch of many cases into one directory reads it once.
    // The directories as named, then by identity (a path resolved once per name).
    static CLEANED: std::sync::Mutex<(Vec<PathBuf>, Vec<PathBuf>)> =
        std::sync::Mutex::new((Vec::new(), Vec::new()));
    if let Ok(mut cleaned) = CLEANED.lock()
        && !cleaned.0.contains(&dir)
    {
        let id = identity(&dir);
        if !cleaned.1.contains(&id) {
            remove_stale_temporaries(&dir);
            cleaned.1.push(id);
        }
        cleaned.0.push(dir.clone());
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    dir.join(format!(".{name}{TEMPORARY_MARK}{}{TEMPORARY_SUFFIX}", std::process::id()))
}

/// Removes the temporary files of [`write_atomic`] in `dir` that no process holds: those a
/// killed process left. Files of running writers are locked and kept. Returns how many were
/// removed; problems (an unreadable directory) are ignored, as the write that follows reports
/// them.
pub fn remove_stale_temporaries(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !is_temporary_name(name) || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = std::fs::File::open(&path) else { continue };
        if file.try_lock().is_ok() && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether `name` is one of [`write_atomic`]'s temporary files: `.NAME.anyqtama-PID.tmp`.
fn is_temporary_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.').and_then(|n| n.strip_suffix(TEMPORARY_SUFFIX)) else {
        return false;
    };
    match rest.rfind(TEMPORARY_MARK) {
        Some(i) => {
            let pid = &rest[i + TEMPORARY_MARK.len()..];
            i > 0 && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("a.pdf");
        write_atomic(&target, b"%PDF").expect("written");
        assert_eq!(std::fs::read(&target).expect("read"), b"%PDF");
        assert_eq!(names(dir.path()), ["a.pdf"]);
    }

    #[test]
    fn failure_leaves_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("missing-dir").join("a.pdf");
        assert!(write_atomic(&target, b"%PDF").is_err());
        assert!(!target.exists());
    }

    #[test]
    fn a_directory_is_not_replaced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("out.pdf");
        std::fs::create_dir(&target).expect("mkdir");
        let err = write_atomic(&target, b"%PDF").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{} is a directory, not a regular file: refusing to write over it", target.display())
        );
        assert!(target.is_dir());
        assert_eq!(names(dir.path()), ["out.pdf"]);
    }

    #[test]
    fn temporary_names_are_recognised() {
        assert!(is_temporary_name(".cert.pdf.anyqtama-1234.tmp"));
        assert!(!is_temporary_name(".cert.pdf.anyqtama-.tmp"));
        assert!(!is_temporary_name("cert.pdf.anyqtama-12.tmp"));
        assert!(!is_temporary_name(".anyqtama-12.tmp"));
        assert!(!is_temporary_name(".cert.pdf.12.tmp"));
    }

    #[test]
    fn stale_temporaries_go_and_locked_ones_stay() {
        let dir = tempfile::tempdir().expect("temp dir");
        let stale = dir.path().join(".a.pdf.anyqtama-99999999.tmp");
        std::fs::write(&stale, b"half").expect("write");
        let live = dir.path().join(".b.pdf.anyqtama-1.tmp");
        std::fs::write(&live, b"half").expect("write");
        let held = std::fs::File::open(&live).expect("open");
        held.lock().expect("lock");
        let other = dir.path().join(".notes.tmp");
        std::fs::write(&other, b"mine").expect("write");
        write_atomic(&dir.path().join("c.pdf"), b"%PDF").expect("written");
        assert_eq!(names(dir.path()), [".b.pdf.anyqtama-1.tmp", ".notes.tmp", "c.pdf"]);
        drop(held);
    }

    #[test]
    fn staged_files_appear_only_when_committed() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("b.pdf"), b"old").expect("write");
        let staged = Staged::new();
        staged.stage(&dir.path().join("a.pdf"), b"%PDF-a").expect("staged");
        staged.stage(&dir.path().join("b.pdf"), b"%PDF-b").expect("staged");
        assert_eq!(staged.len(), 2);
        // Before the commit (a crash here): the targets are absent or as they were.
        let pid = std::process::id();
        assert_eq!(
            names(dir.path()),
            [format!(".a.pdf.anyqtama-{pid}.tmp"), format!(".b.pdf.anyqtama-{pid}.tmp"), "b.pdf".to_owned()]
        );
        assert_eq!(std::fs::read(dir.path().join("b.pdf")).expect("read"), b"old");
        assert!(staged.commit().is_empty());
        assert!(staged.is_empty());
        assert_eq!(names(dir.path()), ["a.pdf", "b.pdf"]);
        assert_eq!(std::fs::read(dir.path().join("b.pdf")).expect("read"), b"%PDF-b");
    }

    #[test]
    fn staged_files_never_committed_are_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let staged = Staged::new();
        staged.stage(&dir.path().join("a.pdf"), b"%PDF").expect("staged");
        drop(staged);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_staged_file_whose_temporary_file_went_is_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        let staged = Staged::new();
        let target = dir.path().join("a.pdf");
        staged.stage(&target, b"%PDF").expect("staged");
        std::fs::remove_file(temporary_path(&target)).expect("removed");
        let failed = staged.commit();
        assert_eq!(failed.len(), 1);
        assert_eq!(
            failed[0].1.to_string(),
            format!(
                "failed to write {} (the temporary file was removed while it was written)",
                target.display()
            )
        );
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn plan_refuses_inputs_and_duplicates() {
        let dir = tempfile::tempdir().expect("temp dir");
        let case = dir.path().join("case.yaml");
        std::fs::write(&case, "form: x").expect("write");
        let mut plan = Plan::new(&[case.clone(), PathBuf::from("-"), PathBuf::from("cases.jsonl")]);
        let err = plan.add(&dir.path().join(".").join("case.yaml"), Owner::input(0)).unwrap_err();
        assert!(matches!(err, OutputError::IsInput { .. }), "{err}");
        let out = dir.path().join("out").join("case.pdf");
        plan.add(&out, Owner::line(2, 7)).expect("first");
        let err = plan.add(&dir.path().join("out/../out/case.pdf"), Owner::input(1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "cases.jsonl:7 and - would both be written to {}/out/../out/case.pdf: nothing was written",
                dir.path().display()
            )
        );
        assert!(plan.is_planned_for(&dir.path().join("out/./case.pdf"), Owner::line(2, 7)));
        assert!(!plan.is_planned_for(&out, Owner::line(2, 8)));
        assert!(!plan.is_planned_for(&dir.path().join("out/other.pdf"), Owner::line(2, 7)));
    }
}
