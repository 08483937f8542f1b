//! The facade's module graph for the no-cycles tidy check: which top-level module of
//! `crates/chwire/src` names which, read from the `crate::…` and `super::…` paths in its code
//! (comments and string literals skipped), and a cycle finder over it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules it names.
pub(crate) type Graph = BTreeMap<String, BTreeSet<String>>;

/// The graph of the crate whose sources are under `src`. A name after `crate::` that is no
/// module (a root re-export such as `crate::Row`) counts as the module `lib.rs` re-exports it
/// from.
pub(crate) fn crate_graph(src: &Path) -> Graph {
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let mut files = Vec::new();
    walk(src, src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|(path, _)| path.first().cloned())
        .collect();
    let reexports = root_reexports(&code_only(&lib), &modules);
    let mut graph = Graph::new();
    for (path, text) in &files {
        let Some(top) = path.first() else { continue };
        let targets = graph.entry(top.clone()).or_default();
        targets.extend(named_modules(text, path, &modules, &reexports));
        targets.remove(top);
    }
    graph
}

/// Every `.rs` file under `dir` with its module path (`offload/mod.rs` → `[offload]`,
/// `lib.rs` → `[]`).
fn walk(root: &Path, dir: &Path, out: &mut Vec<(Vec<String>, String)>) {
    for entry in std::fs::read_dir(dir).expect("readable source dir") {
        let path = entry.expect("readable dir entry").path();
        if path.is_dir() {
            walk(root, &path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .expect("under root")
            .with_extension("");
        let mut module: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
            module.pop();
        }
        let text = std::fs::read_to_string(&path).expect("readable source");
        out.push((module, text));
    }
}

/// `name → module` for `pub use module::{…}` lines of the crate root.
fn root_reexports(lib: &str, modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(tree) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, rest)) = tree.split_once("::") else {
            continue;
        };
        if !modules.contains(module.trim()) {
            continue;
        }
        for name in identifiers(rest) {
            out.insert(name, module.trim().to_string());
        }
    }
    out
}

/// The identifiers in `text`.
fn identifiers(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|s| !s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

/// The top-level modules named by paths in `text`, a file of module `path`.
pub(crate) fn named_modules(
    text: &str,
    path: &[String],
    modules: &BTreeSet<String>,
    reexports: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // Inline modules (`mod tests {`) the current line is in, with their indentation.
    let mut inline: Vec<(usize, String)> = Vec::new();
    for line in code_only(text).lines() {
        let indent = line.len() - line.trim_start().len();
        if inline
            .last()
            .is_some_and(|(i, _)| *i == indent && line.trim() == "}")
        {
            inline.pop();
            continue;
        }
        let mut here: Vec<String> = path.to_vec();
        here.extend(inline.iter().map(|(_, name)| name.clone()));
        for name in path_roots(line, &here) {
            match reexports.get(&name) {
                _ if modules.contains(&name) => out.insert(name),
                Some(module) => out.insert(module.clone()),
                None => false,
            };
        }
        if let Some(name) = inline_module(line) {
            inline.push((indent, name));
        }
    }
    out
}

/// `mod name {` opening an inline module on this line.
fn inline_module(line: &str) -> Option<String> {
    let rest = line.trim_start();
    let rest = match rest.strip_prefix("pub") {
        Some(r) if r.starts_with('(') => r.split_once(')')?.1.trim_start(),
        Some(r) => r.trim_start(),
        None => rest,
    };
    let name = rest
        .strip_prefix("mod ")?
        .trim_end()
        .strip_suffix('{')?
        .trim();
    (!name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .then(|| name.to_string())
}

/// The first segment after the crate root of each `crate::…`/`super::…` path on `line`, in
/// module `here`: for `super::` paths that stay inside a top-level module, that module.
fn path_roots(line: &str, here: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = find_path_start(line, at) {
        let (start, is_crate) = found;
        let before = line[..start].chars().next_back();
        at = start + 1;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == ':') {
            continue;
        }
        let mut rest = &line[start..];
        let mut base: Vec<String> = here.to_vec();
        if is_crate {
            rest = &rest["crate::".len()..];
            base.clear();
        } else {
            while let Some(r) = rest.strip_prefix("super::") {
                if base.pop().is_none() {
                    break;
                }
                rest = r;
            }
        }
        at = line.len() - rest.len();
        if let Some(top) = base.first() {
            out.push(top.clone());
        } else if let Some(group) = rest.strip_prefix('{') {
            out.extend(group_heads(group));
        } else {
            out.extend(identifiers(rest).into_iter().take(1));
        }
    }
    out
}

/// The next `crate::` or `super::` at or after `from`: its start and whether it is `crate::`.
fn find_path_start(line: &str, from: usize) -> Option<(usize, bool)> {
    let c = line.get(from..)?.find("crate::").map(|i| (from + i, true));
    let s = line.get(from..)?.find("super::").map(|i| (from + i, false));
    match (c, s) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The first identifier of each item of a `{a::X, b, c::{…}}` group (text after its `{`).
fn group_heads(group: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut item_start = true;
    let mut word = String::new();
    for c in group.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if item_start && depth == 0 && !word.is_empty() {
            out.push(std::mem::take(&mut word));
            item_start = false;
        }
        word.clear();
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            _ => {}
        }
    }
    out.retain(|w| w != "self");
    out
}

/// `text` with comments removed and string and char literals blanked (line breaks kept).
pub(crate) fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                if chars[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 2;
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if chars.get(i) == Some(&'\n') {
                    out.push('\n');
                }
                i += 1;
            }
            out.push('"');
            i += 1;
        } else if c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\'')) {
            // A char literal (`'x'`, `'\''`); a lone `'` is a lifetime.
            i += if next == Some('\\') { 2 } else { 1 };
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            out.push_str("' '");
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A cycle in `graph` as the modules along it, the first repeated at the end; `None` for a
/// graph without cycles.
pub(crate) fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Active,
        Done,
    }
    fn visit<'a>(
        node: &'a str,
        graph: &'a Graph,
        marks: &mut BTreeMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Active) => {
                let from = stack.iter().position(|n| *n == node)?;
                let mut cycle: Vec<String> = stack[from..].iter().map(|s| s.to_string()).collect();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node, Mark::Active);
        stack.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(node, Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}
