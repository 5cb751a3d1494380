//! The committed completions and man pages match what the clap definition generates now.

use std::fs;
use std::path::Path;

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let fresh = tempfile::tempdir().expect("temp dir");
    alsatool::commands::generate::write_all(fresh.path()).expect("generate");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for sub in ["completions", "man"] {
        for entry in fs::read_dir(fresh.path().join(sub)).expect("read generated dir") {
            let entry = entry.expect("dir entry");
            let name = entry.file_name();
            let committed = repo.join(sub).join(&name);
            let new = fs::read(entry.path()).expect("read generated file");
            if fs::read(&committed).ok().as_deref() != Some(&new[..]) {
                stale.push(format!("{sub}/{}", name.to_string_lossy()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}; run `cargo run -- generate .` and commit the result"
    );
}
