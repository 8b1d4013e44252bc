//! Limits that hold: requests in flight, handles, stdin, the CPU budget
//! across sleeps, and a time limit too large for the clock.

use crate::support::{Env, Run};
use std::io::Write;
use std::process::Stdio;

fn greedy_args(args: &[&str]) -> Vec<String> {
    let mut all = vec!["greedy"];
    all.extend_from_slice(args);
    crate::support::plugin_test_args("greedy", &["--grant-all"], &all)
}

fn greedy(env: &Env, args: &[&str]) -> Run {
    let args = greedy_args(args);
    env.run(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Runs the plugin with `input` on its stdin.
fn greedy_with_stdin(env: &Env, args: &[&str], input: Vec<u8>) -> Run {
    let args = greedy_args(args);
    let mut cmd = env.command(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kagi runs");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        // kagi may stop reading early; a broken pipe is fine.
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("kagi runs");
    writer.join().unwrap();
    Run::from(output)
}

/// The greedy plugin's own time limit does not fit the clock; these tests
/// give it a bounded one so that a regression fails instead of hanging.
fn bounded() -> Env {
    Env::new().policy("max-timeout-secs = 30\n")
}

#[test]
fn a_time_limit_too_large_for_the_clock_does_not_crash_the_host() {
    // The manifest asks for 9223372036854775807 seconds, and `plugin test`
    // grants it; adding that to the clock used to panic.
    let run = greedy(&Env::new(), &["hello"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "hello\n");
    let env = Env::new().policy("max-timeout-secs = 9223372036854775807\n");
    let run = greedy(&env, &["hello"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "hello\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn at_most_16_requests_are_in_flight_and_the_rest_wait_their_turn() {
    let env = bounded();
    // Each request is held for 300 ms, so the first 16 are all in flight
    // when the 17th is started.
    let slow = env.mock.fault_url("delay=300");
    let env = env.var("KAGI_BASE_URL", &slow);
    let run = greedy(&env, &["requests", "40"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "40 answered\n");
    assert_eq!(env.mock.requests().len(), 40);
    assert_eq!(env.mock.max_in_flight(), 16);
}

#[test]
fn holding_too_many_handles_stops_the_plugin() {
    let run = greedy(&bounded(), &["hold", "300"]);
    run.fails_with(
        3,
        "plugin error: plugin `greedy` held more than 256 handles (responses, requests, locks) at once; it must drop the ones it is done with",
    );
    let run = greedy(&bounded(), &["hold", "200"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "holding 200\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn spinning_with_zero_length_sleeps_runs_out_of_cpu_budget() {
    // Before, every sleep, however short, restored the whole budget.
    let env = Env::new().policy("max-cpu-seconds = 1\nmax-timeout-secs = 30\n");
    greedy(&env, &["spin"]).fails_with(
        3,
        "plugin error: plugin `greedy` used up its CPU budget of 1 s (each second it sleeps gives one back)",
    );
}

const MIB: usize = 1024 * 1024;

#[test]
fn stdin_beyond_64_mib_is_refused_with_a_clear_error() {
    let run = greedy_with_stdin(&bounded(), &["stdin-all"], vec![b'x'; 64 * MIB]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{} bytes\n", 64 * MIB));
    let run = greedy_with_stdin(&bounded(), &["stdin-all"], vec![b'x'; 64 * MIB + 1]);
    run.fails_with(
        1,
        "configuration error: failed to read stdin: stdin is larger than the 64 MiB a plugin may read; pass a smaller input",
    );
}

#[test]
fn a_line_of_stdin_beyond_1_mib_is_refused_with_a_clear_error() {
    let mut input = vec![b'x'; MIB];
    input.extend_from_slice(b"\nshort\n");
    let run = greedy_with_stdin(&bounded(), &["stdin-line"], input);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{} bytes\n", MIB + 5));
    let run = greedy_with_stdin(&bounded(), &["stdin-line"], vec![b'x'; MIB + 1]);
    run.fails_with(
        1,
        "configuration error: failed to read stdin: a line of stdin is longer than the 1 MiB a plugin may read at once",
    );
}
