//! The compiled-in Fluent catalogs, parsed once, and the formatting of a message from them.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use super::{Arg, Message, MessageLang};

/// The catalogs' sources, Kazakh first: `templates/messages/{kk,ru,en}.ftl`.
pub const CATALOGS: [(MessageLang, &str); 3] = [
    (MessageLang::Kk, include_str!("../../templates/messages/kk.ftl")),
    (MessageLang::Ru, include_str!("../../templates/messages/ru.ftl")),
    (MessageLang::En, include_str!("../../templates/messages/en.ftl")),
];

/// The Fluent source of one language's catalog.
pub fn catalog_source(lang: MessageLang) -> &'static str {
    CATALOGS.iter().find(|(l, _)| *l == lang).map(|(_, source)| *source).unwrap_or_default()
}

/// One bundle per language, in the order of [`MessageLang::ALL`].
static BUNDLES: LazyLock<Vec<(MessageLang, FluentBundle<FluentResource>)>> = LazyLock::new(|| {
    CATALOGS
        .iter()
        .map(|&(lang, source)| {
            let id: LanguageIdentifier = lang.code().parse().expect("kk, ru and en are language tags");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Messages are plain text: no Unicode isolation marks around arguments.
            bundle.set_use_isolating(false);
            // The catalogs are checked by the tests (src/messages/tests.rs): a syntax error
            // leaves out only the entry that has it.
            let resource =
                FluentResource::try_new(source.to_owned()).unwrap_or_else(|(resource, _)| resource);
            let _ = bundle.add_resource(resource);
            (lang, bundle)
        })
        .collect()
});

fn bundle(lang: MessageLang) -> &'static FluentBundle<FluentResource> {
    let bundles = &*BUNDLES;
    &bundles.iter().find(|(l, _)| *l == lang).unwrap_or(&bundles[0]).1
}

/// A message in `lang`; an id the catalog of `lang` does not have is taken from the English
/// catalog, and one that no catalog has is shown as its id (the tests refuse both).
pub(super) fn format(message: &Message, lang: MessageLang) -> String {
    format_id(message.id, &message.args, lang)
        .or_else(|| format_id(message.id, &message.args, MessageLang::En))
        .unwrap_or_else(|| {
            debug_assert!(false, "no message {} in the catalogs", message.id);
            message.id.to_owned()
        })
}

/// The message `id` with `args` in `lang`, or `None` when the catalog has no such message.
pub(super) fn format_id(id: &str, args: &[(&'static str, Arg)], lang: MessageLang) -> Option<String> {
    let bundle = bundle(lang);
    let pattern = bundle.get_message(id)?.value()?;
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        let value: FluentValue<'_> = match value {
            Arg::Text(text) => FluentValue::String(Cow::Borrowed(text)),
            Arg::Number(n) => FluentValue::from(*n),
            Arg::Or(items) => FluentValue::String(Cow::Owned(join_or(items, lang))),
            Arg::And(items) => FluentValue::String(Cow::Owned(join_and(items, lang))),
        };
        fluent_args.set(*name, value);
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned();
    debug_assert!(errors.is_empty(), "message {id} in {lang}: {errors:?}");
    Some(text)
}

/// "a or b or c" in `lang` (`list-or`, applied pair by pair).
fn join_or(items: &[String], lang: MessageLang) -> String {
    let mut iter = items.iter();
    let Some(first) = iter.next() else { return String::new() };
    iter.fold(first.clone(), |acc, item| {
        let args = [("first", Arg::Text(acc.clone())), ("second", Arg::Text(item.clone()))];
        format_id("list-or", &args, lang).unwrap_or(acc)
    })
}

/// "a, b and c" in `lang` (`list-and`, with the items but the last joined with ", ").
fn join_and(items: &[String], lang: MessageLang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let args = [("init", Arg::Text(init.join(", "))), ("last", Arg::Text(last.clone()))];
            format_id("list-and", &args, lang).unwrap_or_else(|| format!("{}, {last}", init.join(", ")))
        }
    }
}
