//! Recursion in templates is refused before anything is rendered: Tera 1.20 has no limit on
//! the depth of macro calls or includes, so a macro that calls itself (directly or through
//! others) or a template that includes itself overflows the stack and aborts the process.
//! The forms need no recursion; a cycle in the graph of macro calls and includes is an
//! error naming the macros and the file.
//!
//! This file depends only on Tera's syntax tree: `src/build.rs` includes it too, so that a
//! recursive compiled-in template fails the build.

use std::collections::{BTreeMap, BTreeSet};

use tera::Template;
use tera::ast::{Expr, ExprVal, FunctionCall, Node};

/// A template's top level (`None`) or one of its macros.
type Place = (String, Option<String>);

/// A cycle of macro calls or includes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The template where the cycle starts (its name, relative to the templates directory).
    pub file: String,
    /// Text of that template to point at: `macro NAME` or the included file's name.
    pub needle: String,
    /// Lower case, no final period.
    pub message: String,
}

/// The first cycle among `templates` (name, parsed template), in name order.
pub fn find_cycle(templates: &[(&str, &Template)]) -> Option<Cycle> {
    let mut graph: BTreeMap<Place, BTreeSet<Place>> = BTreeMap::new();
    for (name, template) in templates {
        let imports: BTreeMap<&str, &str> =
            template.imported_macro_files.iter().map(|(file, ns)| (ns.as_str(), file.as_str())).collect();
        let mut walker = Walker { file: name, imports: &imports, calls: BTreeSet::new() };
        walker.nodes(template.ast.iter().filter(|n| !matches!(n, Node::MacroDefinition(..))));
        graph.insert(((*name).to_owned(), None), walker.calls);
        for (macro_name, definition) in &template.macros {
            let mut walker = Walker { file: name, imports: &imports, calls: BTreeSet::new() };
            walker.nodes(definition.body.iter());
            graph.insert(((*name).to_owned(), Some(macro_name.clone())), walker.calls);
        }
    }
    let mut done = BTreeSet::new();
    for start in graph.keys() {
        let mut path = Vec::new();
        if let Some(cycle) = visit(&graph, start, &mut path, &mut done) {
            return Some(describe(&cycle));
        }
    }
    None
}

