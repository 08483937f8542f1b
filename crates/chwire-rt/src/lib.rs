//! chwire-rt
