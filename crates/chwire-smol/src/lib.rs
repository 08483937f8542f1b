//! chwire-smol
