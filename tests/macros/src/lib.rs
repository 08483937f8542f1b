//! `#[chwire_tests::case]` and `#[chwire_tests::test]`: register an integration test where it is
//! defined, so a test written is a test run (the `it` binary collects the registrations and
//! expands cases over the runtime × transport matrix; see `chwire_tests::run`).

use proc_macro::TokenStream;
use quote::{format_ident, quote};
use syn::{FnArg, ItemFn, parse_macro_input};

/// Registers an `async fn(Arc<dyn Runtime>)` (run once per runtime) or an
/// `async fn(Arc<dyn Runtime>, Transport)` (run once per runtime and transport).
#[proc_macro_attribute]
pub fn case(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = parse_macro_input!(item as ItemFn);
    if let Some(error) = no_arguments(attr) {
        return error;
    }
    let sig = &item.sig;
    if sig.asyncness.is_none() {
        return error(sig, "a case is an `async fn`");
    }
    let typed = sig.inputs.iter().all(|a| matches!(a, FnArg::Typed(_)));
    let (params, args, body) = match sig.inputs.len() {
        1 if typed => (quote!(rt: __p::Rt), quote!(rt), quote!(Case)),
        2 if typed => (
            quote!(rt: __p::Rt, transport: ::chwire_tests::Transport),
            quote!(rt, transport),
            quote!(PerTransport),
        ),
        _ => {
            return error(
                sig,
                "a case takes `(rt: Arc<dyn Runtime>)` or `(rt: Arc<dyn Runtime>, transport: Transport)`",
            );
        }
    };
    let name = &sig.ident;
    let run = format_ident!("__chwire_run_{}", name);
    registered(
        &item,
        quote! {
            fn #run(#params) -> __p::CaseFuture {
                ::std::boxed::Box::pin(#name(#args))
            }
            __p::Body::#body(#run)
        },
    )
}

/// Registers a plain `fn()` test of the `it` binary (it runs its own harness, so `#[test]`
/// would be ignored there).
#[proc_macro_attribute]
pub fn test(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = parse_macro_input!(item as ItemFn);
    if let Some(error) = no_arguments(attr) {
        return error;
    }
    let sig = &item.sig;
    if sig.asyncness.is_some() || !sig.inputs.is_empty() {
        return error(
            sig,
            "a test is a plain `fn()`: use `#[chwire_tests::case]` for async cases",
        );
    }
    let name = &sig.ident;
    registered(&item, quote!(__p::Body::Test(#name)))
}

/// The item, followed by its registration under `module_path!()` and its own name.
fn registered(item: &ItemFn, body: proc_macro2::TokenStream) -> TokenStream {
    let name = item.sig.ident.to_string();
    quote! {
        #item
        const _: () = {
            use ::chwire_tests::__private as __p;
            __p::inventory::submit! {
                __p::Registered {
                    module: ::core::module_path!(),
                    name: #name,
                    body: { #body },
                }
            }
        };
    }
    .into()
}

fn no_arguments(attr: TokenStream) -> Option<TokenStream> {
    let attr = proc_macro2::TokenStream::from(attr);
    (!attr.is_empty()).then(|| error(&attr, "this attribute takes no arguments"))
}

fn error(at: &impl quote::ToTokens, message: &str) -> TokenStream {
    syn::Error::new_spanned(at, message)
        .to_compile_error()
        .into()
}
