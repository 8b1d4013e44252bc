//! Help, versions, usage errors and completions come from the manifests and
//! never run a plugin.

use crate::support::{Env, assert_contains};

/// Help and usage paths must not compile or instantiate any wasm.
fn assert_no_wasm(env: &Env, run: &crate::support::Run) {
    assert!(
        !run.stderr.contains("kagi[debug]: plugin"),
        "a plugin was loaded:\n{}",
        run.stderr
    );
    assert!(
        !env.cache_dir.exists(),
        "the compiled-code cache was touched"
    );
}

fn quiet_env() -> Env {
    Env::new().private_cache().var("KAGI_LOG", "debug")
}

#[test]
fn no_arguments_prints_help_to_stderr_and_exits_2() {
    let env = quiet_env();
    let run = env.run(&[]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_contains(&run.stderr, "Usage: kagi");
    assert_no_wasm(&env, &run);
}

#[test]
fn version_and_help_list_plugin_commands() {
    let env = quiet_env();
    let run = env.run(&["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, format!("kagi {}\n", env!("CARGO_PKG_VERSION")));

    let run = env.run(&["--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for command in [
        "news",
        "smallweb",
        "plugin",
        "--profile",
        "--generate-completion",
    ] {
        assert!(
            run.stdout.contains(command),
            "--help lacks {command}:\n{}",
            run.stdout
        );
    }

    let run = env.run(&["news", "--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for flag in [
        "--category",
        "--limit",
        "--filter-preset",
        "--filter-mode",
        "--list-categories",
        "--profile",
    ] {
        assert!(
            run.stdout.contains(flag),
            "news --help lacks {flag}:\n{}",
            run.stdout
        );
    }
    assert_no_wasm(&env, &run);
}

#[test]
fn usage_errors_exit_2_without_running_a_plugin() {
    let env = quiet_env();
    let cases: &[(&[&str], &str)] = &[
        (&["news", "--bogus"], "unexpected argument '--bogus'"),
        (
            &["news", "--limit", "many"],
            "invalid value 'many' for '--limit",
        ),
        (
            &["news", "--chaos", "--list-categories"],
            "cannot be used with",
        ),
        (
            &["news", "--filter-mode", "smudge"],
            "invalid value 'smudge'",
        ),
        (&["nonsense"], "unrecognized subcommand 'nonsense'"),
    ];
    for (args, expected) in cases {
        let run = env.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
        assert!(
            run.stderr.contains(expected),
            "{args:?}: stderr lacks {expected:?}:\n{}",
            run.stderr
        );
    }
    assert_no_wasm(&env, &env.run(&["--profile", "work"]));
}

#[test]
fn completions_cover_every_plugin_command() {
    let env = quiet_env();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = env.run(&["--generate-completion", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for word in ["news", "smallweb", "filter-preset", "list-categories"] {
            assert!(run.stdout.contains(word), "{shell} completion lacks {word}");
        }
        assert_no_wasm(&env, &run);
    }
    let run = env.run(&["--generate-completion", "bash", "news"]);
    run.fails_with(
        1,
        "configuration error: --generate-completion cannot be used with a command",
    );
}
