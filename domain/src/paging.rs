//! Paging of long lists: one rule for every list endpoint and every list page.

use serde::{Deserialize, Serialize};

/// The page size used when a request names none.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// The largest page a client may ask for.
pub const MAX_PER_PAGE: u32 = 100;

/// A validated page request: `page` counts from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    page: u32,
    per_page: u32,
}

/// Why a page request was refused; the message names the parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("页码（page）须为不小于 1 的整数")]
    Page,
    #[error("每页条数（per_page）须在 1 到 100 之间")]
    PerPage,
}

impl PageError {
    /// The query parameter this error is about.
    pub fn field(&self) -> &'static str {
        match self {
            PageError::Page => "page",
            PageError::PerPage => "per_page",
        }
    }
}

impl PageRequest {
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Result<Self, PageError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
        if page == 0 {
            return Err(PageError::Page);
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(PageError::PerPage);
        }
        Ok(Self { page, per_page })
    }

    pub fn page(&self) -> u32 {
        self.page
    }

    pub fn per_page(&self) -> u32 {
        self.per_page
    }

    /// Rows to skip before this page.
    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

/// The number of pages needed for `total` rows.
pub fn page_count(total: u64, per_page: u32) -> u64 {
    total.div_ceil(u64::from(per_page.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_third_page_of_twenty_skips_forty_rows() {
        let page = PageRequest::new(Some(3), None).unwrap();
        assert_eq!(page.offset(), 40);
        assert_eq!(page.limit(), 20);
    }

    #[test]
    fn out_of_range_pages_are_refused_naming_the_parameter() {
        assert_eq!(PageRequest::new(Some(0), None).unwrap_err().field(), "page");
        assert_eq!(PageRequest::new(None, Some(101)).unwrap_err().field(), "per_page");
        assert_eq!(PageRequest::new(None, Some(0)).unwrap_err().field(), "per_page");
    }

    #[test]
    fn page_count_rounds_up() {
        assert_eq!(page_count(0, 20), 0);
        assert_eq!(page_count(41, 20), 3);
    }
}
