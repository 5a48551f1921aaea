//! Load generator for the HTTP service: starts the optimized binary's `anyqtama serve` on a
//! free loopback port, sends one-page renders (the individual sample, Kazakh) from N
//! concurrent clients over real HTTP (ureq, keep-alive), and prints renders per second and
//! latency percentiles. Bounded in count and in time; talks to 127.0.0.1 only.
//!
//! `cargo bench --bench service_load -- --clients 8 --requests 4000 --seconds 60`
//!
//! `--bin PATH` loads another build's binary instead of this one (an A/B on a machine whose
//! speed drifts: alternate the two in one session).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ureq::Agent;

struct Settings {
    clients: usize,
    requests: usize,
    seconds: u64,
    bin: String,
}

fn settings() -> Settings {
    let mut s =
        Settings { clients: 8, requests: 4000, seconds: 60, bin: env!("CARGO_BIN_EXE_anyqtama").to_owned() };
    let args: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < args.len() {
        let value = args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        if let ("--bin", Some(path)) = (args[i].as_str(), args.get(i + 1)) {
            s.bin.clone_from(path);
            i += 2;
            continue;
        }
        match (args[i].as_str(), value) {
            ("--clients", Some(v)) => s.clients = (v as usize).clamp(1, 256),
            ("--requests", Some(v)) => s.requests = (v as usize).clamp(1, 1_000_000),
            ("--seconds", Some(v)) => s.seconds = v.clamp(1, 3600),
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    s
}

fn main() {
    let settings = settings();
    let case =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/rights-certificate-individual.yaml"))
            .expect("the sample");
    let mut server = Command::new(&settings.bin)
        .args(["serve", "--addr", "127.0.0.1:0", "--queue", "1024"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("stdout")).read_line(&mut line).expect("the address");
    let base = line.trim().strip_prefix("listening on ").expect("listening on ADDR").to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "loopback only: {base}");
    let url = format!("{base}/v1/forms/rights-certificate/render?lang=kk");

    let agent: Agent = Agent::config_builder().http_status_as_error(false).build().into();
    let render = |agent: &Agent| -> (u16, Duration) {
        let started = Instant::now();
        let mut response =
            agent.post(&url).header("content-type", "application/yaml").send(&case[..]).expect("an answer");
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_vec().expect("the body");
        if status == 200 {
            assert!(body.starts_with(b"%PDF-"), "a PDF");
        }
        (status, started.elapsed())
    };
    // Warm-up: fonts, templates and the shaping cache.
    for _ in 0..50 {
        assert_eq!(render(&agent).0, 200);
    }

    let deadline = Instant::now() + Duration::from_secs(settings.seconds);
    let per_client = settings.requests.div_ceil(settings.clients);
    let started = Instant::now();
    let results: Vec<(u16, Duration)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..settings.clients)
            .map(|_| {
                let render = &render;
                scope.spawn(move || {
                    let agent: Agent = Agent::config_builder().http_status_as_error(false).build().into();
                    let mut out = Vec::with_capacity(per_client);
                    while out.len() < per_client && Instant::now() < deadline {
                        out.push(render(&agent));
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a client")).collect()
    });
    let elapsed = started.elapsed();
    let _ = Command::new("kill").args(["-TERM", &server.id().to_string()]).status();
    let _ = server.wait();

    let ok: Vec<Duration> = results.iter().filter(|(s, _)| *s == 200).map(|(_, d)| *d).collect();
    let mut sorted = ok.clone();
    sorted.sort();
    let pct = |p: f64| -> f64 {
        if sorted.is_empty() {
            return f64::NAN;
        }
        let i = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[i.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
    };
    let other = results.len() - ok.len();
    println!(
        "service_load: {} clients, {} renders in {:.2} s: {:.0} renders/s; latency ms p50 {:.1}, p90 {:.1}, p99 {:.1}, max {:.1}; {} not 200",
        settings.clients,
        ok.len(),
        elapsed.as_secs_f64(),
        ok.len() as f64 / elapsed.as_secs_f64(),
        pct(50.0),
        pct(90.0),
        pct(99.0),
        pct(100.0),
        other
    );
}
