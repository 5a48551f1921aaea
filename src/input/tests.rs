//! Tests of the input stage.

use std::time::{Duration, Instant};

use super::*;

/// Parses, panicking with the diagnostics on failure.
fn ok(text: &str, format: Option<Format>) -> Node {
    match parse("case.yaml", text, format) {
        Ok(node) => node,
        Err(diags) => panic!("unexpected errors: {diags:?}"),
    }
}

/// Parses, expecting exactly one diagnostic; returns its printed form.
fn one_error(text: &str, format: Option<Format>) -> String {
    match parse("case.yaml", text, format) {
        Ok(node) => panic!("expected an error, got {node:?}"),
        Err(diags) => {
            assert_eq!(diags.len(), 1, "{diags:?}");
            diags[0].to_string()
        }
    }
}

fn at(node: &Node) -> (u32, u32) {
    (node.pos.line, node.pos.column)
}

fn key_at(node: &Node, name: &str) -> (u32, u32) {
    match &node.value {
        NodeValue::Map(entries) => {
            let (key, _) = entries.iter().find(|(k, _)| k.name == name).expect("key present");
            (key.pos.line, key.pos.column)
        }
        _ => panic!("not a mapping"),
    }
}

fn item(node: &Node, i: usize) -> &Node {
    match &node.value {
        NodeValue::List(items) => &items[i],
        _ => panic!("not a list"),
    }
}

fn number(node: &Node) -> &str {
    match &node.value {
        NodeValue::Number(n) => n,
        other => panic!("not a number: {other:?}"),
    }
}

/// Runs `f` in a thread with a 2 MiB stack, the default for spawned threads.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 * 1024 * 1024).spawn(f).expect("spawn").join().expect("no panic")
}

#[test]
fn format_from_path() {
    assert_eq!(Format::from_path("a/case.yaml"), Some(Format::Yaml));
    assert_eq!(Format::from_path("case.YML"), Some(Format::Yaml));
    assert_eq!(Format::from_path("case.json"), Some(Format::Json));
    assert_eq!(Format::from_path("case.txt"), None);
    assert_eq!(Format::from_path("-"), None);
    assert_eq!(Format::from_path("yaml"), None);
}

#[test]
fn yaml_positions_of_nested_keys_and_values() {
    let text = "case:\n  holder:\n    name: \"Иван Иванов\"\n    area: 72.40\n  objects:\n    - id: 1\n      rights: [a, {share: 0.5}]\n";
    let root = ok(text, None);
    assert_eq!(root.pos.file.as_ref(), "case.yaml");
    assert_eq!(at(&root), (1, 1));
    assert_eq!(key_at(&root, "case"), (1, 1));
    let case = root.get("case").unwrap();
    assert_eq!(key_at(case, "holder"), (2, 3));
    let holder = case.get("holder").unwrap();
    assert_eq!(at(holder), (3, 5));
    assert_eq!(key_at(holder, "name"), (3, 5));
    assert_eq!(at(holder.get("name").unwrap()), (3, 11));
    assert_eq!(holder.get("name").unwrap().as_str(), Some("Иван Иванов"));
    // Columns count characters: the Cyrillic name before does not shift the next line.
    assert_eq!(at(holder.get("area").unwrap()), (4, 11));
    let objects = case.get("objects").unwrap();
    assert_eq!(at(objects), (6, 5));
    let first = item(objects, 0);
    assert_eq!(at(first), (6, 7));
    assert_eq!(key_at(first, "rights"), (7, 7));
    let rights = first.get("rights").unwrap();
    assert_eq!(at(rights), (7, 15));
    assert_eq!(at(item(rights, 0)), (7, 16));
    let share_map = item(rights, 1);
    assert_eq!(at(share_map), (7, 19));
    assert_eq!(key_at(share_map, "share"), (7, 20));
    assert_eq!(at(share_map.get("share").unwrap()), (7, 27));
    // Characters, not bytes: a value after Cyrillic text on the same line.
    let root = ok("{имя: Иван, n: 1}", Some(Format::Yaml));
    assert_eq!(key_at(&root, "n"), (1, 13));
    assert_eq!(at(root.get("n").unwrap()), (1, 16));
}

