//! The user name and password a client logs in with, on any transport (HTTP headers, the native
//! protocol's Hello).

use std::fmt;

/// User name and password. `Debug` never prints the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The ClickHouse user name (`default` on a fresh server).
    pub user: String,
    password: String,
}

impl Credentials {
    /// A user name and password; an empty password logs in a user that has none.
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials {
            user: user.into(),
            password: password.into(),
        }
    }

    /// The password in clear text, for the transport that sends it.
    pub fn password(&self) -> &str {
        &self.password
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}
