//! `#[derive(Row)]`: tells chwire the column names a struct maps to, so a result set or a table
//! can be checked against the struct *before* any row is decoded or encoded.
//!
//! Column names follow serde's own naming, because serde is what moves the values: a field's
//! `#[serde(rename = "...")]` and the container's `#[serde(rename_all = "...")]` apply, and
//! `#[serde(skip)]` fields are not columns. Attributes that would make the column set differ
//! between reading and writing (`flatten`, `skip_serializing`, `skip_deserializing`,
//! `skip_serializing_if`, different `serialize`/`deserialize` renames) are rejected at compile
//! time rather than guessed at.

#![warn(missing_docs)]

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Data, DeriveInput, Fields, LitStr, parse_macro_input};

/// Implements `chwire::Row` for a struct with named fields.
#[proc_macro_derive(Row, attributes(serde))]
pub fn derive_row(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(ts) => ts.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let fields = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => &named.named,
            _ => {
                return Err(syn::Error::new_spanned(
                    &input.ident,
                    "#[derive(Row)] needs a struct with named fields (one field per column)",
                ));
            }
        },
        _ => {
            return Err(syn::Error::new_spanned(
                &input.ident,
                "#[derive(Row)] needs a struct with named fields (one field per column)",
            ));
        }
    };

    let rename_all = container_rename_all(&input.attrs)?;
    let mut names = Vec::new();
    for field in fields {
        let ident = field.ident.as_ref().expect("named field");
        let attrs = field_attrs(&field.attrs)?;
        if attrs.skip {
            continue;
        }
        let name = match attrs.rename {
            Some(name) => name,
            None => {
                let raw = ident.unraw().to_string();
                match rename_all {
                    Some(rule) => rule.apply(&raw),
                    None => raw,
                }
            }
        };
        names.push(name);
    }

    let ident = &input.ident;
    let struct_name = ident.to_string();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    // `Value<'__row>`: the type with every lifetime parameter set to `'__row` (itself when it
    // has none), for rows borrowed from a cursor's buffer.
    let value_args = input.generics.params.iter().map(|p| match p {
        syn::GenericParam::Lifetime(_) => quote! { '__row },
        syn::GenericParam::Type(t) => {
            let id = &t.ident;
            quote! { #id }
        }
        syn::GenericParam::Const(c) => {
            let id = &c.ident;
            quote! { #id }
        }
    });
    let value = if input.generics.params.is_empty() {
        quote! { Self }
    } else {
        quote! { #ident<#(#value_args),*> }
    };
    Ok(quote! {
        #[automatically_derived]
        impl #impl_generics ::chwire::Row for #ident #ty_generics #where_clause {
            const NAME: &'static str = #struct_name;
            const COLUMN_NAMES: &'static [&'static str] = &[#(#names),*];
            type Value<'__row> = #value;
        }
    })
}

#[derive(Default)]
struct FieldAttrs {
    rename: Option<String>,
    skip: bool,
}

fn field_attrs(attrs: &[Attribute]) -> syn::Result<FieldAttrs> {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                out.rename = Some(one_name(&meta, "rename")?);
            } else if meta.path.is_ident("skip") {
                out.skip = true;
            } else if meta.path.is_ident("flatten")
                || meta.path.is_ident("skip_serializing")
                || meta.path.is_ident("skip_deserializing")
                || meta.path.is_ident("skip_serializing_if")
            {
                return Err(meta.error(
                    "#[derive(Row)] does not support this attribute: the column list must be \
                     the same for reading and writing",
                ));
            } else {
                skip_meta_value(&meta)?;
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn container_rename_all(attrs: &[Attribute]) -> syn::Result<Option<RenameRule>> {
    let mut rule = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let lit_name = one_name(&meta, "rename_all")?;
                rule =
                    Some(RenameRule::from_str(&lit_name).ok_or_else(|| {
                        meta.error(format!("unknown rename_all rule {lit_name:?}"))
                    })?);
            } else {
                skip_meta_value(&meta)?;
            }
            Ok(())
        })?;
    }
    Ok(rule)
}

/// Reads `key = "x"` or `key(serialize = "x", deserialize = "x")`; the two directions must agree
/// because one struct describes both the columns read and the columns written.
fn one_name(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<String> {
    if meta.input.peek(syn::Token![=]) {
        let lit: LitStr = meta.value()?.parse()?;
        return Ok(lit.value());
    }
    let mut ser = None;
    let mut de = None;
    meta.parse_nested_meta(|inner| {
        let lit: LitStr = inner.value()?.parse()?;
        if inner.path.is_ident("serialize") {
            ser = Some(lit.value());
        } else if inner.path.is_ident("deserialize") {
            de = Some(lit.value());
        } else {
            return Err(inner.error("expected `serialize` or `deserialize`"));
        }
        Ok(())
    })?;
    match (ser, de) {
        (Some(a), Some(b)) if a == b => Ok(a),
        _ => Err(meta.error(format!(
            "#[derive(Row)] needs `{key}` to name the same column for serialize and deserialize"
        ))),
    }
}

/// Consumes the value of a serde attribute this derive does not care about (`with = "..."`,
/// `bound(...)`, `default`, ...).
fn skip_meta_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
        let _: proc_macro2::TokenTree = meta.input.parse()?;
    }
    Ok(())
}

/// serde's `rename_all` rules, applied to snake_case field names.
#[derive(Clone, Copy)]
enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    fn from_str(s: &str) -> Option<Self> {
        Some(match s {
            "lowercase" => Self::Lower,
            "UPPERCASE" => Self::Upper,
            "PascalCase" => Self::Pascal,
            "camelCase" => Self::Camel,
            "snake_case" => Self::Snake,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "kebab-case" => Self::Kebab,
            "SCREAMING-KEBAB-CASE" => Self::ScreamingKebab,
            _ => return None,
        })
    }

    fn apply(self, field: &str) -> String {
        match self {
            Self::Lower | Self::Snake => field.to_owned(),
            Self::Upper | Self::ScreamingSnake => field.to_ascii_uppercase(),
            Self::Kebab => field.replace('_', "-"),
            Self::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
            Self::Pascal | Self::Camel => {
                let mut out = String::with_capacity(field.len());
                let mut capitalize = matches!(self, Self::Pascal);
                for c in field.chars() {
                    if c == '_' {
                        capitalize = true;
                    } else if capitalize {
                        out.push(c.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}