#[test]
fn json_positions_of_nested_keys_and_values() {
    let text = "{\n  \"holder\": {\"name\": \"Асқар\", \"area\": 72.40},\n  \"objects\": [\n    {\"id\": -3},\n    [[1], \"x\"]\n  ]\n}\n";
    let root = ok(text, None);
    assert_eq!(at(&root), (1, 1));
    assert_eq!(key_at(&root, "holder"), (2, 3));
    let holder = root.get("holder").unwrap();
    assert_eq!(at(holder), (2, 13));
    assert_eq!(key_at(holder, "name"), (2, 14));
    assert_eq!(at(holder.get("name").unwrap()), (2, 22));
    assert_eq!(key_at(holder, "area"), (2, 31));
    assert_eq!(at(holder.get("area").unwrap()), (2, 39));
    let objects = root.get("objects").unwrap();
    assert_eq!(key_at(&root, "objects"), (3, 3));
    assert_eq!(at(objects), (3, 14));
    assert_eq!(at(item(objects, 0)), (4, 5));
    assert_eq!(at(item(objects, 0).get("id").unwrap()), (4, 12));
    let nested = item(objects, 1);
    assert_eq!(at(nested), (5, 5));
    assert_eq!(at(item(nested, 0)), (5, 6));
    assert_eq!(at(item(item(nested, 0), 0)), (5, 7));
    assert_eq!(at(item(nested, 1)), (5, 11));
}

#[test]
fn json_values_are_exact() {
    let text = r#"{"s": "caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \t\n", "n": [72.40, -3, 1E+2, 0, -0.0, 1e300, 12345678901234567890123],
"t": true, "f": false, "z": null, "<<": {"x": 1}, "e": {}, "l": [], "q": "72.40"}"#;
    let root = ok(text, None);
    assert_eq!(root.get("s").unwrap().as_str(), Some("café 😀 \"q\" \\ / \t\n"));
    let numbers: Vec<&str> = match &root.get("n").unwrap().value {
        NodeValue::List(items) => items.iter().map(number).collect(),
        _ => panic!(),
    };
    assert_eq!(numbers, ["72.40", "-3", "1E+2", "0", "-0.0", "1e300", "12345678901234567890123"]);
    assert_eq!(root.get("t").unwrap().value, NodeValue::Bool(true));
    assert_eq!(root.get("f").unwrap().value, NodeValue::Bool(false));
    assert_eq!(root.get("z").unwrap().value, NodeValue::Null);
    // `<<` is an ordinary key in JSON.
    assert_eq!(number(root.get("<<").unwrap().get("x").unwrap()), "1");
    assert_eq!(root.get("e").unwrap().value, NodeValue::Map(vec![]));
    assert_eq!(root.get("l").unwrap().value, NodeValue::List(vec![]));
    assert_eq!(root.get("q").unwrap().as_str(), Some("72.40"));
}

#[test]
fn json_forced_and_detected() {
    // Detected as JSON by its first character, after white space.
    assert!(one_error("  \n [1, 2", None).contains("failed to parse JSON"));
    // A top-level JSON scalar needs the format given.
    assert_eq!(number(&ok("72.40", Some(Format::Json))), "72.40");
    assert!(one_error("a: 1", Some(Format::Json)).contains("failed to parse JSON (expected value)"));
    // Under-indented JSON content and tabs are fine.
    let root = ok("{\n\"a\":\t1,\n\t\"b\" : [\n1\n]\n}", None);
    assert_eq!(key_at(&root, "b"), (3, 2));
    // A byte-order mark is ignored.
    assert_eq!(number(ok("\u{feff}{\"a\": 1}", None).get("a").unwrap()), "1");
}

