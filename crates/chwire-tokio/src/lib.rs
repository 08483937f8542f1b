//! chwire-tokio
