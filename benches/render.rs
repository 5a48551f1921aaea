//! Rendering speed: the one-page sample and a 60-object certificate, warm (templates, fonts
//! and the shaping cache loaded once, as in a long-running integration).
//!
//! `cargo bench --bench render`

use anyqtama::Engine;
use anyqtama::domain::Lang;
use anyqtama::validate::ValidateOptions;
use criterion::{Criterion, criterion_group, criterion_main};

/// The same allocator as the binary (`src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A rights certificate of a legal entity with `n` objects, each with two rights and an
/// encumbrance.
fn many_objects(n: usize) -> String {
    let mut yaml = String::from(
        "form: rights-certificate\nbranch: Филиал\nnumber: \"B-1\"\nissued_at: 2024-03-11T09:15:00\n\
         holder:\n  kind: legal_entity\n  name: «Алатау Құрылыс Инвест» ЖШС\n  bin: \"150340004568\"\nobjects:\n",
    );
    for i in 0..n {
        yaml.push_str(&format!(
            "  - kind: building\n    cadastral_number: \"20:311:{:03}:{:03}:1\"\n    purpose: Әкімшілік-кеңсе ғимараты\n\
             \x20   address: {{kk: \"Алматы қ., Абай даңғылы, {i}-үй\", ru: \"г. Алматы, проспект Абая, дом {i}\"}}\n\
             \x20   total_area: {}.{:02}\n    main_area: 900.10\n    floors: 4/1\n    rights:\n\
             \x20     - {{kind: ownership, holder: «Алатау» ЖШС, holder_bin: \"150340004568\", common_form: shared, share: 1/2, basis: Шарт № {i}, registered_at: 2015-05-14T10:00}}\n\
             \x20     - {{kind: ownership, holder: «Жетісу» ЖШС, holder_bin: \"120540007891\", common_form: shared, share: 1/2, basis: Шарт № {i}, registered_at: 2015-05-14T10:00}}\n\
             \x20   encumbrances:\n\
             \x20     - {{kind: mortgage, holder: «Халық Банкі» АҚ, holder_bin: \"060440001230\", basis: Кепіл шарты № {i}, registered_at: 2020-03-02T09:30}}\n",
            10 + i % 900,
            100 + i,
            1000 + i,
            i % 100
        ));
    }
    yaml
}

fn bench(c: &mut Criterion) {
    let engine = Engine::new(None).expect("templates load");
    let one_page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/rights-certificate-individual.yaml"
    ))
    .expect("sample");
    let sixty = many_objects(60);
    // The same case as JSON, the format an integration is likely to send.
    let sixty_json = {
        let value: serde_json::Value = serde_saphyr::from_str(&sixty).expect("YAML");
        serde_json::to_string(&value).expect("JSON")
    };
    let form = engine.form("rights-certificate").expect("form");
    for (name, file, text, langs) in [
        ("one page (kk)", "bench.yaml", &one_page, vec![Lang::Kk]),
        ("individual sample (kk+ru, 2 pages)", "bench.yaml", &one_page, vec![Lang::Kk, Lang::Ru]),
        ("60 objects (kk)", "bench.yaml", &sixty, vec![Lang::Kk]),
        ("60 objects from JSON (kk)", "bench.json", &sixty_json, vec![Lang::Kk]),
    ] {
        let loaded = engine.load(file, text, None, ValidateOptions::default());
        let case = loaded.case.expect("valid case");
        let bytes = engine.render_pdf(form, Some(&case), &langs, &Default::default()).expect("rendered");
        eprintln!("{name}: {} bytes", bytes.len());
        c.bench_function(&format!("stage input+validate {name}"), |b| {
            b.iter(|| engine.load(file, text, None, ValidateOptions::default()))
        });
        c.bench_function(&format!("stage template+layout {name}"), |b| {
            b.iter(|| engine.layout(form, Some(&case), &langs, &Default::default()).expect("layout"))
        });
        let document = engine.layout(form, Some(&case), &langs, &Default::default()).expect("layout");
        let options = anyqtama::pdf::PdfOptions {
            creation_date: chrono::NaiveDate::from_ymd_opt(2024, 3, 11).and_then(|d| d.and_hms_opt(9, 15, 0)),
            ..Default::default()
        };
        c.bench_function(&format!("stage pdf {name}"), |b| {
            b.iter(|| anyqtama::pdf::write(&document, &options).expect("pdf"))
        });
        c.bench_function(&format!("validate+render {name}"), |b| {
            b.iter(|| {
                let loaded = engine.load(file, text, None, ValidateOptions::default());
                let case = loaded.case.expect("valid case");
                engine.render_pdf(form, Some(&case), &langs, &Default::default()).expect("rendered")
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