#[test]
fn yaml_numbers_are_exact() {
    let text = "a: 72.40\nb: -3\nc: 1e3\nd: 123456789012345678901234567890\ne: +5\nf: .5\ng: 0\nh: -0.0\ni: 1.0E-10\n";
    let root = ok(text, None);
    for (key, expected) in [
        ("a", "72.40"),
        ("b", "-3"),
        ("c", "1e3"),
        ("d", "123456789012345678901234567890"),
        ("e", "+5"),
        ("f", ".5"),
        ("g", "0"),
        ("h", "-0.0"),
        ("i", "1.0E-10"),
    ] {
        assert_eq!(number(root.get(key).unwrap()), expected, "{key}");
    }
}

#[test]
fn yaml_quoted_and_plain_scalars() {
    let text = "q1: \"72.40\"\nq2: '1'\nq3: \"true\"\nq4: 'null'\nq5: \"\"\nt: true\nt2: True\nf: FALSE\n\
                n1: null\nn2: ~\nn3:\nyes: yes\nno: no\non: off\nhex: 0x1F\noct: 0o17\ninf: .inf\nnan: .nan\n\
                lead: 007\nunder: 1_000\nplain: Иванов Иван\nstr: !!str 12.0\nint: !!int \"12\"\n";
    let root = ok(text, None);
    let s = |k: &str| root.get(k).unwrap().value.clone();
    let string = |v: &str| NodeValue::String(v.to_owned());
    assert_eq!(s("q1"), string("72.40"));
    assert_eq!(s("q2"), string("1"));
    assert_eq!(s("q3"), string("true"));
    assert_eq!(s("q4"), string("null"));
    assert_eq!(s("q5"), string(""));
    assert_eq!(s("t"), NodeValue::Bool(true));
    assert_eq!(s("t2"), NodeValue::Bool(true));
    assert_eq!(s("f"), NodeValue::Bool(false));
    assert_eq!(s("n1"), NodeValue::Null);
    assert_eq!(s("n2"), NodeValue::Null);
    assert_eq!(s("n3"), NodeValue::Null);
    assert_eq!(s("yes"), string("yes"));
    assert_eq!(s("no"), string("no"));
    assert_eq!(s("on"), string("off"));
    assert_eq!(s("hex"), string("0x1F"));
    assert_eq!(s("oct"), string("0o17"));
    assert_eq!(s("inf"), string(".inf"));
    assert_eq!(s("nan"), string(".nan"));
    assert_eq!(s("lead"), string("007"));
    assert_eq!(s("under"), string("1_000"));
    assert_eq!(s("plain"), string("Иванов Иван"));
    assert_eq!(s("str"), string("12.0"));
    assert_eq!(s("int"), NodeValue::Number("12".to_owned()));
}

#[test]
fn yaml_scalar_keys_become_text_and_complex_keys_are_errors() {
    let root = ok("1: one\n1.50: x\ntrue: t\nnull: n\n~: tilde\n\"q\": 2\n", None);
    let names: Vec<&str> = match &root.value {
        NodeValue::Map(entries) => entries.iter().map(|(k, _)| k.name.as_str()).collect(),
        _ => panic!(),
    };
    assert_eq!(names, ["1", "1.50", "true", "null", "~", "q"]);

    let diags = parse("case.yaml", "a: 1\n[x]: b\nc:\n  ? {k: v}\n  : d\n", None).unwrap_err();
    let printed: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        printed,
        [
            "error: case.yaml:2:1: mapping keys must be strings",
            "error: case.yaml:4:5: c: mapping keys must be strings"
        ]
    );
}

