//! Tidy checks that guard architecture rules, run as ordinary tests.

use std::process::Command;

use crate::tidy_scan::{check_exists, functions, invariant_checks, oversized_files, rust_files};

/// Crates that do IO or drive an async runtime. `chwire-proto` is sans-IO: none of these (nor
/// anything from their families) may appear in its normal dependency tree.
const FORBIDDEN_EXACT: &[&str] = &[
    "smol",
    "mio",
    "socket2",
    "polling",
    "hyper",
    "reqwest",
    "ureq",
    "h2",
    "rustls",
    "native-tls",
    "openssl",
    "blocking",
    "async-task",
    "event-listener",
    "rustix",
    "signal-hook",
];
const FORBIDDEN_PREFIXES: &[&str] = &["tokio", "async-", "futures", "hyper-"];

fn forbidden(name: &str) -> bool {
    FORBIDDEN_EXACT.contains(&name) || FORBIDDEN_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The names in `package`'s normal (non-dev, non-build) dependency tree, itself included.
fn normal_tree(package: &str, extra: &[&str]) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--package",
            package,
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .args(extra)
        .current_dir(crate::server::workspace_root())
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    let mut names: Vec<String> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect();
    assert!(
        names.iter().any(|n| n == package),
        "unexpected cargo tree output:\n{tree}"
    );
    names.sort_unstable();
    names.dedup();
    names
}

#[test]
fn chwire_proto_has_no_io_or_runtime_dependencies() {
    let bad: Vec<String> = normal_tree("chwire-proto", &[])
        .into_iter()
        .filter(|n| forbidden(n))
        .collect();
    assert!(
        bad.is_empty(),
        "chwire-proto must stay sans-IO, but its normal dependency tree contains: {bad:?}"
    );
}

/// The runtimes with an adapter (`chwire-<runtime>`).
const RUNTIMES: &[&str] = &["tokio", "async-std", "smol"];

/// Runtime crates and their executors/reactors: the facade may depend on none of them.
const RUNTIME_CRATES: &[&str] = &[
    "tokio",
    "mio",
    "async-std",
    "async-global-executor",
    "smol",
    "async-executor",
    "async-io",
    "async-net",
];

/// Each adapter joins chwire-rt to its own runtime only: no protocol code, no other runtime
/// (crates runtimes share, like async-io under async-std and smol, are the runtime's own).
#[test]
fn adapters_depend_on_chwire_rt_and_their_runtime_only() {
    for runtime in RUNTIMES {
        let adapter = format!("chwire-{runtime}");
        let tree = normal_tree(&adapter, &[]);
        assert!(tree.iter().any(|n| n == "chwire-rt"), "{adapter}: {tree:?}");
        assert!(tree.iter().any(|n| n == runtime), "{adapter}: {tree:?}");
        let bad: Vec<&String> = tree
            .iter()
            .filter(|n| {
                n.as_str() == "chwire-proto" || (RUNTIMES.contains(&n.as_str()) && n != runtime)
            })
            .collect();
        assert!(bad.is_empty(), "{adapter} must not depend on {bad:?}");
    }
}

/// The facade reaches IO only through chwire-rt: with every feature on, no runtime crate.
#[test]
fn facade_depends_on_no_runtime() {
    let bad: Vec<String> = normal_tree("chwire", &["--all-features"])
        .into_iter()
        .filter(|n| RUNTIME_CRATES.contains(&n.as_str()))
        .collect();
    assert!(
        bad.is_empty(),
        "chwire must reach IO only through chwire-rt, but depends on {bad:?}"
    );
}

#[test]
fn forbidden_list_catches_runtime_crates() {
    for name in [
        "tokio",
        "tokio-util",
        "async-std",
        "async-io",
        "async-net",
        "futures-io",
        "futures-util",
        "hyper",
        "smol",
        "mio",
    ] {
        assert!(forbidden(name), "{name} should be forbidden");
    }
    for name in [
        "bytes",
        "thiserror",
        "lz4_flex",
        "zstd",
        "httparse",
        "http",
        "ethnum",
    ] {
        assert!(!forbidden(name), "{name} should be allowed");
    }
}

