//! Writing files so that a reader never sees half of one: write to a temporary file beside
//! the target, then rename it over the target.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically. On failure nothing is left behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("a.pdf");
        write_atomic(&target, b"%PDF").expect("written");
        assert_eq!(std::fs::read(&target).expect("read"), b"%PDF");
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).expect("list").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, ["a.pdf"]);
    }

    #[test]
    fn failure_leaves_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("missing-dir").join("a.pdf");
        assert!(write_atomic(&target, b"%PDF").is_err());
        assert!(!target.exists());
    }
}
