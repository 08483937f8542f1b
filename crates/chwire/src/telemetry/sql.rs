//! What a span says about a statement: its operation (`SELECT`), its table, and its text with
//! literals removed. Pure functions over the SQL text, shared by every telemetry backend.

/// The first keyword of a statement, upper case (`SELECT`, `INSERT`, `WITH`, …).
#[cfg_attr(not(feature = "opentelemetry"), allow(dead_code))]
pub(crate) fn operation_name(sql: &str) -> Option<String> {
    let s = skip_trivia(sql);
    let word: String = s
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (!word.is_empty()).then_some(word)
}

/// Skips whitespace, comments and opening parentheses.
fn skip_trivia(mut s: &str) -> &str {
    loop {
        let t = s.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        if let Some(rest) = t.strip_prefix("--") {
            s = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = t.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return t;
        }
    }
}

/// The table a simple statement works on: after the first `FROM` (SELECT), `INTO` (INSERT)
/// or `TABLE` (DDL). `None` for subqueries and table functions. `sql` must be sanitized.
#[cfg_attr(not(feature = "opentelemetry"), allow(dead_code))]
pub(crate) fn collection_name(sanitized: &str, operation: &str) -> Option<String> {
    let keyword = match operation {
        "SELECT" | "WITH" => "from",
        "INSERT" => "into",
        "CREATE" | "DROP" | "ALTER" | "TRUNCATE" | "OPTIMIZE" | "RENAME" | "EXCHANGE" => "table",
        _ => return None,
    };
    let mut words = sanitized.split_whitespace().peekable();
    while let Some(w) = words.next() {
        if !w.eq_ignore_ascii_case(keyword) {
            continue;
        }
        let mut next = *words.peek()?;
        if keyword == "into" && next.eq_ignore_ascii_case("table") {
            words.next();
            next = *words.peek()?;
        }
        if keyword == "table" && next.eq_ignore_ascii_case("if") {
            words.next();
            for w in words.by_ref() {
                if w.eq_ignore_ascii_case("exists") {
                    break;
                }
            }
            next = *words.peek()?;
        }
        let ident: String = next
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '`' | '"'))
            .collect();
        let rest = &next[ident.len()..];
        if ident.is_empty() || rest.starts_with('(') {
            return None;
        }
        return Some(ident.replace(['`', '"'], ""));
    }
    None
}

/// The SQL with literals replaced by `?` and comments removed (see [`QueryText::Sanitized`]).
#[cfg_attr(not(feature = "opentelemetry"), allow(dead_code))]
pub(crate) fn sanitize(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' => {
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 2,
                        b'\'' if b.get(i + 1) == Some(&b'\'') => i += 2,
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                out.push('?');
            }
            b'`' | b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != c {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                out.push_str(&sql[start..i]);
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(b.len());
            }
            b'$' => {
                // Heredoc `$tag$ … $tag$`.
                let tag_end = b[i + 1..]
                    .iter()
                    .position(|&x| !(x.is_ascii_alphanumeric() || x == b'_'))
                    .map(|p| i + 1 + p);
                match tag_end {
                    Some(e) if b[e] == b'$' => {
                        let tag = &sql[i..=e];
                        let body = &sql[e + 1..];
                        i = body.find(tag).map_or(b.len(), |p| e + 1 + p + tag.len());
                        out.push('?');
                    }
                    _ => {
                        out.push('$');
                        i += 1;
                    }
                }
            }
            b'0'..=b'9' if i == 0 || !ident(b[i - 1]) => {
                while i < b.len() && (ident(b[i]) || (b[i] == b'.' && i + 1 < b.len())) {
                    i += 1;
                }
                out.push('?');
            }
            _ => {
                let len = sql[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&sql[i..i + len]);
                i += len;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations() {
        assert_eq!(operation_name("  select 1").as_deref(), Some("SELECT"));
        assert_eq!(
            operation_name("-- c\n/* x */ (SELECT 1)").as_deref(),
            Some("SELECT")
        );
        assert_eq!(operation_name("INSERT INTO t").as_deref(), Some("INSERT"));
        assert_eq!(operation_name("  ").as_deref(), None);
    }

    #[test]
    fn collections() {
        let c = |sql: &str| collection_name(&sanitize(sql), &operation_name(sql).unwrap());
        assert_eq!(
            c("SELECT a FROM db.t WHERE x = 'from y'").as_deref(),
            Some("db.t")
        );
        assert_eq!(c("select * from `my t`").as_deref(), Some("my"));
        assert_eq!(c("SELECT number FROM numbers(10)"), None);
        assert_eq!(c("SELECT 1 FROM (SELECT 2)"), None);
        assert_eq!(c("SELECT 1"), None);
        assert_eq!(c("INSERT INTO t (a) FORMAT Native").as_deref(), Some("t"));
        assert_eq!(c("insert into table d.t values").as_deref(), Some("d.t"));
        assert_eq!(
            c("CREATE TABLE IF NOT EXISTS h.e (x UInt8) ENGINE = Memory").as_deref(),
            Some("h.e")
        );
        assert_eq!(c("DROP TABLE IF EXISTS e").as_deref(), Some("e"));
        assert_eq!(c("KILL QUERY WHERE 1"), None);
    }

    #[test]
    fn sanitizes_literals() {
        assert_eq!(
            sanitize("SELECT 'se''cr\\'et', 42, 1.5e3, x1, `a 'b'` FROM t WHERE y = {p:String}"),
            "SELECT ?, ?, ?, x1, `a 'b'` FROM t WHERE y = {p:String}"
        );
        assert_eq!(
            sanitize("CREATE USER u IDENTIFIED BY 'hunter2' -- secret\n"),
            "CREATE USER u IDENTIFIED BY ? \n"
        );
        assert_eq!(sanitize("SELECT $$x$$, $t$ y $t$, $1"), "SELECT ?, ?, $?");
        assert_eq!(sanitize("SELECT /* 'a' */ 'é', \"c\""), "SELECT  ?, \"c\"");
        assert_eq!(sanitize("SELECT 'unterminated"), "SELECT ?");
        for cut in 0..30 {
            let s = "SELECT 'ab\\'c', $$d$$ -- x";
            if s.is_char_boundary(cut) {
                sanitize(&s[..cut]);
            }
        }
    }
}
