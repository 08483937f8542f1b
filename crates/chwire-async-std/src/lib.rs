//! chwire-async-std