/// Every `.rs` file under a crate's `src/` (each one is a module or crate root).
fn library_sources() -> Vec<std::path::PathBuf> {
    let crates = crate::server::workspace_root().join("crates");
    let mut out = Vec::new();
    for krate in std::fs::read_dir(&crates).expect("crates/ exists") {
        let src = krate.expect("readable dir entry").path().join("src");
        if src.is_dir() {
            out.extend(rust_files(&src));
        }
    }
    out
}

/// Each module says what its job is: its file opens with a `//!` doc.
#[test]
fn every_module_has_a_doc() {
    let sources = library_sources();
    assert!(sources.len() > 20, "found only {sources:?}");
    let undocumented: Vec<_> = sources
        .iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).expect("readable source");
            !text.trim_start().starts_with("//!")
        })
        .collect();
    assert!(
        undocumented.is_empty(),
        "modules without a `//!` doc: {undocumented:?}"
    );
}

/// The `it` binary runs its own harness: a case is registered where it is defined. Every
/// `pub async fn` taking the runtime (a case's shape) carries `#[chwire_tests::case]`, no file
/// uses `#[test]` (it would be ignored there), and every file is a module of `main.rs`.
#[test]
fn integration_cases_are_registered() {
    let dir = crate::server::workspace_root().join("tests/it");
    let main = std::fs::read_to_string(dir.join("main.rs")).expect("tests/it/main.rs");
    let mut problems = Vec::new();
    let mut cases = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/it exists") {
        let path = entry.expect("readable dir entry").path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_none_or(|e| e != "rs") || stem == "main" {
            continue;
        }
        if !main.lines().any(|l| l.trim() == format!("mod {stem};")) {
            problems.push(format!("{stem}.rs is not a `mod` of tests/it/main.rs"));
        }
        let text = std::fs::read_to_string(&path).expect("readable test file");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let line = line.trim();
            if line == "#[test]" {
                problems.push(format!("{stem}.rs:{}: use #[chwire_tests::test]", i + 1));
            }
            if line.starts_with("pub async fn ") && line.contains("(rt: Arc<dyn Runtime>") {
                cases += 1;
                if i == 0 || lines[i - 1].trim() != "#[chwire_tests::case]" {
                    problems.push(format!(
                        "{stem}.rs:{}: case without #[chwire_tests::case]",
                        i + 1
                    ));
                }
            }
        }
    }
    assert!(cases > 50, "found only {cases} cases");
    assert!(
        problems.is_empty(),
        "unregistered integration tests:\n{}",
        problems.join("\n")
    );
}

/// The facade's top-level modules form no cycle (each `crate::`/`super::` path is an edge to
/// the module it names), so every module can be read, and replaced, from the bottom up.
#[test]
fn facade_has_no_module_cycles() {
    let src = crate::server::workspace_root().join("crates/chwire/src");
    let graph = crate::module_graph::crate_graph(&src);
    assert!(graph.len() > 20, "found only {:?}", graph.keys());
    if let Some(cycle) = crate::module_graph::find_cycle(&graph) {
        panic!("module cycle in the facade: {}", cycle.join(" -> "));
    }
}

