//! Paging as the contract defines it: `page` from 1, `per_page` 25 by default and
//! clamped to 100, so no caller can ask a list for everything at once.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Meta {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

impl Meta {
    /// A list that is never paged (a company's sources, the plans): one page
    /// holding all `n` items.
    pub fn whole(n: usize) -> Self {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        Meta {
            page: 1,
            per_page: n,
            total: n,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub page: i64,
    pub per_page: i64,
}

impl Page {
    pub const MAX_PER_PAGE: i64 = 100;

    pub fn from_query(q: Option<PageQuery>) -> Self {
        let q = q.unwrap_or(PageQuery {
            page: None,
            per_page: None,
        });
        Page {
            page: q.page.unwrap_or(1).max(1),
            per_page: q.per_page.unwrap_or(25).clamp(1, Self::MAX_PER_PAGE),
        }
    }

    /// The first page at its largest: enough for a whole team, since the largest
    /// plan has fewer seats than this.
    /// Page `page` of `per_page`, held to the same bounds as a query's.
    pub fn numbered(page: i64, per_page: i64) -> Self {
        Self::from_query(Some(PageQuery {
            page: Some(page),
            per_page: Some(per_page),
        }))
    }

    pub fn first_full() -> Self {
        Page {
            page: 1,
            per_page: Self::MAX_PER_PAGE,
        }
    }

    /// Rows before this page. A page far past any list saturates instead of
    /// wrapping, so it reads as the empty page it is on every database.
    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }

    pub fn meta(&self, total: i64) -> Meta {
        Meta {
            page: self.page,
            per_page: self.per_page,
            total,
        }
    }
}

impl Default for Page {
    fn default() -> Self {
        Page::from_query(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_and_defaults() {
        let p = Page::from_query(Some(PageQuery {
            page: Some(0),
            per_page: Some(1000),
        }));
        assert_eq!((p.page, p.per_page, p.offset()), (1, 100, 0));
        let d = Page::default();
        assert_eq!((d.page, d.per_page), (1, 25));
        let third = Page::from_query(Some(PageQuery {
            page: Some(3),
            per_page: Some(10),
        }));
        assert_eq!(third.offset(), 20);
        let far = Page::from_query(Some(PageQuery {
            page: Some(i64::MAX),
            per_page: Some(100),
        }));
        assert_eq!((far.page, far.offset()), (i64::MAX, i64::MAX));
    }
}
