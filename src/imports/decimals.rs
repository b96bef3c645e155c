//! Numbers as spreadsheets write them. A semicolon-separated file comes from a
//! locale that writes `1.250,50`; a comma-separated one from a locale that writes
//! `1,250.50`. Reading either with the other's rule would silently multiply an
//! amount by a hundred, so the file's delimiter picks the rule, and a separator that
//! cannot be grouping thousands is taken as the decimal mark whatever the file.

/// The decimal mark a file's locale uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    Point,
    Comma,
}

impl DecimalMark {
    pub fn of_delimiter(delimiter: u8) -> DecimalMark {
        if delimiter == b';' {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
        }
    }

    /// `cell` with no grouping, currency or spaces, and `.` as its decimal mark.
    pub fn plain(self, cell: &str) -> String {
        let t: String = cell
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '$' | '€' | '£'))
            .collect();
        let (group, point) = match self {
            DecimalMark::Point => (',', '.'),
            DecimalMark::Comma => ('.', ','),
        };
        if !t.contains(point) && t.matches(group).count() == 1 && !groups_thousands(&t, group) {
            return t.replace(group, ".");
        }
        t.replace(group, "").replace(point, ".")
    }
}

/// Whether `sep` splits `t` as it groups thousands: `1,250` or `12,500,000`.
fn groups_thousands(t: &str, sep: char) -> bool {
    let mut parts = t.split(sep);
    let first = parts.next().unwrap_or_default();
    (1..=3).contains(&first.len()) && parts.all(|p| p.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::DecimalMark::{Comma, Point};

    #[test]
    fn each_locale_reads_its_own_numbers() {
        assert_eq!(Point.plain("1,250.50"), "1250.50");
        assert_eq!(Point.plain("$ 12,500,000"), "12500000");
        assert_eq!(Comma.plain("1.250,50"), "1250.50");
        assert_eq!(Comma.plain("1 250,5 €"), "1250.5");
        assert_eq!(Comma.plain("12.500"), "12500");
        assert_eq!(Comma.plain("1250"), "1250");
    }

    #[test]
    fn a_separator_that_cannot_group_thousands_is_the_decimal_mark() {
        assert_eq!(Comma.plain("1250.50"), "1250.50");
        assert_eq!(Comma.plain("12.5"), "12.5");
        assert_eq!(Point.plain("1250,50"), "1250.50");
        assert_eq!(Point.plain("0,5"), "0.5");
    }
}