/// The scanner behind `facade_has_no_module_cycles` sees the edges it must (grouped `use`,
/// `super::` out of a nested file, root re-exports), not those in comments or strings, and the
/// cycle finder reports a constructed cycle.
#[test]
fn module_cycle_finder_catches_a_cycle() {
    use crate::module_graph::{Graph, find_cycle, named_modules};
    use std::collections::{BTreeMap, BTreeSet};
    let modules: BTreeSet<String> = ["a", "b", "c", "d", "e", "p", "quiet"]
        .map(String::from)
        .into();
    let reexports = BTreeMap::from([("Thing".to_string(), "e".to_string())]);
    let text = "//! docs name crate::quiet\n\
                use crate::{a::X, b};\n\
                use super::super::c::Y;\n\
                fn f() -> crate::Thing { let s = \"crate::quiet\"; let c = '\"'; super::Z }\n\
                mod tests {\n    use super::super::super::d::W;\n}\n";
    let path = ["p".to_string(), "q".to_string()];
    let found = named_modules(text, &path, &modules, &reexports);
    let want: BTreeSet<String> = ["a", "b", "c", "d", "e", "p"].map(String::from).into();
    assert_eq!(found, want);

    let edge =
        |from: &str, to: &[&str]| (from.to_string(), to.iter().map(|s| s.to_string()).collect());
    let mut graph: Graph = [edge("a", &["b"]), edge("b", &["c"]), edge("c", &["d"])].into();
    assert_eq!(find_cycle(&graph), None);
    graph.insert("d".into(), ["b".to_string()].into());
    assert_eq!(
        find_cycle(&graph),
        Some(["b", "c", "d", "b"].map(String::from).to_vec())
    );
}

/// The facade's files that may be long: serde's (de)serializer impls (one trait impl each,
/// dozens of small methods) and the generated error codes.
const FACADE_LONG_FILES: &[&str] = &["row/ser.rs", "row/de.rs", "error_codes.rs"];

/// The facade's sources as (path relative to `crates/chwire/src`, text).
fn facade_sources() -> Vec<(String, String)> {
    let src = crate::server::workspace_root().join("crates/chwire/src");
    let files: Vec<(String, String)> = rust_files(&src)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&src).expect("under src").to_string_lossy();
            let text = std::fs::read_to_string(&p).expect("readable source");
            (rel.replace('\\', "/"), text)
        })
        .collect();
    assert!(files.len() > 20, "found only {} facade files", files.len());
    files
}

/// One job per file: a facade file over 800 lines is doing several.
#[test]
fn facade_files_are_at_most_800_lines() {
    let files: Vec<(String, usize)> = facade_sources()
        .into_iter()
        .map(|(p, text)| (p, text.lines().count()))
        .collect();
    let problems = oversized_files(&files, 800, FACADE_LONG_FILES);
    assert!(
        problems.is_empty(),
        "facade files too long (split them by job):\n{}",
        problems.join("\n")
    );
}

/// A facade function over 80 lines (outside `#[cfg(test)]` modules and the long files above)
/// is doing several things: give them names.
#[test]
fn facade_functions_are_at_most_80_lines() {
    let sources = facade_sources();
    let mut problems = Vec::new();
    for (path, text) in &sources {
        if FACADE_LONG_FILES.contains(&path.as_str()) {
            continue;
        }
        for f in functions(text).into_iter().filter(|f| f.lines > 80) {
            problems.push(format!(
                "{path}:{}: fn {} is {} lines",
                f.line, f.name, f.lines
            ));
        }
    }
    let measured: usize = sources.iter().map(|(_, t)| functions(t).len()).sum();
    assert!(measured > 300, "found only {measured} functions");
    assert!(
        problems.is_empty(),
        "facade functions over 80 lines:\n{}",
        problems.join("\n")
    );
}

/// Each check the Invariants table of `docs/architecture.md` names exists: a renamed or
/// deleted test must take its row along.
#[test]
fn invariants_table_names_existing_tests() {
    let root = crate::server::workspace_root();
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).expect("architecture doc");
    let checks = invariant_checks(&doc);
    assert!(checks.len() >= 5, "found only {checks:?}");
    let mut files = Vec::new();
    for dir in ["crates", "xtask", "tests", "examples"] {
        for path in rust_files(&root.join(dir)) {
            let text = std::fs::read_to_string(&path).expect("readable source");
            files.push((path, text));
        }
    }
    let missing: Vec<&String> = checks.iter().filter(|c| !check_exists(c, &files)).collect();
    assert!(
        missing.is_empty(),
        "the Invariants table names checks that do not exist: {missing:?}"
    );
}
