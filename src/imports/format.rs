//! What kind of CSV a file is: its byte order mark, its delimiter, and whether it
//! is text at all. Decided from the first bytes, before anything is written.

/// The first bytes read to decide the format.
pub const SNIFF_BYTES: usize = 64 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub delimiter: u8,
    /// Where the header starts: after the UTF-8 byte order mark, when there is one.
    pub data_start: u64,
}

/// Reads the file's start. `complete` says `prefix` is the whole file, so a multi-byte
/// character cut at its end is an error rather than the sniff window's edge.
pub fn sniff(prefix: &[u8], complete: bool) -> Result<Format, String> {
    let (text, data_start) = match prefix.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len() as u64),
        None => (prefix, 0),
    };
    if text.contains(&0) {
        return Err("is not a CSV file (it holds binary data)".into());
    }
    let valid = match std::str::from_utf8(text) {
        Ok(_) => true,
        Err(e) => !complete && e.error_len().is_none(),
    };
    if !valid {
        return Err("is not a CSV file in UTF-8 (save it as \"CSV UTF-8\")".into());
    }
    let header = header_line(text);
    if !complete && header.len() == text.len() {
        return Err(format!(
            "has a header row longer than {} KB; a lead file's header names its columns in far less",
            SNIFF_BYTES / 1024
        ));
    }
    if header.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("is empty: the first row must name the columns".into());
    }
    Ok(Format {
        delimiter: delimiter(header),
        data_start,
    })
}

/// The first line, ignoring line breaks inside quotes.
fn header_line(text: &[u8]) -> &[u8] {
    let mut quoted = false;
    for (i, b) in text.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => return &text[..i],
            _ => {}
        }
    }
    text
}

/// Comma unless the header holds more semicolons (as spreadsheets in many locales
/// write), counting only outside quotes.
fn delimiter(header: &[u8]) -> u8 {
    let (mut quoted, mut commas, mut semicolons) = (false, 0, 0);
    for b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// A cell as a spreadsheet may safely open it: one starting like a formula gets a
/// leading apostrophe, so it shows as text instead of running.
pub fn neutralize(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// A cell as it was before `neutralize`: a failed-rows file that was fixed and
/// saved again by a spreadsheet keeps the apostrophe.
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_semicolon_and_the_bom() {
        assert_eq!(
            sniff(b"first_name,email\na,b", true).unwrap().delimiter,
            b','
        );
        let f = sniff(b"\xEF\xBB\xBFfirst_name;email;phone\r\na;b;c", true).unwrap();
        assert_eq!((f.delimiter, f.data_start), (b';', 3));
        // Semicolons inside a quoted header name do not count.
        assert_eq!(sniff(b"\"a;b;c\",email\n", true).unwrap().delimiter, b',');
    }

    #[test]
    fn not_csv() {
        assert!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0", true).is_err());
        assert!(sniff(b"caf\xE9,x\n", true).unwrap_err().contains("UTF-8"));
        assert!(sniff(b"", true).unwrap_err().contains("empty"));
        assert!(sniff(b"\n\nname", true).unwrap_err().contains("empty"));
    }

    #[test]
    fn a_character_cut_by_the_window_is_fine_until_the_end() {
        let cut = "name\nJos\u{e9}".as_bytes();
        let cut = &cut[..cut.len() - 1];
        assert!(sniff(cut, false).is_ok());
        assert!(sniff(cut, true).is_err());
    }

    #[test]
    fn a_header_past_the_window_is_refused_not_cut() {
        let long = format!("email,{}", "x,".repeat(SNIFF_BYTES));
        let err = sniff(&long.as_bytes()[..SNIFF_BYTES], false).unwrap_err();
        assert!(err.contains("header row longer than 64 KB"), "{err}");
        assert!(sniff(b"email,name\na@b.c,A", true).is_ok());
        assert!(sniff(long.as_bytes(), true).is_ok());
    }

    #[test]
    fn formulas_are_neutralized() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("+1 555"), "'+1 555");
        assert_eq!(neutralize("-2"), "'-2");
        assert_eq!(neutralize("@cmd"), "'@cmd");
        assert_eq!(neutralize("Ada"), "Ada");
        assert_eq!(unneutralize(&neutralize("+1 555")), "+1 555");
        assert_eq!(unneutralize("'quoted"), "'quoted");
    }
}