#[test]
fn yaml_anchors_aliases_and_merges() {
    let text = "base: &b {area: 72.40, kind: flat}\nn: &n 5.50\nm: *n\nobj:\n  <<: *b\n  kind: house\n";
    let root = ok(text, None);
    let m = root.get("m").unwrap();
    assert_eq!(number(m), "5.50");
    assert_eq!(at(m), (3, 4));
    let obj = root.get("obj").unwrap();
    assert_eq!(obj.get("kind").unwrap().as_str(), Some("house"));
    assert_eq!(number(obj.get("area").unwrap()), "72.40");
}

#[test]
fn duplicate_keys() {
    let text = "holder: a\nobjects:\n  - id: 1\n    id: 2\nholder: b\n";
    let diags = parse("case.yaml", text, None).unwrap_err();
    let printed: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        printed,
        [
            "error: case.yaml:4:5: objects[0]: duplicate key \"id\"",
            "error: case.yaml:5:1: duplicate key \"holder\""
        ]
    );
    assert_eq!(
        one_error("{\"holder\": 1,\n \"holder\": 2}", None),
        "error: case.yaml:2:2: duplicate key \"holder\""
    );
    // Keys that are equal as text, whatever their spelling.
    assert_eq!(one_error("\"1\": a\n1: b\n", None), "error: case.yaml:2:1: duplicate key \"1\"");
    assert_eq!(one_error("\"a\\\"b\": 1\na\"b: 2\n", None), "error: case.yaml:2:1: duplicate key \"a\\\"b\"");
    // Issue 9: a control character is shown as its code point, never as a Rust escape.
    assert_eq!(
        one_error("\"a\\x07\": 1\n\"a\\x07\": 2\n", None),
        "error: case.yaml:2:1: duplicate key \"a<U+0007>\""
    );
}

#[test]
fn issue_9_parser_messages_show_code_points() {
    assert_eq!(
        one_error("branch: a\u{7}b\n", None),
        "error: case.yaml:1:9: failed to parse YAML (unexpected character: `U+0007')"
    );
}

#[test]
fn multiple_documents() {
    assert_eq!(
        one_error("a: 1\n---\nb: 2\n", None),
        "error: case.yaml:3:1: expected one document, found more"
    );
    assert_eq!(
        one_error("a: 1\n...\n---\nb: 2\n", None),
        "error: case.yaml:4:1: expected one document, found more"
    );
    // One explicit document is fine.
    assert_eq!(number(ok("---\na: 1\n...\n", None).get("a").unwrap()), "1");
}

#[test]
fn empty_input() {
    for text in ["", "   \n\t\n", "# only a comment\n", "---\n", "\u{feff}", "--- # c\n...\n"] {
        assert_eq!(one_error(text, None), "error: the file is empty", "{text:?}");
    }
    assert_eq!(one_error("", Some(Format::Json)), "error: the file is empty");
    // An explicit null is a value.
    assert_eq!(ok("~", None).value, NodeValue::Null);
}

#[test]
fn alias_bomb_fails_fast() {
    let mut text =
        String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        text.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    let started = Instant::now();
    let message = one_error(&text, None);
    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
    assert!(message.ends_with(": aliases expand to too many values (more than 20000)"), "{message}");

    // Too many aliases, each cheap.
    let mut text = String::from("x: &x 1\nl:\n");
    for _ in 0..1001 {
        text.push_str("  - *x\n");
    }
    assert!(one_error(&text, None).ends_with(": too many aliases (more than 1000)"));
}

#[test]
fn legit_large_certificate_passes() {
    let mut text = String::from("holder: &h\n  name: Иванов Иван\n  iin: \"900101300123\"\nobjects:\n");
    for i in 0..60 {
        text.push_str(&format!("  - id: {i}\n    holder: *h\n    area: 72.40\n"));
        for j in 0..47 {
            text.push_str(&format!("    field_{j}: \"value {i} {j}\"\n"));
        }
    }
    assert!(text.lines().count() > 2900);
    let started = Instant::now();
    let root = ok(&text, None);
    assert!(started.elapsed() < Duration::from_secs(2));
    let objects = root.get("objects").unwrap();
    assert_eq!(item(objects, 59).get("holder").unwrap().get("name").unwrap().as_str(), Some("Иванов Иван"));
}

