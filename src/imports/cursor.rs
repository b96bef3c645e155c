//! Reading an import's file: a record at a time from a byte offset, numbered as
//! a spreadsheet numbers its rows, so that a batch can end anywhere and the next
//! one, in this process or after a crash, starts exactly where it ended.

use super::format::{sniff, Format, SNIFF_BYTES};
use crate::storage::{Blob, Ranges};
use crate::{Error, Result};
use std::io::{BufReader, Read};

/// The file's delimiter and where its header starts, from its first bytes.
fn file_format(blob: &Blob) -> Result<Format> {
    let mut prefix = Vec::with_capacity(SNIFF_BYTES);
    blob.read_from(0)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(|_| Error::Unavailable)?;
    let complete = prefix.len() < SNIFF_BYTES;
    sniff(&prefix, complete).map_err(|m| Error::field("file", &m))
}

/// One record of the file: its row number as a spreadsheet shows it and its cells.
pub(super) struct Record {
    pub row: i64,
    pub cells: Vec<String>,
    /// Some cell was not UTF-8; `cells` then holds a lossy reading.
    pub garbled: bool,
}

pub(super) struct Batch {
    pub records: Vec<Record>,
    /// Where the next batch starts: its byte offset and the last row read.
    pub offset: u64,
    pub row: i64,
    pub end: bool,
}

/// The most one row may take. A quote left open makes the rest of the file one
/// row; reading stops here instead of holding the file in memory.
const MAX_ROW_BYTES: u64 = 1 << 20;

/// The file as the CSV reader sees it: past a row's allowance, reading fails. It
/// keeps the last two chunks it handed over, which hold every byte the reader
/// has buffered, so a record's last byte can be looked at.
struct Capped {
    file: BufReader<Ranges>,
    handed: u64,
    limit: u64,
    recent: [Chunk; 2],
    /// The stream starts with one `\n` of its own (an empty line, which the
    /// reader skips): the reader drops a byte order mark at the start of what it
    /// reads, and a row resumed mid-file must keep one that opens its first cell.
    led: bool,
}

#[derive(Default)]
struct Chunk {
    start: u64,
    bytes: Vec<u8>,
}

impl Capped {
    fn byte_at(&self, at: u64) -> Option<u8> {
        self.recent.iter().find_map(|c| {
            let i = usize::try_from(at.checked_sub(c.start)?).ok()?;
            c.bytes.get(i).copied()
        })
    }
}

impl Read for Capped {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.handed >= self.limit {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "it is longer than {} MB; is a quote left open?",
                    MAX_ROW_BYTES >> 20
                ),
            ));
        }
        let n = match buf.split_first_mut() {
            Some((first, rest)) if !self.led => {
                self.led = true;
                *first = b'\n';
                1 + self.file.read(rest)?
            }
            _ => self.file.read(buf)?,
        };
        self.recent.swap(0, 1);
        let newest = &mut self.recent[1];
        newest.start = self.handed;
        newest.bytes.clear();
        newest.bytes.extend_from_slice(&buf[..n]);
        self.handed += n as u64;
        Ok(n)
    }
}

/// A position in the file and the reader from there on.
pub(super) struct Cursor {
    blob: Blob,
    reader: csv::Reader<Capped>,
    pub format: Format,
    base: u64,
    /// The row the reader's first line follows.
    base_row: i64,
    row: i64,
    /// Line breaks inside quoted cells so far: a spreadsheet row, unlike a line.
    inner_lines: u64,
    /// Where the byte after a record that ended with `\r` is.
    after_cr: Option<u64>,
    record: csv::ByteRecord,
}

impl Cursor {
    /// The file read past its header and, when it comes back after a crash, on
    /// from `resume_offset`; with `count`, also the rows it holds, read through a
    /// reader of their own.
    pub fn open(
        blob: Blob,
        count: bool,
        resume_offset: u64,
        resume_row: i64,
    ) -> Result<(Cursor, Option<i64>)> {
        let format = file_format(&blob)?;
        let mut cursor = Cursor::at(blob, format, format.data_start, 0)?;
        cursor.next_record()?;
        let first = cursor.offset();
        let total = match count {
            true => Some(Cursor::at(cursor.blob.clone(), format, first, 1)?.count()?),
            false => None,
        };
        if resume_offset > 0 {
            cursor = cursor.reopened_at(resume_offset, resume_row)?;
        }
        Ok((cursor, total))
    }