/// Depth-first search; the cycle as the places on it, first repeated at the end.
fn visit(
    graph: &BTreeMap<Place, BTreeSet<Place>>,
    place: &Place,
    path: &mut Vec<Place>,
    done: &mut BTreeSet<Place>,
) -> Option<Vec<Place>> {
    if let Some(at) = path.iter().position(|p| p == place) {
        let mut cycle = path[at..].to_vec();
        cycle.push(place.clone());
        return Some(cycle);
    }
    if done.contains(place) {
        return None;
    }
    path.push(place.clone());
    for next in graph.get(place).into_iter().flatten() {
        if let Some(cycle) = visit(graph, next, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    done.insert(place.clone());
    None
}

fn describe(cycle: &[Place]) -> Cycle {
    let show = |(file, name): &Place| match name {
        Some(name) => format!("macro \"{name}\" of {file}"),
        None => file.clone(),
    };
    let (file, name) = &cycle[0];
    let needle = match name {
        Some(name) => format!("macro {name}"),
        None => cycle.get(1).map(|(f, _)| f.clone()).unwrap_or_default(),
    };
    let chain: Vec<String> = cycle.iter().map(show).collect();
    let what = if name.is_some() { "calls itself" } else { "includes itself" };
    Cycle {
        file: file.clone(),
        needle,
        message: format!(
            "{} {what} ({}): recursion is not available to templates",
            show(&cycle[0]),
            chain.join(" → ")
        ),
    }
}

struct Walker<'a> {
    file: &'a str,
    imports: &'a BTreeMap<&'a str, &'a str>,
    calls: BTreeSet<Place>,
}

impl Walker<'_> {
    fn nodes<'n>(&mut self, nodes: impl Iterator<Item = &'n Node>) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::VariableBlock(_, e) => self.expr(e),
            Node::Set(_, set) => self.expr(&set.value),
            Node::Include(_, files, _) => {
                self.calls.extend(files.iter().map(|f| (f.clone(), None)));
            }
            Node::FilterSection(_, section, _) => {
                self.call(&section.filter);
                self.nodes(section.body.iter());
            }
            Node::Block(_, block, _) => self.nodes(block.body.iter()),
            Node::Forloop(_, forloop, _) => {
                self.expr(&forloop.container);
                self.nodes(forloop.body.iter());
                self.nodes(forloop.empty_body.iter().flatten());
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    self.expr(condition);
                    self.nodes(body.iter());
                }
                if let Some((_, body)) = &branches.otherwise {
                    self.nodes(body.iter());
                }
            }
            // Macro definitions are walked as places of their own.
            Node::MacroDefinition(..)
            | Node::Super
            | Node::Text(_)
            | Node::Extends(..)
            | Node::ImportMacro(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }

    fn call(&mut self, call: &FunctionCall) {
        for arg in call.args.values() {
            self.expr(arg);
        }
    }

    fn expr(&mut self, e: &Expr) {
        for filter in &e.filters {
            self.call(filter);
        }
        self.value(&e.val);
    }

    fn value(&mut self, v: &ExprVal) {
        match v {
            ExprVal::MacroCall(m) => {
                let file = if m.namespace == "self" {
                    Some(self.file)
                } else {
                    self.imports.get(m.namespace.as_str()).copied()
                };
                if let Some(file) = file {
                    self.calls.insert((file.to_owned(), Some(m.name.clone())));
                }
                for arg in m.args.values() {
                    self.expr(arg);
                }
            }
            ExprVal::FunctionCall(f) => self.call(f),
            ExprVal::Math(m) => {
                self.expr(&m.lhs);
                self.expr(&m.rhs);
            }
            ExprVal::Logic(l) => {
                self.expr(&l.lhs);
                self.expr(&l.rhs);
            }
            ExprVal::In(i) => {
                self.expr(&i.lhs);
                self.expr(&i.rhs);
            }
            ExprVal::Test(t) => t.args.iter().for_each(|a| self.expr(a)),
            ExprVal::Array(items) => items.iter().for_each(|a| self.expr(a)),
            ExprVal::StringConcat(c) => c.values.iter().for_each(|v| self.value(v)),
            ExprVal::String(_)
            | ExprVal::Int(_)
            | ExprVal::Float(_)
            | ExprVal::Bool(_)
            | ExprVal::Ident(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle(files: &[(&str, &str)]) -> Option<Cycle> {
        let parsed: Vec<(&str, Template)> = files
            .iter()
            .map(|(name, text)| (*name, Template::new(name, None, text).expect("parses")))
            .collect();
        let refs: Vec<(&str, &Template)> = parsed.iter().map(|(n, t)| (*n, t)).collect();
        find_cycle(&refs)
    }

    #[test]
    fn macros_that_call_others_without_a_cycle_pass() {
        let macros = "{% macro a() %}{{ self::b() }}{% endmacro a %}{% macro b() %}b{% endmacro b %}";
        let form = "{% import \"m.xml\" as m %}{{ m::a() }}{% include \"part.xml\" %}";
        assert_eq!(cycle(&[("m.xml", macros), ("form.xml", form), ("part.xml", "{{ 1 }}")]), None);
    }

    #[test]
    fn a_macro_that_calls_itself_through_another_is_found() {
        let macros = "{% macro a(n) %}{{ self::b(n=n) }}{% endmacro a %}\n{% macro b(n) %}{% if n %}{{ self::a(n=n) }}{% endif %}{% endmacro b %}";
        assert_eq!(
            cycle(&[("m.xml", macros)]),
            Some(Cycle {
                file: "m.xml".into(),
                needle: "macro a".into(),
                message: "macro \"a\" of m.xml calls itself (macro \"a\" of m.xml → macro \"b\" of m.xml → macro \"a\" of m.xml): recursion is not available to templates".into(),
            })
        );
    }

    #[test]
    fn a_template_that_includes_itself_is_found() {
        let found = cycle(&[
            ("a.xml", "{% include \"b.xml\" %}"),
            ("b.xml", "{% for x in [1] %}{% include \"a.xml\" %}{% endfor %}"),
        ]);
        assert_eq!(
            found.map(|c| c.message),
            Some(
                "a.xml includes itself (a.xml → b.xml → a.xml): recursion is not available to templates"
                    .into()
            )
        );
    }
}