#[test]
fn deep_nesting_yaml_flow() {
    let message = on_small_stack(|| one_error(&"[".repeat(100_000), Some(Format::Yaml)));
    assert_eq!(message, "error: case.yaml:1:65: nesting is deeper than 64 levels");
    let message = on_small_stack(|| one_error(&"{a: ".repeat(100_000), Some(Format::Yaml)));
    assert_eq!(message, "error: case.yaml:1:257: nesting is deeper than 64 levels");
}

#[test]
fn deep_nesting_yaml_block() {
    let message = on_small_stack(|| one_error(&format!("{}x\n", "- ".repeat(100_000)), None));
    assert_eq!(message, "error: case.yaml:1:129: nesting is deeper than 64 levels");
    let mut text = String::new();
    for i in 0..100 {
        text.push_str(&format!("{}k:\n", " ".repeat(i)));
    }
    let message = on_small_stack(move || one_error(&text, None));
    assert_eq!(message, "error: case.yaml:65:65: nesting is deeper than 64 levels");
}

#[test]
fn deep_nesting_json() {
    let message = on_small_stack(|| one_error(&"[".repeat(100_000), None));
    assert_eq!(message, "error: case.yaml:1:65: nesting is deeper than 64 levels");
    let message =
        on_small_stack(|| one_error(&format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)), None));
    assert_eq!(message, "error: case.yaml:1:65: nesting is deeper than 64 levels");
    let message = on_small_stack(|| one_error(&"{\"a\":".repeat(100_000), None));
    assert_eq!(message, "error: case.yaml:1:321: nesting is deeper than 64 levels");
}

