//! [`Row`] for single values and tuples: `fetch_one::<u64>()` for `SELECT count()`,
//! `fetch_all::<(u64, String)>()`, inserts of tuples into a table's columns in order. They map
//! to columns by position ([`Row::POSITIONAL`]), checked by count when the row is matched
//! against a result's or table's columns; each value's type is checked as for struct fields.

use super::Row;

macro_rules! single_value_rows {
    ($($ty:ty),* $(,)?) => {$(
        impl Row for $ty {
            const NAME: &'static str = stringify!($ty);
            const COLUMN_NAMES: &'static [&'static str] = &[];
            const POSITIONAL: Option<usize> = Some(1);
            type Value<'a> = $ty;
        }
    )*};
}

single_value_rows!(
    bool, u8, u16, u32, u64, u128, i8, i16, i32, i64, i128, f32, f64, String,
);

impl<T> Row for Option<T> {
    const NAME: &'static str = "Option";
    const COLUMN_NAMES: &'static [&'static str] = &[];
    const POSITIONAL: Option<usize> = Some(1);
    type Value<'a> = Option<T>;
}

impl<T> Row for Vec<T> {
    const NAME: &'static str = "Vec";
    const COLUMN_NAMES: &'static [&'static str] = &[];
    const POSITIONAL: Option<usize> = Some(1);
    type Value<'a> = Vec<T>;
}

macro_rules! tuple_rows {
    ($($n:literal: ($($t:ident),+);)*) => {$(
        impl<$($t),+> Row for ($($t,)+) {
            const NAME: &'static str = concat!("a tuple of ", $n);
            const COLUMN_NAMES: &'static [&'static str] = &[];
            const POSITIONAL: Option<usize> = Some($n);
            type Value<'a> = ($($t,)+);
        }
    )*};
}

tuple_rows! {
    1: (A);
    2: (A, B);
    3: (A, B, C);
    4: (A, B, C, D);
    5: (A, B, C, D, E);
    6: (A, B, C, D, E, F);
    7: (A, B, C, D, E, F, G);
    8: (A, B, C, D, E, F, G, H);
}
