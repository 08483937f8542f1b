//! A server exception as ClickHouse reports it on every transport: a code, the code's name, the
//! message, and on the native protocol a stack trace and a chain of nested causes.

use std::fmt;

/// An exception reported by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerException {
    /// ClickHouse error code (`Code: 62`), e.g. 62 = SYNTAX_ERROR.
    pub code: i32,
    /// The error code's name, e.g. `SYNTAX_ERROR`, when the text carries it.
    pub name: Option<String>,
    /// The message with the `Code: N. DB::Exception: ` prefix and the `(NAME) (version …)`
    /// suffix removed.
    pub message: String,
    /// Server version from the `(version …)` suffix, if present.
    pub version: Option<String>,
    /// Stack trace and cause, boxed: most exceptions (every HTTP one) have neither, and the
    /// exception travels inside error enums that should stay small.
    detail: Option<Box<Detail>>,
}

/// What only the native protocol reports about an exception.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Detail {
    stack_trace: Option<String>,
    nested: Option<ServerException>,
}

impl fmt::Display for ServerException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code: {}. DB::Exception: {}", self.code, self.message)?;
        if let Some(name) = &self.name {
            write!(f, " ({name})")?;
        }
        Ok(())
    }
}

impl ServerException {
    /// An exception with only a code and a message (no name, version, stack or cause).
    pub fn new(code: i32, message: impl Into<String>) -> ServerException {
        ServerException {
            code,
            name: None,
            message: message.into(),
            version: None,
            detail: None,
        }
    }

    /// Parses the server's exception text, e.g.
    /// `Code: 62. DB::Exception: Syntax error: … (SYNTAX_ERROR) (version 26.9.2.1)`.
    /// Also accepts the pre-21.x shape `Code: 60, e.displayText() = DB::Exception: …`.
    /// Returns `None` if the text does not start with `Code: <number>`.
    pub fn parse(text: &str) -> Option<ServerException> {
        let rest = text.trim_start().strip_prefix("Code: ")?;
        let digits = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'-')
            .count();
        let code: i32 = rest[..digits].parse().ok()?;
        let mut rest = &rest[digits..];
        rest = rest
            .strip_prefix(". ")
            .or_else(|| rest.strip_prefix(", "))
            .unwrap_or(rest);
        for prefix in ["DB::Exception: ", "e.displayText() = DB::Exception: "] {
            if let Some(r) = rest.strip_prefix(prefix) {
                rest = r;
                break;
            }
        }
        let mut message = rest.trim_end();
        let mut version = None;
        if let Some(pos) = message.rfind(" (version ") {
            if message.ends_with(')') {
                version = Some(message[pos + 10..message.len() - 1].to_owned());
                message = message[..pos].trim_end();
            }
        }
        let mut name = None;
        if message.ends_with(')') {
            if let Some(pos) = message.rfind('(') {
                let candidate = &message[pos + 1..message.len() - 1];
                if !candidate.is_empty()
                    && candidate
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                {
                    name = Some(candidate.to_owned());
                    message = message[..pos].trim_end();
                }
            }
        }
        Some(ServerException {
            code,
            name,
            message: message.to_owned(),
            version,
            detail: None,
        })
    }

    /// The server's stack trace, when it sent one (the native protocol does).
    pub fn stack_trace(&self) -> Option<&str> {
        self.detail.as_ref()?.stack_trace.as_deref()
    }

    /// The exception this one wraps (the native protocol sends a chain, outermost first).
    pub fn nested(&self) -> Option<&ServerException> {
        self.detail.as_ref()?.nested.as_ref()
    }

    /// Sets the stack trace.
    pub fn with_stack_trace(mut self, stack_trace: impl Into<String>) -> ServerException {
        self.detail.get_or_insert_default().stack_trace = Some(stack_trace.into());
        self
    }

    /// Sets the wrapped exception.
    pub fn with_nested(mut self, nested: ServerException) -> ServerException {
        self.detail.get_or_insert_default().nested = Some(nested);
        self
    }
}
