//! Scanners behind the size and invariants tidy checks: Rust source with comments and
//! literals blanked out, `fn` items and their length, `#[cfg(test)]` modules, and the checks
//! named in the Invariants table of `docs/architecture.md`. Approximate on purpose (no
//! parser): good enough for this workspace's code, and each has a self-test that it can fail.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively, in a stable order.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable source dir") {
            let path = entry.expect("readable dir entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// Files whose line count is over `limit`, and exempt files that no longer exist (an
/// exemption must not outlive its file). `files` are (path relative to the root, lines).
pub fn oversized_files(files: &[(String, usize)], limit: usize, exempt: &[&str]) -> Vec<String> {
    let mut problems: Vec<String> = exempt
        .iter()
        .filter(|e| !files.iter().any(|(p, _)| p == *e))
        .map(|e| format!("{e}: exempt but missing (drop the exemption)"))
        .collect();
    for (path, lines) in files {
        if *lines > limit && !exempt.contains(&path.as_str()) {
            problems.push(format!("{path}: {lines} lines (limit {limit})"));
        }
    }
    problems
}

/// `src` with comments, string, byte-string, raw-string and char literals replaced by spaces
/// (newlines kept, so line numbers stay), so braces and `fn` inside them are not code.
/// Lifetimes (`'a`) are left alone.
pub fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, s: &[char]| {
        out.extend(s.iter().map(|&ch| if ch == '\n' { '\n' } else { ' ' }));
    };
    let mut i = 0;
    while i < c.len() {
        let end = literal_end(&c, i);
        if end > i {
            blank(&mut out, &c[i..end]);
            i = end;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// Where the comment or literal starting at `i` ends (exclusive); `i` when none starts there.
fn literal_end(c: &[char], i: usize) -> usize {
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let ident_before = i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_');
    match (at(i), at(i + 1)) {
        ('/', '/') => (i..c.len()).find(|&k| c[k] == '\n').unwrap_or(c.len()),
        ('/', '*') => block_comment_end(c, i),
        ('"', _) => quoted_end(c, i + 1, '"'),
        ('b', '"') if !ident_before => quoted_end(c, i + 2, '"'),
        ('b', '\'') if !ident_before => quoted_end(c, i + 2, '\''),
        ('r', '"' | '#') if !ident_before => raw_end(c, i + 1).unwrap_or(i),
        ('b', 'r') if !ident_before && matches!(at(i + 2), '"' | '#') => {
            raw_end(c, i + 2).unwrap_or(i)
        }
        ('\'', '\\') => quoted_end(c, i + 1, '\''),
        ('\'', ch) if ch != '\'' && at(i + 2) == '\'' => i + 3,
        _ => i,
    }
}

/// The end of a (nested) block comment opened at `i`.
fn block_comment_end(c: &[char], i: usize) -> usize {
    let mut depth = 0;
    let mut k = i;
    while k + 1 < c.len() {
        match (c[k], c[k + 1]) {
            ('/', '*') => {
                depth += 1;
                k += 2;
            }
            ('*', '/') => {
                depth -= 1;
                k += 2;
                if depth == 0 {
                    return k;
                }
            }
            _ => k += 1,
        }
    }
    c.len()
}

/// The end of a literal whose body starts at `k`, closed by `close`, with `\` escapes.
fn quoted_end(c: &[char], mut k: usize, close: char) -> usize {
    while k < c.len() {
        match c[k] {
            '\\' => k += 2,
            ch if ch == close => return k + 1,
            _ => k += 1,
        }
    }
    c.len()
}

/// The end of a raw string whose hashes start at `k` (`r#"…"#`); `None`: not a raw string
/// (e.g. `r#ident`).
fn raw_end(c: &[char], k: usize) -> Option<usize> {
    let hashes = c[k..].iter().take_while(|&&ch| ch == '#').count();
    if c.get(k + hashes) != Some(&'"') {
        return None;
    }
    let mut j = k + hashes + 1;
    while j < c.len() {
        if c[j] == '"'
            && c[j + 1..]
                .iter()
                .take(hashes)
                .filter(|&&h| h == '#')
                .count()
                == hashes
        {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(c.len())
}

/// An `fn` item with a body.
#[derive(Debug, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    /// 1-based line of the `fn` keyword.
    pub line: usize,
    /// Lines from the `fn` keyword to the closing brace, both included.
    pub lines: usize,
}

/// The `fn` items with a body in `src`, nested ones included, except those inside
/// `#[cfg(test)]` modules.
pub fn functions(src: &str) -> Vec<Function> {
    let code = code_only(src);
    let tests = test_module_spans(&code);
    let mut out = Vec::new();
    for (at, _) in code.match_indices("fn") {
        let Some(name) = item_name(&code, at, "fn") else {
            continue;
        };
        if tests.iter().any(|&(start, end)| at > start && at < end) {
            continue;
        }
        let Some((_, close)) = body(&code, at) else {
            continue;
        };
        let line = line_of(&code, at);
        out.push(Function {
            name,
            line,
            lines: line_of(&code, close) - line + 1,
        });
    }
    out
}

/// The identifier after keyword `kw` at byte `at`, when `kw` is a whole word there.
fn item_name(code: &str, at: usize, kw: &str) -> Option<String> {
    let word = |ch: char| ch.is_alphanumeric() || ch == '_';
    if !code[at..].starts_with(kw) || code[..at].chars().next_back().is_some_and(word) {
        return None;
    }
    let rest = &code[at + kw.len()..];
    let after = rest.trim_start();
    if after.len() == rest.len() {
        return None;
    }
    let name: String = after.chars().take_while(|&ch| word(ch)).collect();
    let first = name.chars().next()?;
    (first.is_alphabetic() || first == '_').then_some(name)
}

/// The byte offsets of the braces of the body of the item at `at`: the first `{` before any
/// `;` at bracket depth 0 (a declaration without a body has none), and its match.
fn body(code: &str, at: usize) -> Option<(usize, usize)> {
    let bytes = code.as_bytes();
    let mut depth = 0i32;
    let mut open = None;
    for (k, &b) in bytes.iter().enumerate().skip(at) {
        match b {
            b'(' | b'[' if open.is_none() => depth += 1,
            b')' | b']' if open.is_none() => depth -= 1,
            b';' if open.is_none() && depth == 0 => return None,
            b'{' => {
                if open.is_none() {
                    open = Some(k);
                    depth = 0;
                }
                depth += 1;
            }
            b'}' if open.is_some() => {
                depth -= 1;
                if depth == 0 {
                    return open.map(|o| (o, k));
                }
            }
            _ => {}
        }
    }
    None
}

/// The byte spans of the bodies of `#[cfg(test)] mod name { … }` modules.
fn test_module_spans(code: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for (at, attr) in code.match_indices("#[cfg(test)]") {
        let rest = &code[at + attr.len()..];
        let start = at + attr.len() + (rest.len() - rest.trim_start().len());
        if item_name(code, start, "mod").is_some()
            && let Some(span) = body(code, start)
        {
            spans.push(span);
        }
    }
    spans
}

fn line_of(code: &str, at: usize) -> usize {
    code[..at].matches('\n').count() + 1
}

/// The checks the Invariants table of an architecture document names: every backticked path
/// (`module::item`) in the "Checked by" column of the rows under `## Invariants`, except in
/// rows not checked yet.
pub fn invariant_checks(doc: &str) -> Vec<String> {
    let Some(section) = doc.split("\n## Invariants").nth(1) else {
        return Vec::new();
    };
    let section = section.split("\n## ").next().unwrap_or_default();
    let mut checks = Vec::new();
    for row in section.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').collect();
        let Some(checked_by) = cells.get(2) else {
            continue;
        };
        if checked_by.trim_start().starts_with("not checked") {
            continue;
        }
        for (k, span) in checked_by.split('`').enumerate() {
            if k % 2 == 1 && is_path(span) {
                checks.push(span.to_string());
            }
        }
    }
    checks
}

/// `a::b` (two or more snake-case segments).
fn is_path(s: &str) -> bool {
    let segments: Vec<&str> = s.split("::").collect();
    segments.len() >= 2
        && segments.iter().all(|seg| {
            seg.chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                && seg
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// Whether `check` (`module::…::item`) exists among `files` (path, source): a file that is
/// that module (`…/module.rs`, `…/module/mod.rs`) defines `fn item` or `mod item`.
pub fn check_exists(check: &str, files: &[(PathBuf, String)]) -> bool {
    let segments: Vec<&str> = check.split("::").collect();
    let (item, modules) = segments.split_last().expect("a path has segments");
    let module_path = modules.join("/");
    files.iter().any(|(path, src)| {
        let path = path.to_string_lossy().replace('\\', "/");
        let is_module = path.ends_with(&format!("/{module_path}.rs"))
            || path.ends_with(&format!("/{module_path}/mod.rs"));
        is_module && defines(src, item)
    })
}

/// Whether `src` has an `fn item` or `mod item` outside comments and literals.
fn defines(src: &str, item: &str) -> bool {
    let code = code_only(src);
    ["fn", "mod"].iter().any(|kw| {
        code.match_indices(kw)
            .any(|(at, _)| item_name(&code, at, kw).as_deref() == Some(item))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_comments_are_blanked() {
        let src = "let a = \"}{\"; // fn x() {\nlet b = '}'; /* { /* } */ */ let c = r#\"}\"#;\nfn f<'a>(x: &'a str) {}";
        let code = code_only(src);
        assert_eq!(code.lines().count(), 3);
        assert!(
            !code[..code.rfind("fn f").unwrap()].contains(['{', '}']),
            "{code}"
        );
        assert!(code.contains("fn f<'a>(x: &'a str) {}"), "{code}");
    }

    #[test]
    fn long_function_is_measured_past_braces_in_literals() {
        let mut src = String::from("fn short() {}\n\npub(crate) async fn long(x: u8) -> u8 {\n");
        for i in 0..85 {
            src.push_str(&format!("    let s{i} = \"}}\"; let c = '}}'; // }}\n"));
        }
        src.push_str("    x\n}\ntrait T { fn decl(&self); }\n");
        let found = functions(&src);
        let long = found.iter().find(|f| f.name == "long").expect("long found");
        assert_eq!((long.line, long.lines), (3, 88));
        assert!(found.iter().any(|f| f.name == "short" && f.lines == 1));
        assert!(!found.iter().any(|f| f.name == "decl"), "{found:?}");
    }

    #[test]
    fn test_modules_are_skipped_but_cfg_test_functions_are_not() {
        let src =
            "#[cfg(test)]\nmod tests {\n    fn in_tests() {}\n}\n#[cfg(test)]\nfn helper() {}\n";
        let names: Vec<String> = functions(src).into_iter().map(|f| f.name).collect();
        assert_eq!(names, ["helper"]);
    }

    #[test]
    fn oversized_and_missing_exempt_files_are_reported() {
        let files = [("a.rs".to_string(), 801), ("b.rs".to_string(), 800)];
        assert_eq!(
            oversized_files(&files, 800, &[]),
            ["a.rs: 801 lines (limit 800)"]
        );
        assert!(oversized_files(&files, 800, &["a.rs"]).is_empty());
        assert_eq!(
            oversized_files(&files, 800, &["a.rs", "gone.rs"]),
            ["gone.rs: exempt but missing (drop the exemption)"]
        );
    }

    #[test]
    fn invariant_checks_are_read_and_resolved() {
        let doc = "# x\n## Invariants\n\n| Rule | Checked by |\n|---|---|\n\
                   | one | `tidy::real` (list: `tidy::gone`) |\n| two | `cargo doc -p x` |\n\
                   | three | `classify::tests` |\n| four | not checked yet (`a::b` cycles) |\n\n\
                   ## Next\n| five | `tidy::later` |\n";
        let checks = invariant_checks(doc);
        assert_eq!(checks, ["tidy::real", "tidy::gone", "classify::tests"]);
        let files = [
            (
                PathBuf::from("x/src/tidy.rs"),
                "#[test]\nfn real() {}\n// fn gone() {}\n".to_string(),
            ),
            (
                PathBuf::from("y/src/classify.rs"),
                "mod tests {}".to_string(),
            ),
        ];
        let missing: Vec<&String> = checks.iter().filter(|c| !check_exists(c, &files)).collect();
        assert_eq!(missing, ["tidy::gone"]);
    }
}
