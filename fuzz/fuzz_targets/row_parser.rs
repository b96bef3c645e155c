//! Any cells as one import row under a header naming every lead field and question.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|cells: Vec<String>| {
    leadsy::imports::fuzzing::parse_row(&cells);
});
