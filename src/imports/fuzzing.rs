//! Entry points of the fuzz targets in `fuzz/`: an import's file read the way the
//! upload and the worker read it, without a database. Built only by `cargo fuzz`
//! (`cfg(fuzzing)`). Each panics when a promise breaks, which is what the fuzzer
//! looks for.

use super::columns::{Column, Header};
use super::cursor::Cursor;
use super::decimals::DecimalMark;
use super::format::{sniff, SNIFF_BYTES};
use super::rows::{candidate, Lookups};
use super::upload::header_names;
use crate::leads::MAX_VALUE_CENTS;
use crate::storage::{Blob, Storage};
use std::path::Path;
use std::sync::OnceLock;

/// The scratch file stored as the worker's storage would hold it.
fn stored(bytes: &[u8], dir: &Path) -> Blob {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    });
    let storage = Storage::local(dir, "http://fuzz").expect("the scratch storage");
    runtime
        .block_on(async {
            storage.put("import.csv", bytes).await?;
            storage.blob("import.csv").await
        })
        .expect("the scratch file is stored")
}

/// Reads `bytes` as an uploaded file: sniffed, its header matched, its rows read in
/// small batches and made leads. Promises: the count taken at the start is the
/// rows read; reading resumed from any batch's end (as after a crash) reads
/// exactly the rows that followed it; no row panics the parser.
pub fn read_import(bytes: &[u8], dir: &Path) {
    let complete = bytes.len() <= SNIFF_BYTES;
    let prefix = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let Ok(format) = sniff(prefix, complete) else {
        return;
    };
    let Ok(names) = header_names(&prefix[format.data_start as usize..], format.delimiter) else {
        return;
    };
    let lookups = Lookups::sample();
    let Ok(header) = Header::match_names(&names, &lookups.questions()) else {
        return;
    };
    let blob = stored(bytes, dir);
    let Ok((mut cursor, total)) = Cursor::open(blob.clone(), true, 0, 1) else {
        return;
    };
    let decimal = DecimalMark::of_delimiter(format.delimiter);
    let mut rows: Vec<(i64, Vec<String>)> = Vec::new();
    let mut resumes = Vec::new();
    loop {
        let Ok(batch) = cursor.next_batch(3) else {
            return;
        };
        for r in &batch.records {
            row_to_lead(&r.cells, &header, &lookups, decimal);
            rows.push((r.row, r.cells.clone()));
        }
        resumes.push((rows.len(), batch.offset, batch.row));
        if batch.end {
            break;
        }
    }
    assert_eq!(
        total,
        Some(rows.len() as i64),
        "the count matches the rows read"
    );
    for (done, offset, row) in resumes {
        let (mut again, _) = Cursor::open(blob.clone(), false, offset, row).expect("resumes");
        let mut rest = Vec::new();
        loop {
            let batch = again.next_batch(7).expect("what read once reads again");
            rest.extend(batch.records.into_iter().map(|r| (r.row, r.cells)));
            if batch.end {
                break;
            }
        }
        assert_eq!(
            rest,
            rows[done..],
            "resuming at byte {offset} reads what followed"
        );
    }
}

/// One row of cells under a header naming every lead field and the questions.
pub fn parse_row(cells: &[String]) {
    let lookups = Lookups::sample();
    let columns = [
        Column::FirstName,
        Column::LastName,
        Column::CompanyName,
        Column::Email,
        Column::Phone,
        Column::PostalCode,
        Column::Value,
        Column::Stage,
        Column::Source,
        Column::Campaign,
        Column::Question(1),
        Column::Question(2),
        Column::Question(3),
    ];
    let header = Header {
        columns: columns.into_iter().map(Some).collect(),
        notes: vec![],
    };
    for decimal in [
        DecimalMark::of_delimiter(b','),
        DecimalMark::of_delimiter(b';'),
    ] {
        row_to_lead(cells, &header, &lookups, decimal);
    }
}

fn row_to_lead(cells: &[String], header: &Header, lookups: &Lookups, decimal: DecimalMark) {
    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
    match candidate(&cells, header, lookups, decimal) {
        Ok(lead) => {
            assert!((0..=MAX_VALUE_CENTS).contains(&lead.fields.value_cents));
            let answers: serde_json::Value =
                serde_json::from_str(&lead.answers).expect("answers are JSON");
            assert!(answers.is_object());
        }
        Err(why) => assert!(!why.is_empty(), "a refused row says why"),
    }
}
