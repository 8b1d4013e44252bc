//! A test plugin: it reports what the sandbox lets it see, and misbehaves on
//! request so that the tests can prove the host contains it.

use kagi_plugin_sdk::http::{Method, Request, Service};
use kagi_plugin_sdk::{Credential, Error, Invocation, Plugin, export_plugin, out};

struct Probe;

impl Plugin for Probe {
    fn run(inv: Invocation) -> Result<(), Error> {
        let arg = inv.value("arg").unwrap_or("").to_string();
        match inv.value("action").unwrap_or("") {
            "env" => {
                let env: Vec<String> = std::env::vars().map(|(k, _)| k).collect();
                let args: Vec<String> = std::env::args().collect();
                let cwd = std::env::current_dir()
                    .map(|p| p.display().to_string())
                    .ok();
                let report = serde_json::json!({ "env": env, "args": args, "cwd": cwd });
                out::println(&report.to_string());
            }
            "wasi-print" => {
                println!("via wasi stdout");
                eprintln!("via wasi stderr");
            }
            "loop" => {
                let mut x: u64 = 0;
                loop {
                    x = std::hint::black_box(x.wrapping_add(1));
                }
            }
            "alloc" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1u8; 1 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            "recurse" => {
                fn deeper(n: u64) -> u64 {
                    if n == u64::MAX {
                        return 0;
                    }
                    std::hint::black_box(deeper(std::hint::black_box(n + 1)) + 1)
                }
                out::println(&deeper(0).to_string());
            }
            "flood" => {
                let block = "x".repeat(1 << 20);
                loop {
                    out::print(&block);
                }
            }
            "panic" => panic!("the probe panicked on purpose"),
            "sleep" => out::sleep(std::time::Duration::from_secs(3600)),
            "work-and-rest" => {
                // Five stretches of work of ARG ms of wall clock each (so at
                // most ARG ms of CPU), with a 1 s rest between them, which
                // gives back up to a second of CPU budget.
                let stretch = std::time::Duration::from_millis(arg.parse().unwrap_or(1));
                let mut x: u64 = 0;
                for round in 0..5 {
                    let started = std::time::Instant::now();
                    while started.elapsed() < stretch {
                        for _ in 0..10_000 {
                            x = std::hint::black_box(x.wrapping_add(1));
                        }
                    }
                    out::println(&format!("round {round} done"));
                    if round < 4 {
                        out::sleep(std::time::Duration::from_secs(1));
                    }
                }
            }
            "exit" => std::process::exit(7),
            "session" => {
                // The manifest declares only `api`.
                Request::get(Service::Kagi, "/html/search")
                    .credential(Credential::Session)
                    .send()?;
            }
            "api" => {
                let mut response = Request::get(Service::Kagi, &arg)
                    .credential(Credential::Api)
                    .send()?;
                let body = response.text()?;
                let headers: Vec<String> =
                    response.headers().iter().map(|(k, _)| k.clone()).collect();
                out::println(&serde_json::json!({"status": response.status(), "url": response.url(), "headers": headers, "body": body}).to_string());
            }
            "other-host" => {
                Request::url(Method::Get, &arg).send()?;
            }
            "redirect" => {
                let mut response = Request::get(Service::Kagi, &arg)
                    .credential(Credential::Api)
                    .send()?;
                out::println(&format!("{} {}", response.status(), response.text()?));
            }
            "internal" => return Err(Error::internal("something impossible happened")),
            other => return Err(Error::usage(format!("unknown action {other}"))),
        }
        Ok(())
    }
}

export_plugin!(Probe, "kagi-plugin.toml");
