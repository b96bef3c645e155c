//! Any bytes as an uploaded import file: sniffed, counted, read in batches, resumed
//! from every batch's end, each row made a lead (`leadsy::imports::fuzzing`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn scratch() -> &'static std::path::Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("leadsy-fuzz-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    })
}

fuzz_target!(|bytes: &[u8]| {
    leadsy::imports::fuzzing::read_import(bytes, scratch());
});
