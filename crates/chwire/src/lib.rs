//! chwire