    /// A reader from byte `base` on, whose first line follows row `row`.
    fn at(blob: Blob, format: Format, base: u64, row: i64) -> Result<Cursor> {
        let file = Capped {
            file: BufReader::with_capacity(256 * 1024, blob.read_from(base)),
            handed: 0,
            limit: MAX_ROW_BYTES,
            recent: Default::default(),
            led: false,
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(format.delimiter)
            .from_reader(file);
        Ok(Cursor {
            blob,
            reader,
            format,
            base,
            // The leading `\n` is one line the file does not have.
            base_row: row - 1,
            row,
            inner_lines: 0,
            after_cr: None,
            record: csv::ByteRecord::new(),
        })
    }

    fn offset(&self) -> u64 {
        (self.base + self.reader.position().byte()).saturating_sub(1)
    }

    /// A reader from `offset` on. A record ends at the `\r` of a `\r\n`; its `\n`
    /// is not an empty row of its own.
    fn reopened_at(self, offset: u64, row: i64) -> Result<Cursor> {
        let mut around = Vec::with_capacity(2);
        self.blob
            .read_from(offset.saturating_sub(1))
            .take(2)
            .read_to_end(&mut around)
            .map_err(|_| Error::Unavailable)?;
        let start = if offset > 0 && around == b"\r\n" {
            offset + 1
        } else {
            offset
        };
        Cursor::at(self.blob, self.format, start, row)
    }

    /// The next record, `None` at the end of the file. Its row is the one a
    /// spreadsheet shows: empty lines count, line breaks inside quotes do not.
    fn next_record(&mut self) -> Result<Option<Record>> {
        let at = self.reader.position().byte();
        self.reader.get_mut().limit = at + MAX_ROW_BYTES;
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| match e.kind() {
                // The store failed under the reader (and said so in the log): the
                // import resumes from its last batch.
                csv::ErrorKind::Io(io) if io.kind() != std::io::ErrorKind::InvalidData => {
                    Error::Unavailable
                }
                _ => Error::field(
                    "file",
                    &format!("could not be read at row {}: {e}", self.row + 1),
                ),
            })?;
        if !more {
            return Ok(None);
        }
        // The reader skips empty lines without a word; the line it has reached
        // counts them. It is past a record's `\n`, but before the `\n` of a
        // `\r\n`: which one ends this record is read from its last byte, since
        // one file may mix them (the fuzzer found rows renumbered after a resume).
        self.inner_lines += self
            .record
            .iter()
            .map(|c| c.iter().filter(|b| **b == b'\n').count() as u64)
            .sum::<u64>();
        let end = self.reader.position();
        let file = self.reader.get_ref();
        // A lone `\r` (old Mac files) ended the last row, which the line count
        // misses; the byte after it is known once this record has been read.
        if let Some(at) = self.after_cr.take() {
            if file.byte_at(at).is_some_and(|b| b != b'\n') {
                self.base_row += 1;
            }
        }
        let last = end.byte().checked_sub(1).and_then(|at| file.byte_at(at));
        let line = end.line() as i64 - i64::from(last == Some(b'\n'));
        let by_lines = self.base_row + line - self.inner_lines as i64;
        self.row = (self.row + 1).max(by_lines);
        if last == Some(b'\r') {
            self.after_cr = Some(end.byte());
        }
        let mut garbled = false;
        let cells = self
            .record
            .iter()
            .map(|c| match std::str::from_utf8(c) {
                Ok(s) => s.to_string(),
                Err(_) => {
                    garbled = true;
                    String::from_utf8_lossy(c).into_owned()
                }
            })
            .collect();
        Ok(Some(Record {
            row: self.row,
            cells,
            garbled,
        }))
    }

    /// Up to `size` records that are not blank.
    pub fn next_batch(&mut self, size: usize) -> Result<Batch> {
        let mut records = Vec::with_capacity(size);
        let mut end = false;
        while records.len() < size {
            match self.next_record()? {
                None => {
                    end = true;
                    break;
                }
                Some(r) if is_blank(&r) => {}
                Some(r) => records.push(r),
            }
        }
        Ok(Batch {
            records,
            offset: self.offset(),
            row: self.row,
            end,
        })
    }

    /// The records left that are not blank.
    fn count(mut self) -> Result<i64> {
        let mut n = 0;
        while let Some(r) = self.next_record()? {
            if !is_blank(&r) {
                n += 1;
            }
        }
        Ok(n)
    }
}

