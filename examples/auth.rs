//! Who a request runs as: an access token (JWT, `Authorization: Bearer`), custom headers for a
//! proxy or gateway, and roles per client and per query.
//! `cargo run -p chwire-examples --example auth`.

use chwire::{Client, Error, Value, error_codes};
use chwire_examples::{BoxError, server_url};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let rt = chwire_tokio::runtime()?;
    // A header every request carries, and one a single query overrides.
    let client = Client::builder(rt.clone())
        .url(server_url())
        .header("X-Tenant", "acme")
        .build()?;
    let see = "SELECT getClientHTTPHeader('X-Tenant') SETTINGS allow_get_client_http_header = 1";
    let (_, rows) = client.query(see).fetch_all_rows().await?;
    assert_eq!(rows, [[Value::String(b"acme".to_vec())]]);
    let (_, rows) = client
        .query(see)
        .header("X-Tenant", "globex")
        .fetch_all_rows()
        .await?;
    assert_eq!(rows, [[Value::String(b"globex".to_vec())]]);
    println!("auth: custom headers reach the server");

    // Headers chwire writes itself cannot be replaced by accident.
    let refused = Client::builder(rt.clone())
        .header("Authorization", "Basic eDp5")
        .build();
    assert!(matches!(refused, Err(Error::Config(_))));

    // Roles: `role=` on every request (or per query); the user must have been granted them.
    // The example's server has no such role, and says so.
    let e = client
        .query("SELECT currentRoles()")
        .role("analyst")
        .execute()
        .await
        .unwrap_err();
    assert_eq!(e.server_code(), Some(error_codes::UNKNOWN_ROLE));
    println!("auth: role sent, server answered: {e}");

    // An access token replaces user and password. This server has no JWT validator.
    let with_token = Client::builder(rt)
        .url(server_url())
        .access_token(std::env::var("CHWIRE_JWT").unwrap_or_else(|_| "eyJ.e30.sig".into()))
        .build()?;
    match with_token
        .query("SELECT currentUser()")
        .fetch_all_rows()
        .await
    {
        Ok((_, rows)) => println!("auth: token accepted, user {rows:?}"),
        Err(e) => {
            assert_eq!(e.server_code(), Some(error_codes::AUTHENTICATION_FAILED));
            println!("auth: token sent as Bearer, refused by this server: {e}");
        }
    }
    Ok(())
}
