//! Building blocks shared by the pages.

pub mod breadcrumbs;
pub mod browser;
pub mod downloads;
pub mod error;
pub mod filters;
pub mod form;
pub mod hexmap;
pub mod line_chart;
pub mod problems;
pub mod sparkline;
pub mod status;

/// Escapes text for HTML and SVG markup built as a string.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape(r#"Waste & <b>"x"</b>'"#),
            "Waste &amp; &lt;b&gt;&quot;x&quot;&lt;/b&gt;&#39;"
        );
    }
}
