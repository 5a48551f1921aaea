//! The compiled-in Tera templates, parsed at build time (see `src/build.rs`): building a
//! syntax tree from code takes microseconds where Tera's parser takes milliseconds, which a
//! command-line run would pay at every start.
//!
//! The trees are exactly what `tera::Template::new` makes of the same files; a test compares
//! them for every template.

use std::collections::HashMap;

use tera::Template;
#[allow(unused_imports)] // which node types appear depends on the templates
use tera::ast::{
    Block, Expr, ExprVal, FilterSection, Forloop, FunctionCall, If, In, LogicExpr, LogicOperator, MacroCall,
    MacroDefinition, MathExpr, MathOperator, Node, Set, StringConcat, Test, WS,
};

include!(concat!(env!("OUT_DIR"), "/precompiled_templates.rs"));

fn s(text: &str) -> String {
    text.to_owned()
}

fn ws(left: bool, right: bool) -> WS {
    WS { left, right }
}

/// The template around its tree; its macro table holds the tree's macro definitions, as in
/// `tera::Template::new`.
fn finish(name: &str, ast: Vec<Node>, imported_macro_files: Vec<(String, String)>) -> Template {
    let macros = ast
        .iter()
        .filter_map(|node| match node {
            Node::MacroDefinition(_, definition, _) => Some((definition.name.clone(), definition.clone())),
            _ => None,
        })
        .collect();
    Template {
        name: name.to_owned(),
        path: None,
        ast,
        from_extend: false,
        macros,
        imported_macro_files,
        parent: None,
        blocks: HashMap::new(),
        parents: Vec::new(),
        blocks_definitions: HashMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_precompiled_template_equals_what_tera_parses() {
        let files = super::super::embedded_files();
        let mut checked = 0;
        for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".xml")) {
            let parsed = Template::new(path, None, text).expect("template parses");
            let built = template(path).unwrap_or_else(|| panic!("{path} is not precompiled"));
            assert_eq!(built.name, parsed.name);
            assert_eq!(built.ast, parsed.ast, "{path}");
            assert_eq!(built.macros, parsed.macros, "{path}");
            assert_eq!(built.imported_macro_files, parsed.imported_macro_files, "{path}");
            assert_eq!(built.parent, parsed.parent);
            assert_eq!(built.blocks, parsed.blocks);
            checked += 1;
        }
        assert!(checked >= 10, "only {checked} templates checked");
        assert!(template("forms/no-such-form/form.xml").is_none());
    }
}