#[test]
fn nesting_of_64_levels_is_fine_on_a_small_stack() {
    let json = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let yaml_flow = format!("{}1{}", "{a: ".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
    let yaml_block = format!("{}x\n", "- ".repeat(MAX_DEPTH));
    on_small_stack(move || {
        for (text, format) in [(json, None), (yaml_flow, Some(Format::Yaml)), (yaml_block, None)] {
            let mut node = ok(&text, format);
            let mut depth = 0;
            loop {
                node = match node.value {
                    NodeValue::List(mut items) => items.remove(0),
                    NodeValue::Map(mut entries) => entries.remove(0).1,
                    _ => break,
                };
                depth += 1;
            }
            assert_eq!(depth, MAX_DEPTH, "{text}");
        }
    });
    let yaml_65 = format!("{}x\n", "- ".repeat(MAX_DEPTH + 1));
    assert!(one_error(&yaml_65, None).ends_with("nesting is deeper than 64 levels"));
}

#[test]
fn a_long_string_is_fine() {
    let long = "я".repeat(1_000_000);
    let root = ok(&format!("{{\"{}\": \"{long}\", \"l\": [\"{long}\"]}}", "k".repeat(5000)), None);
    assert_eq!(root.get(&"k".repeat(5000)).unwrap().as_str().map(str::len), Some(2_000_000));
    let root = ok(&format!("text: \"{long}\"\nplain: {long}\n"), None);
    assert_eq!(root.get("plain").unwrap().as_str().map(|s| s.chars().count()), Some(1_000_000));
}

#[test]
fn too_large_text_is_refused_before_parsing() {
    let text = " ".repeat(MAX_INPUT_BYTES + 1);
    assert_eq!(one_error(&text, None), "error: the file is larger than 16 MiB");
}

/// A file in a directory of this test process; each test uses names of its own, since the
/// tests of one process run at once.
fn temp_file(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("anyqtama-input-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path.to_str().expect("utf-8 path").to_owned()
}

#[test]
fn read_source_limits_size() {
    let path = temp_file("big.yaml", &vec![b' '; MAX_INPUT_BYTES + 1]);
    let err = read_source(&path).unwrap_err();
    assert_eq!(err.to_string(), format!("error: {path}: the file is larger than 16 MiB"));
    let path = temp_file("max.yaml", &vec![b' '; MAX_INPUT_BYTES]);
    assert_eq!(read_source(&path).map(|s| s.len()), Ok(MAX_INPUT_BYTES));
}

#[test]
fn read_source_reads_utf8() {
    let path = temp_file("ok.yaml", "name: Әлия\n".as_bytes());
    assert_eq!(read_source(&path), Ok("name: Әлия\n".to_owned()));
}

#[test]
fn read_source_refuses_invalid_utf8() {
    let path = temp_file("latin1.yaml", b"a: 1\nname: \xc9l\xefa\n");
    let err = read_source(&path).unwrap_err();
    assert_eq!(err.to_string(), format!("error: {path}:2:7: the file is not valid UTF-8"));
}

/// What [`read`] says about the bytes of `name`, and whether it is invalid input.
fn read_error(name: &str, bytes: &[u8]) -> (String, bool) {
    let path = temp_file(name, bytes);
    let err = read(&path).unwrap_err();
    let invalid = matches!(err, ReadError::Invalid(_));
    (err.to_string().replace(&path, "FILE"), invalid)
}

#[test]
fn issue_9_encodings_are_named_in_a_hint() {
    let utf16 = |text: &str, bom: bool| {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let not_utf8 = "error: FILE:1:1: the file is not valid UTF-8\n  hint: the file looks like";
    let nul = "the file is not UTF-8 text (it contains NUL bytes)\n  hint: the file looks like";
    assert_eq!(
        read_error("bom16.yaml", &utf16("form: request\n", true)),
        (format!("{not_utf8} UTF-16LE; save it as UTF-8"), true)
    );
    let mut be = vec![0xFE, 0xFF];
    be.extend("form: request\n".encode_utf16().flat_map(u16::to_be_bytes));
    assert_eq!(read_error("be16.yaml", &be), (format!("{not_utf8} UTF-16BE; save it as UTF-8"), true));
    assert_eq!(
        read_error("plain16.yaml", &utf16("form: request\n", false)),
        (format!("error: FILE:1:2: {nul} UTF-16LE; save it as UTF-8"), true)
    );
    let utf32: Vec<u8> = [0xFEFF_u32, 'a' as u32, ':' as u32].iter().flat_map(|c| c.to_le_bytes()).collect();
    assert_eq!(
        read_error("bom32.yaml", &utf32),
        (format!("{not_utf8} UTF-32 (little-endian); save it as UTF-8"), true)
    );
    let utf32: Vec<u8> = "ab: c\n".chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
    assert_eq!(
        read_error("plain32.yaml", &utf32),
        (format!("error: FILE:1:1: {nul} UTF-32 (big-endian); save it as UTF-8"), true)
    );
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("form: request\nname: Иванов Иван\n");
    assert_eq!(
        read_error("cp1251.yaml", &cp1251),
        (
            "error: FILE:2:7: the file is not valid UTF-8\n  hint: the file looks like Windows-1251 (Cyrillic); save it as UTF-8"
                .to_owned(),
            true
        )
    );
    // Latin-1 is valid Windows-1251 too, but its words come out mixed: no hint.
    assert_eq!(
        read_error("latin1-mixed.yaml", b"a: 1\nname: \xc9l\xefa M\xfcller\n"),
        ("error: FILE:2:7: the file is not valid UTF-8".to_owned(), true)
    );
    let (message, invalid) = read_error("big-invalid.yaml", &vec![b' '; MAX_INPUT_BYTES + 1]);
    assert_eq!((message.as_str(), invalid), ("error: FILE: the file is larger than 16 MiB", true));
    assert!(matches!(read("/nonexistent/anyqtama/case.yaml"), Err(ReadError::Unreadable(_))));
}

#[test]
fn read_source_reports_missing_files() {
    let err = read_source("/nonexistent/anyqtama/case.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "error: failed to read /nonexistent/anyqtama/case.yaml (no such file or directory)"
    );
    let dir = std::env::temp_dir();
    let dir = dir.to_str().unwrap();
    let err = read_source(dir).unwrap_err();
    assert_eq!(err.to_string(), format!("error: failed to read {dir} (it is a directory)"));
}

#[test]
fn json_syntax_errors() {
    assert_eq!(
        one_error("{\"a\": 1\n \"b\": 2}", None),
        "error: case.yaml:2:2: failed to parse JSON (expected `,` or `}`)"
    );
    assert_eq!(one_error("[1, 2,]", None), "error: case.yaml:1:7: failed to parse JSON (trailing comma)");
    assert_eq!(
        one_error("{\"a\": 1", None),
        "error: case.yaml:1:7: failed to parse JSON (EOF while parsing an object)"
    );
    assert_eq!(
        one_error("{\"имя\": x}", None),
        "error: case.yaml:1:9: failed to parse JSON (expected value)"
    );
    // serde_json reads numbers as f64: beyond its range is an error.
    assert_eq!(
        one_error("[1e400]", None),
        "error: case.yaml:1:6: failed to parse JSON (number out of range)"
    );
    assert_eq!(one_error("{} {}", None), "error: case.yaml:1:4: failed to parse JSON (trailing characters)");
    assert_eq!(
        one_error("[\"a\tb\"]", None),
        "error: case.yaml:1:4: failed to parse JSON (control character (\\u0000-\\u001F) found while parsing a string)"
    );
}

#[test]
fn yaml_syntax_errors() {
    assert_eq!(
        one_error("a: 1\n  b: 2\n", None),
        "error: case.yaml:2:4: failed to parse YAML (mapping values are not allowed in this context)"
    );
    assert_eq!(
        one_error("a: \"abc\n", None),
        "error: case.yaml:2:1: failed to parse YAML (invalid indentation in multiline quoted scalar)"
    );
    assert_eq!(
        one_error("a: *nope\n", None),
        "error: case.yaml:1:4: failed to parse YAML (reference to unknown value)"
    );
    assert_eq!(
        one_error("a: !custom x\n", None),
        "error: case.yaml:1:12: failed to parse YAML (unsupported tag `!custom`)"
    );
}

#[test]
fn messages_are_lower_case_without_final_period() {
    for text in ["a: 1\n  b: 2\n", "{\"a\" 1}", "a: [1, 2\nb: 3\n", "- a\nb: c\n", "a: 'x\n"] {
        for diag in parse("case.yaml", text, None).unwrap_err() {
            assert!(!diag.message.ends_with('.'), "{}", diag.message);
            assert!(diag.message.starts_with(|c: char| c.is_lowercase()), "{}", diag.message);
            assert!(diag.path.is_root());
            assert!(diag.pos.is_some());
        }
    }
}

#[test]
fn crlf_line_ends() {
    let root = ok("a: 1\r\nb:\r\n  c: 72.40\r\n", None);
    let c = root.get("b").unwrap().get("c").unwrap();
    assert_eq!(number(c), "72.40");
    assert_eq!(at(c), (3, 6));
}

#[test]
fn a_long_string_in_nested_blocks_is_fine() {
    let long = "x".repeat(1_000_000);
    let root = ok(&format!("a:\n  - b: {long}\n    c: \"{long}\"\n  - [{long}, 1.50]\n"), None);
    let list = root.get("a").unwrap();
    assert_eq!(item(list, 0).get("c").unwrap().as_str().map(str::len), Some(1_000_000));
    assert_eq!(number(item(item(list, 1), 1)), "1.50");
}
