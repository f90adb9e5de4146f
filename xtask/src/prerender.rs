//! The public pages' first paint, before the app arrives: the page a visitor is sent already holds what
//! the public bundle will draw, so a phone on a slow network shows the header, the menu and (on the home
//! page) the page itself as soon as the HTML and the style are in, and the app takes over without a shift.
//!
//! The markup is the app's own, not a copy written by hand: `frontend/prerender/home.html` is what the
//! public bundle renders on `/` for a visitor while the page's data is on its way (`document.body`'s
//! HTML). The browser story of a visitor renders it again and fails when the file differs, saying how to
//! refresh it, so the copy cannot drift from the app.
//!
//! From it `dist` writes two pages of the public bundle: `home.html` (for `/`, the whole page) and
//! `index.html` (every other public page: the shell, with an empty main region and no current entry).

use std::fs;
use std::path::Path;

use anyhow::Context;

/// Where the snapshot lives, under the workspace root.
pub const SNAPSHOT: &str = "frontend/prerender/home.html";

/// The two first paints of the public bundle.
pub struct Prerendered {
    /// The home page as a visitor first sees it.
    pub home: String,
    /// The shell alone: header, menu and an empty main region, for any other public page.
    pub shell: String,
}

pub fn read(root: &Path) -> anyhow::Result<Prerendered> {
    let path = root.join(SNAPSHOT);
    let home = fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    let home = home.trim().to_owned();
    let shell = shell_of(&home).with_context(|| format!("{SNAPSHOT}: no <main> element"))?;
    Ok(Prerendered { home, shell })
}

/// Whether a first paint draws a page's content, not only the shell around an empty main region.
pub fn draws_content(first_paint: &str) -> bool {
    main_content(first_paint).is_some_and(|content| !first_paint[content].trim().is_empty())
}

/// `home` with its main region emptied and without `aria-current` (the app marks the current page's
/// entry once it runs; on another page the home entry is not current).
fn shell_of(home: &str) -> Option<String> {
    let content = main_content(home)?;
    let emptied = format!("{}{}", &home[..content.start], &home[content.end..]);
    Some(emptied.replace(r#" aria-current="page""#, ""))
}

/// Where the content of the `<main>` element lies: after its opening tag, up to `</main>`.
fn main_content(html: &str) -> Option<std::ops::Range<usize>> {
    let open = html.find("<main")?;
    let start = open + html[open..].find('>')? + 1;
    let end = html.rfind("</main>")?;
    (start <= end).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_is_the_home_page_without_its_content_or_current_entry() {
        let home = r#"<header><nav><a href="/" aria-current="page">首页</a><a href="/villages">村庄</a></nav></header><main id="main" class="app-main"><section><h1>社管</h1></section></main>"#;
        assert_eq!(
            shell_of(home).as_deref(),
            Some(
                r#"<header><nav><a href="/">首页</a><a href="/villages">村庄</a></nav></header><main id="main" class="app-main"></main>"#
            )
        );
    }

    #[test]
    fn only_a_main_region_with_content_is_drawn_content() {
        assert!(draws_content(
            r#"<header></header><main id="main"><h1>社管</h1></main>"#
        ));
        assert!(!draws_content(r#"<header></header><main id="main">  </main>"#));
        assert!(!draws_content(""));
    }

    #[test]
    fn a_snapshot_without_a_main_region_is_refused() {
        assert_eq!(shell_of("<header></header>"), None);
        assert_eq!(shell_of("</main><main>"), None);
    }
}
