//! The sandbox, proven with test plugins that probe it and misbehave.

use crate::support::{Env, assert_contains, test_plugin};

fn probe(env: &Env, action: &[&str]) -> crate::support::Run {
    let mut args = vec!["probe"];
    args.extend_from_slice(action);
    env.run_plugin_test("probe", &["--grant-all"], &args)
}

/// Runs the probe with secrets in the environment that it must not see.
fn secret_env() -> Env {
    Env::new()
        .var("KAGI_SESSION_TOKEN", "sess-SECRET-0123456789")
        .var("KAGI_API_TOKEN", "api-SECRET-0123456789")
        .var("SOME_OTHER_VAR", "visible-to-host-only")
}

#[test]
fn a_plugin_sees_no_environment_arguments_or_directories() {
    let env = secret_env();
    let report = probe(&env, &["env"]).json();
    assert_eq!(report["env"], serde_json::json!([]), "{report}");
    assert_eq!(report["args"], serde_json::json!([]), "{report}");
    assert!(!report.to_string().contains("SECRET"));
}

#[test]
fn wasi_stdio_reaches_the_terminal() {
    let run = probe(&Env::new(), &["wasi-print"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "via wasi stdout\n");
    assert_eq!(run.stderr, "via wasi stderr\n");
}

fn refused(plugin: &str, command: &str) -> crate::support::Run {
    let path = test_plugin(plugin);
    Env::new().run(&["plugin", "test", path.to_str().unwrap(), "--", command])
}

#[test]
fn a_plugin_importing_the_filesystem_is_refused_at_load() {
    let run = refused("fs-reader", "read-file");
    run.fails_starting(
        4,
        "plugin denied: plugin `fs-reader` was refused at load: it imports `wasi:filesystem/",
    );
    assert_contains(&run.stderr, "(filesystem access)");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn a_plugin_importing_sockets_is_refused_at_load() {
    let run = refused("socket-opener", "open-socket");
    run.fails_starting(
        4,
        "plugin denied: plugin `socket-opener` was refused at load: it imports ",
    );
    assert_contains(&run.stderr, "`wasi:sockets/");
    assert_contains(&run.stderr, "(network sockets)");
}

/// The probe with a policy that lowers its CPU budget to 1 s.
fn small_cpu_budget() -> Env {
    let env = Env::new();
    env.policy("max-cpu-seconds = 1\n")
}

#[test]
fn an_endless_loop_runs_out_of_cpu_budget() {
    let run = probe(&small_cpu_budget(), &["loop"]);
    run.fails_with(
        3,
        "plugin error: plugin `probe` used up its CPU budget of 1 s (each second it sleeps gives one back)",
    );
}

#[test]
fn the_cpu_budget_starts_afresh_after_each_rest() {
    // Five stretches of work of 0.9 s of wall clock each, so at most 0.9 s
    // of CPU, with a 1 s sleep between them: each within the 1 s budget,
    // together past it (even on a machine busy enough to give the probe a
    // quarter of a core).
    let env = small_cpu_budget().var("KAGI_LOG", "debug");
    let run = probe(&env, &["work-and-rest", "900"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "round 0 done\nround 1 done\nround 2 done\nround 3 done\nround 4 done\n"
    );
    // The premise: together they did use more than the budget (a machine
    // too busy to give the probe a second of CPU in 4.5 s proves nothing).
    let used: f64 = run
        .stderr
        .lines()
        .find_map(|l| {
            l.split("plugin probe: used ")
                .nth(1)?
                .strip_suffix(" ms of CPU")
        })
        .unwrap_or_else(|| panic!("no CPU figure in the debug log:\n{}", run.stderr))
        .parse()
        .unwrap();
    assert!(used > 1000.0, "the probe used only {used} ms of CPU");
}

#[test]
fn unbounded_allocation_hits_the_memory_limit() {
    let run = probe(&Env::new(), &["alloc"]);
    run.fails_with(
        3,
        "plugin error: plugin `probe` exceeded its memory limit of 64 MiB",
    );
}

#[test]
fn unbounded_recursion_overflows_the_stack() {
    let run = probe(&Env::new(), &["recurse"]);
    run.fails_with(
        3,
        "plugin error: plugin `probe` overflowed its stack (runaway recursion)",
    );
}

#[test]
fn a_panic_is_reported_with_the_tail_of_stderr() {
    let run = probe(&Env::new(), &["panic"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_contains(&run.stderr, "plugin error: plugin `probe` panicked");
    assert!(
        run.stderr.contains("  | ") && run.stderr.contains("the probe panicked on purpose"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_internal_error_and_a_nonzero_exit_are_plugin_failures() {
    let run = probe(&Env::new(), &["internal"]);
    run.fails_with(
        3,
        "plugin error: plugin `probe` reported an internal error: something impossible happened",
    );
    let run = probe(&Env::new(), &["exit"]);
    run.fails_with(
        3,
        "plugin error: plugin `probe` exited with a failure status",
    );
}

#[test]
fn endless_output_hits_the_output_limit() {
    let run = probe(&Env::new(), &["flood"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim_end(),
        "plugin error: plugin `probe` exceeded the output limit of 256 MiB"
    );
    assert!(run.stdout.len() <= 256 * 1024 * 1024);
}

#[test]
fn a_policy_lowers_the_time_limit_and_sleeping_past_it_is_stopped() {
    let env = Env::new();
    let env = env.policy("max-timeout-secs = 1\n");
    let started = std::time::Instant::now();
    let run = probe(&env, &["sleep"]);
    run.fails_with(
        3,
        "plugin error: plugin `probe` ran past its time limit of 1 s",
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
}

#[test]
fn computing_past_the_time_limit_is_stopped_from_outside() {
    // The default CPU budget (50 billion instructions) would last far longer.
    let env = Env::new();
    let env = env.policy("max-timeout-secs = 1\n");
    let started = std::time::Instant::now();
    probe(&env, &["loop"]).fails_with(
        3,
        "plugin error: plugin `probe` ran past its time limit of 1 s",
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn an_undeclared_credential_is_denied() {
    let run = probe(&secret_env(), &["session"]);
    run.fails_with(
        4,
        "plugin denied: plugin `probe` asked for the `session` credential (credential:session), which it was not granted: its manifest does not declare it",
    );
}

#[test]
fn a_policy_can_forbid_a_declared_credential() {
    let env = secret_env();
    let env = env.policy("forbid-credentials = [\"api\"]\n");
    let run = probe(&env, &["api", "/api/v0/search?q=x"]);
    run.fails_starting(
        4,
        "plugin denied: plugin `probe` asked for the `api` credential",
    );
}

#[test]
fn a_host_that_was_not_granted_is_denied() {
    let run = probe(&Env::new(), &["other-host", "https://example.org/steal"]);
    run.fails_with(
        4,
        "plugin denied: plugin `probe` tried to reach `example.org` (host:example.org), which it was not granted: its manifest does not declare it",
    );
}

#[test]
fn a_closed_stdout_ends_the_plugin_quietly() {
    use std::io::Read;
    let env = Env::new();
    let path = test_plugin("probe");
    let mut child = env
        .command(&[
            "plugin",
            "test",
            path.to_str().unwrap(),
            "--grant-all",
            "--",
            "probe",
            "flood",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 4096];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // like `kagi … | head`
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn a_failing_stdout_is_one_clear_error() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let env = Env::new();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = env
        .command(&["news", "--limit", "1"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: cannot write to stdout: No space left on device (os error 28)\n"
    );
}

#[test]
fn an_interface_that_was_not_granted_is_not_linked_only_denied() {
    // Without service:kagi the plugin holds no network capability at all, so
    // its http import is linked to stand-ins that deny, not to the host's
    // implementation (whose own check would name the service instead).
    let env = secret_env();
    let run = env.run_plugin_test(
        "probe",
        &["--grant", "credential:api"],
        &["probe", "api", "/api/v0/search?q=x"],
    );
    run.fails_with(
        4,
        "plugin denied: plugin `probe` used the network (service:kagi), which it was not granted: you did not grant it (pass `--grant service:kagi` to `kagi plugin test`)",
    );
    assert!(env.mock.requests().is_empty());
}