/// A row of empty cells (spreadsheets write them after the data) is not a lead.
fn is_blank(r: &Record) -> bool {
    r.cells.iter().all(|c| c.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Storage;

    /// Runs `read` on a blocking thread over `bytes` stored as a file.
    async fn reading<T: Send + 'static>(
        bytes: &[u8],
        read: impl FnOnce(Blob) -> T + Send + 'static,
    ) -> T {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::local(dir.path(), "http://h").unwrap();
        storage.put("f.csv", bytes).await.unwrap();
        let blob = storage.blob("f.csv").await.unwrap();
        tokio::task::spawn_blocking(move || read(blob))
            .await
            .unwrap()
    }

    /// The rows and first cells read in one go and, as after a crash, read up to
    /// `split` records and resumed from the saved position.
    fn format(text: &[u8]) -> Format {
        sniff(text, true).unwrap()
    }

    async fn rows(text: &[u8], split: usize) -> Vec<(i64, String)> {
        let format = format(text);
        reading(text, move |blob| {
            let mut cursor = Cursor::at(blob, format, 0, 0).unwrap();
            cursor.next_record().unwrap();
            let first = cursor.next_batch(split).unwrap();
            let mut cursor = cursor.reopened_at(first.offset, first.row).unwrap();
            let rest = cursor.next_batch(100).unwrap();
            first
                .records
                .iter()
                .chain(&rest.records)
                .map(|r| (r.row, r.cells[0].clone()))
                .collect()
        })
        .await
    }

    #[tokio::test]
    async fn rows_are_numbered_as_a_spreadsheet_shows_them_across_a_resume() {
        let lf = "name,note\nA,\"two\nlines\"\n\nB,x\nC,y\n\n\nD,z\n";
        let expected: Vec<(i64, String)> = [(2, "A"), (4, "B"), (5, "C"), (8, "D")]
            .map(|(r, n)| (r, n.to_string()))
            .to_vec();
        // A file saved by two tools can end its header with `\r\n` and its rows
        // with `\n` (the fuzzer found row numbers shifting after a resume there).
        let mixed = lf.replacen('\n', "\r\n", 1).replacen("B,x\n", "B,x\r\n", 1);
        for text in [lf.to_string(), lf.replace('\n', "\r\n"), mixed] {
            for split in 1..=4 {
                assert_eq!(
                    rows(text.as_bytes(), split).await,
                    expected,
                    "{text:?} at {split}"
                );
            }
        }
        let cr_only = rows(b"name\rA\rB\r", 1).await;
        assert_eq!(cr_only, vec![(2, "A".into()), (3, "B".into())]);
        // Many reads of the file's buffer: a `\r\n` split across two is one break.
        let long: String = std::iter::once("name\r\n".to_string())
            .chain((0..5000).map(|i| format!("Lead number {i}\r\n")))
            .collect();
        let numbered = rows(long.as_bytes(), 3000).await;
        assert_eq!(
            numbered.len(),
            3100,
            "the helper reads 100 after the resume"
        );
        assert!(numbered
            .iter()
            .zip(2..)
            .all(|((row, _), want)| *row == want));
        // A row that opens with a byte order mark keeps it, read on or resumed.
        for split in 1..=2 {
            let marked = rows("name\nA\n\u{feff}B\nC\n".as_bytes(), split).await;
            assert_eq!(marked[1], (3, "\u{feff}B".to_string()), "at {split}");
        }
        for split in 1..=2 {
            let cr_then_lf = rows(b"name\rA\nB\n\nC\n", split).await;
            let expected = [(2, "A"), (3, "B"), (5, "C")].map(|(r, n)| (r, n.to_string()));
            assert_eq!(cr_then_lf, expected, "at {split}");
        }
    }

    #[tokio::test]
    async fn a_quote_left_open_stops_the_reading_with_its_row() {
        let mut text = b"name,note\nA,fine\nB,\"never closed ".to_vec();
        text.extend(std::iter::repeat_n(b'x', 3 << 20));
        let format = format(&text);
        let err = reading(&text, move |blob| {
            let mut cursor = Cursor::at(blob, format, 0, 0).unwrap();
            cursor.next_record().unwrap();
            assert_eq!(cursor.next_record().unwrap().unwrap().row, 2);
            match cursor.next_record() {
                Err(err) => err.to_string(),
                Ok(_) => panic!("an open quote reads as a row"),
            }
        })
        .await;
        assert!(
            err.contains("row 3") && err.contains("quote left open"),
            "{err}"
        );
    }
}
