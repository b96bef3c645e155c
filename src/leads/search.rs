//! Search: the words a lead is found by, and a typed query turned into a full-text
//! match on either database. Both sides fold case and accents the same way here,
//! in Rust, so SQLite's FTS5 and PostgreSQL's `tsvector` index the same terms and
//! a query means the same on both.

use super::LeadFields;
use crate::db::Backend;
use crate::{Ctx, Result};
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// The most words of a query that count; the rest are ignored.
const MAX_TERMS: usize = 8;
/// Phone digits are indexed from every position, down to the last this many, so
/// any run of digits typed (`010 2030`, `5550102030`) finds the number.
const MIN_PHONE_TAIL: usize = 3;

/// What the full-text index holds for one lead, in two weights: who the lead is
/// (names, their company) ranks above how to reach them (email, phone, postal code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText {
    pub names: String,
    pub contact: String,
}

impl SearchText {
    pub fn of(f: &LeadFields) -> SearchText {
        let mut names = Vec::new();
        for text in [&f.first_name, &f.last_name, &f.company_name] {
            words(text, &mut names);
        }
        let mut contact = Vec::new();
        if let Some(email) = &f.email {
            words(email, &mut contact);
        }
        if let Some(phone) = &f.phone {
            let digits = super::phone_key(phone);
            for start in 0..=digits.len().saturating_sub(MIN_PHONE_TAIL) {
                contact.push(digits[start..].to_string());
            }
        }
        if let Some(code) = &f.postal_code {
            words(code, &mut contact);
        }
        SearchText {
            names: names.join(" "),
            contact: contact.join(" "),
        }
    }
}

/// A word of the index's scope column: a lead's company (`_c42`) or assignee
/// (`_a7`, `_a0` for nobody), as migration 0020 writes them. Made from ids only,
/// and with a `_` no typed term holds (`parts` splits on it), so a search never
/// reaches them and they never reach the prefixes a search reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeWord(String);

impl ScopeWord {
    pub fn company(id: i64) -> ScopeWord {
        ScopeWord(format!("_c{id}"))
    }

    pub fn assignee(id: i64) -> ScopeWord {
        ScopeWord(format!("_a{id}"))
    }
}

/// A search box's text as terms, each the parts of one typed chunk in order
/// (`w3.org` is `w3` then `org`), the last part matched as a prefix; a lead
/// matches when it has every term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    terms: Vec<Vec<String>>,
    /// What was typed, lower-cased, when it is an email address (one chunk, a
    /// name before the `@` and a dot after it), which finds the addresses it begins.
    email: Option<String>,
}

impl SearchQuery {
    /// `None` when nothing searchable was typed (blank, or punctuation only). A
    /// query of digits and phone punctuation only is one phone number, however
    /// it is spaced.
    pub fn parse(raw: &str) -> Option<SearchQuery> {
        if raw
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        {
            let digits = super::phone_key(raw);
            return (!digits.is_empty()).then(|| SearchQuery {
                terms: vec![vec![digits]],
                email: None,
            });
        }
        let terms: Vec<Vec<String>> = raw
            .split_whitespace()
            .map(parts)
            .filter(|parts| !parts.is_empty())
            .take(MAX_TERMS)
            .collect();
        let typed = raw.trim();
        let whole_address = typed
            .split_once('@')
            .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'));
        let email =
            (whole_address && !typed.contains(char::is_whitespace)).then(|| typed.to_lowercase());
        (!terms.is_empty()).then_some(SearchQuery { terms, email })
    }

    /// An email address typed whole, to find (as the start of an address) along
    /// the leads' email index: its words are the commonest there are (every
    /// address of a domain shares them), which makes a phrase match read most of
    /// the full-text index.
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// The FTS5 `MATCH` expression: every term a quoted phrase, its last word a
    /// prefix, found in the words typed queries reach; and every one of `within`
    /// in the scope column migration 0020 keeps, so the index alone answers for
    /// one company (or one rep).
    pub fn fts5(&self, within: &[ScopeWord]) -> String {
        let quoted: Vec<String> = self
            .terms
            .iter()
            .map(|t| format!("\"{}\"*", t.join(" ")))
            .collect();
        let mut expr = format!("{{search_text search_contact}}: ({})", quoted.join(" "));
        for word in within {
            expr.push_str(&format!(" AND search_scope: \"{}\"", word.0));
        }
        expr
    }

