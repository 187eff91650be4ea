//! A linear pass over YAML text before it is parsed, for what the parser handles badly:
//! libyaml's time grows with the square of the flow nesting depth (`[[[[...]]]]`: 20,000 levels
//! take 1.6 s, 100,000 more than a minute), and the alias-bomb error it gives has no location.
//!
//! The pass knows just enough YAML to find flow collections: comments, quoted scalars and block
//! scalars are skipped, and outside flow collections a `[` or `{` opens one only where a token
//! starts. It never rejects a document the parser would accept: its depth limit is far above
//! the 128 levels at which the parser stops anyway.

/// Flow collections nested deeper than this are refused before parsing.
pub const MAX_FLOW_DEPTH: usize = 1000;

/// What the pass found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Line and column (1-based) of the first alias (`*name`), if any.
    pub first_alias: Option<(usize, usize)>,
}

/// Scans `text`; an error gives the line and column where nesting passed [`MAX_FLOW_DEPTH`].
pub fn scan(text: &str) -> Result<Scan, (usize, usize)> {
    let bytes = text.as_bytes();
    let mut result = Scan::default();
    let mut depth = 0usize;
    // Inside a block scalar (`|`, `>`): the indentation its lines must exceed.
    let mut block_scalar_above: Option<usize> = None;
    let mut line_indent = 0;
    let mut i = 0;
    while i < bytes.len() {
        let at_line_start = i == 0 || bytes[i - 1] == b'\n';
        if at_line_start {
            line_indent = bytes[i..].iter().take_while(|&&b| b == b' ').count();
            if let Some(parent) = block_scalar_above {
                let rest = &bytes[i + line_indent..];
                let blank = rest.iter().take_while(|&&b| b != b'\n').all(|&b| b == b'\r' || b == b' ' || b == b'\t');
                if blank || line_indent > parent {
                    i = next_line(bytes, i);
                    continue;
                }
                block_scalar_above = None;
            }
        }
        let byte = bytes[i];
        let previous = if at_line_start { b'\n' } else { bytes[i - 1] };
        let token_start = matches!(previous, b'\n' | b' ' | b'\t' | b'\r')
            || depth > 0 && matches!(previous, b'[' | b'{' | b',' | b':');
        match byte {
            b'#' if matches!(previous, b'\n' | b' ' | b'\t' | b'\r') => {
                i = next_line(bytes, i);
                continue;
            }
            b'"' if token_start => i = skip_double_quoted(bytes, i + 1),
            b'\'' if token_start => i = skip_single_quoted(bytes, i + 1),
            b'[' | b'{' if depth > 0 || token_start => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Err(line_and_column(text, i));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'*' if token_start
                && result.first_alias.is_none()
                && bytes.get(i + 1).is_some_and(|b| !b.is_ascii_whitespace() && !b",[]{}".contains(b)) =>
            {
                result.first_alias = Some(line_and_column(text, i));
            }
            b'|' | b'>' if depth == 0 && token_start && is_block_scalar_header(&bytes[i + 1..]) => {
                block_scalar_above = Some(line_indent);
                i = next_line(bytes, i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(result)
}

/// Whether what follows `|` or `>` on its line is a block scalar header: indentation and
/// chomping indicators, then nothing but a comment.
fn is_block_scalar_header(rest: &[u8]) -> bool {
    let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    let indicators = line.iter().take_while(|b| b.is_ascii_digit() || **b == b'-' || **b == b'+').count();
    let after = &line[indicators..];
    let trimmed: Vec<u8> = after.iter().copied().skip_while(|b| *b == b' ' || *b == b'\t').collect();
    trimmed.is_empty()
        || trimmed == b"\r"
        || trimmed.starts_with(b"#") && (after.first().is_some_and(|b| *b == b' ' || *b == b'\t'))
}

fn next_line(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |n| from + n + 1)
}

/// The index after the closing `"` (a backslash escapes the next byte).
fn skip_double_quoted(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index of the closing `'` (`''` is an escaped quote).
fn skip_single_quoted(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return i;
        }
        i += 1;
    }
    bytes.len()
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_nesting_is_refused_where_it_passes_the_limit() {
        let deep = format!("info:\n  x: {}{}\n", "[".repeat(MAX_FLOW_DEPTH + 5), "]".repeat(MAX_FLOW_DEPTH + 5));
        assert_eq!(scan(&deep).unwrap_err(), (2, "  x: ".len() + MAX_FLOW_DEPTH + 1));
        let mixed = format!("a: {}\n", "{b: [".repeat(MAX_FLOW_DEPTH));
        assert_eq!(scan(&mixed).unwrap_err().0, 1);
        let fine = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(scan(&fine).is_ok());
    }

    #[test]
    fn brackets_in_scalars_and_comments_do_not_count() {
        let many = "[".repeat(MAX_FLOW_DEPTH + 1);
        for text in [
            format!("a: \"{many}\"\n"),
            format!("a: '{many}'' {many}'\n"),
            format!("a: 1 # {many}\n"),
            format!("a: |\n  {many}\n\n  {many}\nb: 1\n"),
            format!("a: >-\n    {many}\n"),
            format!("a: x{many}\n"),
        ] {
            assert!(scan(&text).is_ok(), "{text}");
        }
        // After a block scalar ends, flow collections count again.
        let after = format!("a: |\n  text\nb: {many}\n");
        assert_eq!(scan(&after).unwrap_err().0, 3);
    }

    #[test]
    fn the_first_alias_is_located() {
        let text = "a: &x [1]\nb: \"*not\"\nc: [*x, *x]\n";
        assert_eq!(scan(text).unwrap().first_alias, Some((3, 5)));
        assert_eq!(scan("a: 2 * 3\n").unwrap().first_alias, None);
    }
}
