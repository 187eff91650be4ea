//! Putting a generated crate on disk: everything is written to a new directory beside the
//! target first and swapped in only when complete, so a failure never leaves a half-written
//! client over a good one.

use std::fs;
use std::path::Path;

use crate::diagnostics::Error;
use crate::emit::GeneratedCrate;

/// Replaces the directory `out` with exactly the files of `generated`.
pub fn write_crate(generated: &GeneratedCrate, out: &Path) -> Result<(), Error> {
    let io = |what: &str, err: std::io::Error| Error::general(format!("cannot {what}: {err}"));
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => std::env::current_dir().map_err(|err| io("find the current directory", err))?,
    };
    fs::create_dir_all(&parent).map_err(|err| io(&format!("create {}", parent.display()), err))?;
    let staging = tempfile::Builder::new()
        .prefix(".openapi-gen-")
        .tempdir_in(&parent)
        .map_err(|err| io(&format!("create a staging directory in {}", parent.display()), err))?;
    for (relative, contents) in &generated.files {
        let path = staging.path().join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|err| io(&format!("create {}", dir.display()), err))?;
        }
        fs::write(&path, contents).map_err(|err| io(&format!("write {}", path.display()), err))?;
    }
    let staged = staging.keep();
    if out.exists() {
        let retired = parent.join(format!(
            ".openapi-gen-old-{}",
            out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        if retired.exists() {
            fs::remove_dir_all(&retired).map_err(|err| io(&format!("remove {}", retired.display()), err))?;
        }
        fs::rename(out, &retired).map_err(|err| io(&format!("move {} aside", out.display()), err))?;
        if let Err(err) = fs::rename(&staged, out) {
            // Put the old client back rather than leave nothing.
            let _ = fs::rename(&retired, out);
            return Err(io(&format!("move the new client to {}", out.display()), err));
        }
        fs::remove_dir_all(&retired).map_err(|err| io(&format!("remove {}", retired.display()), err))?;
    } else {
        fs::rename(&staged, out).map_err(|err| io(&format!("move the new client to {}", out.display()), err))?;
    }
    Ok(())
}