    /// How many of the terms the lead's names (and company) hold, as the index
    /// matches them: consecutive words, the last a prefix. Ranks a lead found by
    /// its name above one found by its email or phone.
    pub fn terms_in_names(&self, text: &SearchText) -> usize {
        let words: Vec<&str> = text.names.split(' ').collect();
        self.terms
            .iter()
            .filter(|phrase| holds(&words, phrase))
            .count()
    }

    /// The `to_tsquery('simple', …)` text: every term a phrase (`<->`), its last
    /// word a prefix, all required.
    pub fn tsquery(&self) -> String {
        let terms: Vec<String> = self
            .terms
            .iter()
            .map(|t| format!("{}:*", t.join(" <-> ")))
            .collect();
        terms.join(" & ")
    }
}

/// How many leads one reindexing transaction rewrites.
const REINDEX_BATCH: i64 = 500;

/// The columns a lead's words are made of.
#[derive(sqlx::FromRow)]
struct Indexed {
    id: i64,
    first_name: String,
    last_name: String,
    company_name: String,
    email: Option<String>,
    phone: Option<String>,
    postal_code: Option<String>,
}

/// Rewrites the words of the leads stored before this way of indexing them
/// (migration 0014 notes where to start), a batch per transaction with the place
/// reached, so a restart or a second instance carries on where it stopped. The
/// lead itself does not change: no version, no event. Searches meanwhile find
/// those leads by whole words, as before.
#[tracing::instrument(skip(ctx))]
pub async fn reindex(ctx: &Ctx) -> Result<u64> {
    let mut rewritten = 0;
    loop {
        let mut tx = ctx.db.pool.begin().await?;
        let after: Option<i64> = sqlx::query_scalar(
            "UPDATE lead_search_backfill SET after_id = after_id RETURNING after_id",
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(after) = after else {
            return Ok(rewritten);
        };
        let lock = match Backend::of(&tx) {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let rows: Vec<Indexed> = sqlx::query_as(&format!(
            "SELECT id, first_name, last_name, company_name, email, phone, postal_code \
             FROM leads WHERE id > $1 ORDER BY id LIMIT $2{lock}"
        ))
        .bind(after)
        .bind(REINDEX_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            sqlx::query("DELETE FROM lead_search_backfill")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(rewritten, "every lead is indexed for search");
            return Ok(rewritten);
        };
        for row in &rows {
            let text = SearchText::of(&LeadFields {
                first_name: row.first_name.clone(),
                last_name: row.last_name.clone(),
                company_name: row.company_name.clone(),
                email: row.email.clone(),
                phone: row.phone.clone(),
                postal_code: row.postal_code.clone(),
                value_cents: 0,
            });
            sqlx::query("UPDATE leads SET search_text = $1, search_contact = $2 WHERE id = $3")
                .bind(text.names)
                .bind(text.contact)
                .bind(row.id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE lead_search_backfill SET after_id = $1")
            .bind(last)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        rewritten += rows.len() as u64;
    }
}

/// Whether `words` hold `phrase` as the indexes match it: its words in a row, the
/// last as a prefix.
fn holds(words: &[&str], phrase: &[String]) -> bool {
    let Some((last, first)) = phrase.split_last() else {
        return false;
    };
    words
        .windows(phrase.len())
        .any(|at| at[..first.len()] == first[..] && at[first.len()].starts_with(last.as_str()))
}

/// Lower case with accents and ligatures folded: `Zoë Ørsted-Straße` is
/// `zoe orsted-strasse`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            'þ' | 'Þ' => out.push_str("th"),
            'ı' => out.push('i'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The folded letter-and-digit runs of one whitespace-free chunk.
fn parts(chunk: &str) -> Vec<String> {
    fold(chunk)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every word of `text`, and each punctuated chunk once more run together, so
/// `Berners-Lee` is found by `lee`, `berners-lee` and `bernerslee`, and an email by
/// any of its parts or by itself.
fn words(text: &str, out: &mut Vec<String>) {
    for chunk in text.split_whitespace() {
        let parts = parts(chunk);
        if parts.len() > 1 {
            out.push(parts.concat());
        }
        out.extend(parts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(first: &str, last: &str, email: Option<&str>, phone: Option<&str>) -> LeadFields {
        LeadFields {
            first_name: first.into(),
            last_name: last.into(),
            company_name: "Café Ñandú".into(),
            email: email.map(str::to_string),
            phone: phone.map(str::to_string),
            postal_code: Some("SW1A1AA".into()),
            value_cents: 0,
        }
    }

    /// Whether `query` finds the lead, matching as the databases do: every term
    /// is a prefix of some indexed word.
    fn finds(fields: &LeadFields, query: &str) -> bool {
        let text = SearchText::of(fields);
        let indexed: Vec<&str> = text
            .names
            .split(' ')
            .chain(text.contact.split(' '))
            .collect();
        let q = SearchQuery::parse(query).expect("a query");
        q.terms.iter().all(|phrase| holds(&indexed, phrase))
    }

    #[test]
    fn accents_case_and_ligatures_fold() {
        assert_eq!(fold("Zoë Ørsted-Straße"), "zoe orsted-strasse");
        let f = lead("Zoë", "Ørsted", None, None);
        assert!(finds(&f, "zoe"));
        assert!(finds(&f, "ZOË ors"));
        assert!(finds(&f, "cafe nandu"));
    }

    #[test]
    fn punctuated_names_and_emails_match_whole_or_in_parts() {
        let f = lead("Tim", "Berners-Lee", Some("tim.bl@w3.org"), None);
        for q in [
            "lee",
            "berners-lee",
            "bernerslee",
            "tim.bl@w3",
            "w3.org",
            "timbl",
            "Tim Bern",
        ] {
            assert!(finds(&f, q), "{q}");
        }
        assert!(!finds(&f, "lee-berners"), "parts keep their order");
        assert!(!finds(&f, "bl.tim"));
    }

    #[test]
    fn phone_digits_match_whatever_the_formatting() {
        let f = lead("Ada", "L", None, Some("+1 (555) 010-2030"));
        for q in [
            "15550102030",
            "(555) 010-2030",
            "555.010.2030",
            "010-2030",
            "2030",
            "+1 555",
        ] {
            assert!(finds(&f, q), "{q}");
        }
        assert!(!finds(&f, "5559"));
        assert!(!finds(&f, "555 2030"), "one number, not two");
        assert!(finds(&f, "Ada 2030"), "a number beside words is a word");
    }

    #[test]
    fn names_count_above_contact_details() {
        let zoe = SearchText::of(&lead("Zoë", "Ørsted", Some("zoe@x.example"), None));
        let fan = SearchText::of(&lead("Olga", "P", Some("orsted.fan@x.example"), None));
        let q = SearchQuery::parse("orsted").unwrap();
        assert_eq!(q.terms_in_names(&zoe), 1);
        assert_eq!(q.terms_in_names(&fan), 0);
        let q = SearchQuery::parse("zoe ors cafe-nan 2030").unwrap();
        assert_eq!(q.terms_in_names(&zoe), 3);
    }

    #[test]
    fn queries_are_safe_for_both_syntaxes() {
        assert_eq!(SearchQuery::parse("  \"*) (:*  "), None);
        let q = SearchQuery::parse("o'brien \"x\" a&b:* OR").unwrap();
        assert_eq!(
            q.fts5(&[ScopeWord::company(4)]),
            "{search_text search_contact}: (\"o brien\"* \"x\"* \"a b\"* \"or\"*) AND search_scope: \"_c4\""
        );
        assert_eq!(q.tsquery(), "o <-> brien:* & x:* & a <-> b:* & or:*");
        let many = SearchQuery::parse(&"a ".repeat(50)).unwrap();
        assert_eq!(many.terms.len(), MAX_TERMS);
    }
}
