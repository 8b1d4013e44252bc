//! Unit tests of the manifest crate.

use super::*;

fn minimal() -> String {
    "api = \"0.1.0\"\nname = \"demo\"\n[[commands]]\nname = \"demo\"\n".to_string()
}

#[test]
fn arg_groups_expand_into_each_command_that_names_them() {
    let text = r#"
api = "0.2.0"
name = "demo"
[[arg-groups]]
name = "output"
[[arg-groups.args]]
name = "format"
default = "json"
possible-values = ["json", "csv"]
[[commands]]
name = "a"
groups = ["output"]
[[commands.args]]
name = "query"
kind = "positional"
[[commands]]
name = "b"
[[commands.subcommands]]
name = "c"
groups = ["output"]
"#;
    let m = Manifest::parse(text).unwrap();
    let names = |path: &[&str]| -> Vec<String> {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        let command = m.find_command(&path).unwrap();
        assert!(command.groups.is_empty());
        command.args.iter().map(|a| a.name.clone()).collect()
    };
    assert_eq!(names(&["a"]), ["query", "format"]);
    assert_eq!(names(&["b", "c"]), ["format"]);
    assert!(names(&["b"]).is_empty());
    // Expanded once: the result parses again to the same manifest.
    let again = Manifest::parse(&toml::to_string(&m).unwrap()).unwrap();
    assert_eq!(again, m);

    let unknown = text.replace(
        "groups = [\"output\"]\n[[commands.args]]",
        "groups = [\"outptu\"]\n[[commands.args]]",
    );
    assert_eq!(
        Manifest::parse(&unknown).unwrap_err().0,
        "command `a` uses the argument group `outptu`, which the manifest does not declare in [[arg-groups]]"
    );
    let clash = text.replace("name = \"query\"", "name = \"format\"");
    assert!(
        Manifest::parse(&clash)
            .unwrap_err()
            .0
            .contains("`format` of `a` is declared twice")
    );
}

#[test]
fn parses_a_minimal_manifest() {
    let m = Manifest::parse(&minimal()).unwrap();
    assert_eq!(m.name, "demo");
    assert_eq!(m.display_version(), "unknown");
    assert!(m.capabilities.credentials.is_empty());
}

#[test]
fn rejects_unknown_keys_and_bad_references() {
    let err = Manifest::parse(&format!("color = true\n{}", minimal())).unwrap_err();
    assert!(err.0.contains("invalid manifest"), "{err}");
    let text = format!(
        "{}[[commands.args]]\nname = \"a\"\nconflicts-with = [\"b\"]\n",
        minimal()
    );
    let err = Manifest::parse(&text).unwrap_err();
    assert!(err.0.contains("unknown argument `b`"), "{err}");
}

#[test]
fn rejects_reserved_flags() {
    let text = format!("{}[[commands.args]]\nname = \"profile\"\n", minimal());
    let err = Manifest::parse(&text).unwrap_err();
    assert!(err.0.contains("--profile"), "{err}");
}

#[test]
fn api_versions() {
    assert!(api_compatible("0.1.0", "0.1.0"));
    assert!(api_compatible("0.1.0", "0.1.3"));
    assert!(!api_compatible("0.1.4", "0.1.3"));
    assert!(!api_compatible("0.2.0", "0.1.0"));
    assert!(!api_compatible("1.0.0", "0.1.0"));
    assert!(api_compatible("1.1.0", "1.2.0"));
    assert!(!api_compatible("1.3.0", "1.2.0"));
    assert!(!api_compatible("nonsense", "0.1.0"));
}

#[test]
fn a_host_speaks_every_version_it_carries() {
    let carried = ["0.1.0", "0.2.0"];
    assert_eq!(api_binding("0.1.0", &carried), Some("0.1.0"));
    assert_eq!(api_binding("0.2.0", &carried), Some("0.2.0"));
    assert_eq!(api_binding("0.3.0", &carried), None);
    assert_eq!(api_binding("0.2.1", &carried), None);
    assert_eq!(api_binding("1.0.0", &carried), None);
}

#[test]
fn api_version_matches_the_wit_package() {
    let wit = include_str!("../../../wit/plugin.wit");
    assert!(wit.contains(&format!("package kagi:plugin@{API_VERSION};")));
}

fn refusal(text: &str) -> String {
    Manifest::parse(text).unwrap_err().0
}

#[test]
fn refuses_control_characters_in_any_string_naming_the_field() {
    let about = minimal().replace(
        "name = \"demo\"\n[[commands]]\nname = \"demo\"\n",
        "name = \"demo\"\n[[commands]]\nname = \"demo\"\nabout = \"hi \\u001b]52;c;aGk=\\u0007\"\n",
    );
    assert_eq!(
        refusal(&about),
        "manifest field `commands[demo].about` contains the control character U+001B; plugin text may not carry terminal controls"
    );
    let cases = [
        ("description = \"a\\u009bb\"\n", "`description`", "U+009B"),
        (
            "description = \"right\\u202Eleft\"\n",
            "`description`",
            "U+202E",
        ),
        (
            "description = \"isolate\\u2066x\"\n",
            "`description`",
            "U+2066",
        ),
        ("description = \"del\\u007f\"\n", "`description`", "U+007F"),
        ("description = \"cr\\rback\"\n", "`description`", "U+000D"),
        ("version = \"1.0.0\\n\"\n", "`version`", "U+000A"),
    ];
    for (line, field, char) in cases {
        let err = refusal(&format!("{line}{}", minimal()));
        assert!(err.contains(field) && err.contains(char), "{line}: {err}");
    }
    let arg = |body: &str| {
        format!(
            "{}[[commands.args]]\nname = \"format\"\n{body}\n",
            minimal()
        )
    };
    for (body, field) in [
        ("help = \"x\\u001b[2J\"", "commands[demo].args[format].help"),
        ("default = \"x\\n\"", "commands[demo].args[format].default"),
        (
            "possible-values = [\"a\", \"b\\u0007\"]",
            "commands[demo].args[format].possible-values[1]",
        ),
        (
            "value-name = \"V\\t\"",
            "commands[demo].args[format].value-name",
        ),
    ] {
        let err = refusal(&arg(body));
        assert!(err.contains(&format!("`{field}`")), "{body}: {err}");
    }
    let sub = format!(
        "{}[[commands.subcommands]]\nname = \"s\\u001bx\"\n",
        minimal()
    );
    assert!(refusal(&sub).contains("`commands[demo].subcommands[0].name`"));
}

#[test]
fn help_and_descriptions_may_span_lines() {
    let text = format!(
        "description = \"one\\ntwo\"\n{}long-about = \"a\\n\\tb\"\n[[commands.args]]\nname = \"x\"\nhelp = \"line\\nline\"\n",
        minimal()
    );
    Manifest::parse(&text).unwrap();
}

#[test]
fn names_are_lower_case_words_starting_with_a_letter() {
    for bad in ["Demo", "1demo", "-demo", "de mo", "de_mo", "démo", ""] {
        let text = minimal().replacen("name = \"demo\"", &format!("name = \"{bad}\""), 1);
        assert!(refusal(&text).contains("plugin name"), "{bad}");
    }
    let long = "a".repeat(MAX_NAME_LEN + 1);
    let text = minimal().replacen("name = \"demo\"", &format!("name = \"{long}\""), 1);
    assert!(refusal(&text).contains("at most 64"));
    let text = minimal().replace(
        "[[commands]]\nname = \"demo\"",
        "[[commands]]\nname = \"Demo\"",
    );
    assert!(refusal(&text).starts_with("command name `Demo` must start"));
    let arg = format!("{}[[commands.args]]\nname = \"9lives\"\n", minimal());
    assert!(refusal(&arg).starts_with("argument `9lives` of `demo` must start"));
    let long = format!(
        "{}[[commands.args]]\nname = \"a\"\nlong = \"A\"\n",
        minimal()
    );
    assert!(refusal(&long).starts_with("flag `--A` of `demo` must start"));
    let short = format!(
        "{}[[commands.args]]\nname = \"a\"\nshort = \"-\"\n",
        minimal()
    );
    assert!(refusal(&short).contains("ASCII letter or digit"));
}

#[test]
fn versions_are_semantic_versions() {
    for bad in ["1.0", "v1.0.0", "1.0.0 ", "latest", "01.0.0"] {
        let text = format!("version = \"{bad}\"\n{}", minimal());
        assert!(
            refusal(&text).starts_with("manifest field `version`"),
            "{bad}"
        );
        let text = format!("package-version = \"{bad}\"\n{}", minimal());
        assert!(
            refusal(&text).starts_with("manifest field `package-version`"),
            "{bad}"
        );
    }
    let text = minimal().replace("api = \"0.1.0\"", "api = \"0.1\"");
    assert!(refusal(&text).starts_with("manifest field `api`"));
    let text = format!("version = \"1.2.3-beta.1+build.5\"\n{}", minimal());
    Manifest::parse(&text).unwrap();
}

#[test]
fn hosts_are_dns_names_or_ip_literals() {
    let with_host = |host: &str| format!("{}[capabilities]\nhosts = [\"{host}\"]\n", minimal());
    for good in [
        "example.com",
        "localhost",
        "a-b.c0.example",
        "192.0.2.1",
        "[2001:db8::1]",
        "https://example.com",
        "http://127.0.0.1",
        "http://[::1]",
    ] {
        Manifest::parse(&with_host(good)).unwrap_or_else(|e| panic!("{good}: {e}"));
    }
    for bad in [
        "",
        "Example.com",
        "example.com:443",
        "https://example.com:443",
        "https://example.com/",
        "ftp://example.com",
        "HTTPS://example.com",
        "https://",
        "*.example.com",
        "-example.com",
        "example-.com",
        "exa_mple.com",
        "example..com",
        "example.com.",
        "1.2.3",
        "256.1.1.1",
        "2001:db8::1",
        "[fe80::1%eth0]",
        "bücher.example",
        "user@example.com",
    ] {
        let err = refusal(&with_host(bad));
        assert!(
            err.starts_with(&format!("capability host `{bad}` must be")),
            "{bad}: {err}"
        );
    }
    let label = "a".repeat(64);
    assert!(refusal(&with_host(&format!("{label}.com"))).starts_with("capability host"));
}

#[test]
fn files_and_destination_urls_are_argument_types() {
    let text = format!(
        "{}[[commands.args]]\nname = \"attach\"\ntype = \"file\"\nmultiple = true\n[[commands.args]]\nname = \"to\"\ntype = \"url\"\ndestination = true\n",
        minimal()
    );
    let m = Manifest::parse(&text).unwrap();
    let args = &m.commands[0].args;
    assert_eq!(args[0].value_type, ValueType::File);
    assert_eq!(args[1].value_type, ValueType::Url);
    assert!(args[1].destination && !args[0].destination);
    let text = format!(
        "{}[[commands.args]]\nname = \"to\"\ndestination = true\n",
        minimal()
    );
    assert_eq!(
        refusal(&text),
        "argument `to` of `demo` is a destination, so its type must be `url`"
    );
    for (spec, name) in [
        (
            "name = \"key\"\ntype = \"file\"\ndefault = \"/home/u/.ssh/id_ed25519\"",
            "key",
        ),
        (
            "name = \"to\"\ntype = \"url\"\ndestination = true\ndefault = \"https://evil.example\"",
            "to",
        ),
        (
            "name = \"to\"\ntype = \"url\"\ndestination = true\npossible-values = [\"https://evil.example\"]",
            "to",
        ),
    ] {
        let text = format!("{}[[commands.args]]\n{spec}\n", minimal());
        assert_eq!(
            refusal(&text),
            format!(
                "argument `{name}` of `demo` is a file or a destination, which only the user names: it cannot have a default or possible values"
            )
        );
    }
}

#[test]
fn an_output_file_is_one_path_the_user_names() {
    let arg = |spec: &str| {
        format!(
            "{}[[commands.args]]\nname = \"export\"\n{spec}\n",
            minimal()
        )
    };
    let m = Manifest::parse(&arg("type = \"output-file\"")).unwrap();
    assert_eq!(m.commands[0].args[0].value_type, ValueType::OutputFile);
    assert_eq!(
        refusal(&arg(
            "type = \"output-file\"\ndefault = \"/home/u/.bashrc\""
        )),
        "argument `export` of `demo` is a file or a destination, which only the user names: it cannot have a default or possible values"
    );
    for spec in ["multiple = true", "kind = \"positional\""] {
        assert_eq!(
            refusal(&arg(&format!("type = \"output-file\"\n{spec}"))),
            "argument `export` of `demo` is an output file: it must be an option taking one path"
        );
    }
}

/// A plugin with `[capabilities]` and `[limits]` `plugin`, and commands
/// `commands` (TOML for `[[commands]]` tables).
fn plugin_with(api: &str, plugin: &str, commands: &str) -> Result<Manifest, ManifestError> {
    Manifest::parse(&format!(
        "api = \"{api}\"\nname = \"demo\"\n{plugin}\n{commands}"
    ))
}

const CAPS: &str = "[capabilities]\nservices = [\"kagi\"]\ncredentials = [\"api\"]\nhosts = [\"https://example.com\"]\nstorage = true\nstdin = true\n[limits]\ntimeout-secs = 0\nmemory-mb = 512\n";

fn path(p: &str) -> Vec<String> {
    p.split(' ').map(str::to_string).collect()
}

#[test]
fn a_command_narrows_its_plugins_capabilities_or_inherits_them() {
    let m = plugin_with(
            "0.2.0",
            CAPS,
            "[[commands]]\nname = \"search\"\n[[commands]]\nname = \"history\"\n[commands.capabilities]\nstorage = true\n[[commands.subcommands]]\nname = \"list\"\n",
        )
        .unwrap();
    assert_eq!(
        m.command_capabilities(&path("search")).unwrap().names(),
        [
            "service:kagi",
            "host:example.com",
            "credential:api",
            "storage",
            "stdin"
        ]
    );
    assert_eq!(
        m.command_capabilities(&path("history list"))
            .unwrap()
            .names(),
        ["storage"]
    );
    assert!(m.command_capabilities(&path("nope")).is_none());
}

#[test]
fn a_command_asking_for_a_capability_its_plugin_lacks_is_refused() {
    let err = plugin_with(
        "0.2.0",
        "[capabilities]\nstorage = true\n",
        "[[commands]]\nname = \"fetch\"\n[commands.capabilities]\nservices = [\"kagi\"]\n",
    )
    .unwrap_err();
    assert_eq!(
        err.0,
        "command `fetch` asks for the capability `service:kagi`, which its plugin does not declare; a command's capabilities can only narrow"
    );
    let err = plugin_with(
            "0.2.0",
            CAPS,
            "[[commands]]\nname = \"history\"\n[commands.capabilities]\nstorage = true\n[[commands.subcommands]]\nname = \"list\"\n[commands.subcommands.capabilities]\nstdin = true\n",
        )
        .unwrap_err();
    assert_eq!(
        err.0,
        "command `history list` asks for the capability `stdin`, which the command `history` does not declare; a command's capabilities can only narrow"
    );
}

#[test]
fn only_a_long_running_command_gets_no_wall_clock_limit() {
    let m = plugin_with(
            "0.2.0",
            CAPS,
            "[[commands]]\nname = \"search\"\n[[commands]]\nname = \"watch\"\nlong-running = true\n[commands.limits]\ntimeout-secs = 0\n",
        )
        .unwrap();
    let search = m.command_limits(&path("search")).unwrap();
    assert_eq!(search.timeout_secs, None, "the default wall-clock limit");
    assert_eq!(search.memory_mb, Some(512), "other limits are inherited");
    assert_eq!(
        m.command_limits(&path("watch")).unwrap().timeout_secs,
        Some(0)
    );
    // A 0.1 manifest had no per-command limits: its plugin's apply as before.
    let old = plugin_with("0.1.0", CAPS, "[[commands]]\nname = \"search\"\n").unwrap();
    assert_eq!(
        old.command_limits(&path("search")).unwrap().timeout_secs,
        Some(0)
    );

    let unlimited = "[[commands]]\nname = \"watch\"\nlong-running = true\n[commands.limits]\ntimeout-secs = 0\n";
    assert_eq!(
        plugin_with("0.2.0", "", unlimited).unwrap_err().0,
        "command `watch` asks for no wall-clock limit (`timeout-secs = 0`), which its plugin does not allow (its limits need `timeout-secs = 0` too)"
    );
    assert_eq!(
        plugin_with(
            "0.2.0",
            CAPS,
            &unlimited.replace("long-running = true\n", "")
        )
        .unwrap_err()
        .0,
        "command `watch` asks for no wall-clock limit (`timeout-secs = 0`) but is not `long-running = true`"
    );
}

#[test]
fn a_commands_limits_can_only_narrow() {
    let with = |plugin: &str, limits: &str| {
        plugin_with(
            "0.2.0",
            plugin,
            &format!("[[commands]]\nname = \"run\"\n[commands.limits]\n{limits}\n"),
        )
    };
    assert_eq!(
        with("[limits]\nmemory-mb = 512\n", "memory-mb = 1024")
            .unwrap_err()
            .0,
        "command `run` asks for `memory-mb = 1024`, more than the 512 of its plugin; a command's limits can only narrow"
    );
    // Where the plugin declares nothing, the host's defaults are the most.
    assert!(
        with("", "cpu-seconds = 51")
            .unwrap_err()
            .0
            .contains("more than the 50 of its plugin")
    );
    assert!(
        with("", "timeout-secs = 601")
            .unwrap_err()
            .0
            .contains("more than the 600")
    );
    let m = with(
        "[limits]\nmemory-mb = 512\ntimeout-secs = 30\n",
        "memory-mb = 64",
    )
    .unwrap();
    let run = m.command_limits(&path("run")).unwrap();
    assert_eq!((run.memory_mb, run.timeout_secs), (Some(64), Some(30)));
    // Under a plugin that allows no wall-clock limit, any limit narrows.
    assert!(with(CAPS, "timeout-secs = 3600").is_ok());
}

#[test]
fn the_cpu_budget_is_in_seconds_and_the_old_name_still_reads() {
    let limits = |text: &str| {
        plugin_with(
            "0.2.0",
            &format!("[limits]\n{text}\n"),
            "[[commands]]\nname = \"run\"\n",
        )
    };
    let new = limits("cpu-seconds = 7").unwrap();
    assert_eq!(new.limits.cpu_seconds, Some(7));
    // Manifests written for fuel (`cpu-gigainstructions`) keep loading.
    let old = limits("cpu-gigainstructions = 7").unwrap();
    assert_eq!(old.limits, new.limits);
    let both = limits("cpu-seconds = 7\ncpu-gigainstructions = 7").unwrap_err();
    assert!(
        both.0.contains("duplicate field `cpu-seconds`"),
        "{}",
        both.0
    );
}

#[test]
fn declared_args_lists_every_command_with_its_argument_names_and_defaults() {
    let m = plugin_with(
        "0.2.0",
        "",
        "[[commands]]\nname = \"a\"\n[[commands.args]]\nname = \"limit\"\ndefault = \"5\"\n[[commands.subcommands]]\nname = \"b\"\n[[commands.subcommands.args]]\nname = \"q\"\n[[commands]]\nname = \"c\"\n",
    )
    .unwrap();
    let command = |path: &[&str], args: &[(&str, Option<&str>)]| DeclaredCommand {
        path: path.iter().map(|p| p.to_string()).collect(),
        args: args
            .iter()
            .map(|(n, d)| (n.to_string(), d.map(str::to_string)))
            .collect(),
    };
    assert_eq!(
        m.declared_args(),
        [
            command(&["a"], &[("limit", Some("5"))]),
            command(&["a", "b"], &[("q", None)]),
            command(&["c"], &[]),
        ]
    );
}

#[test]
fn tool_metadata_is_coherent() {
    let m = plugin_with(
            "0.2.0",
            CAPS,
            "[[commands]]\nname = \"a\"\n[[commands]]\nname = \"b\"\ninteractive = true\n[[commands]]\nname = \"c\"\nlong-running = true\n[[commands]]\nname = \"d\"\nsubcommand-required = true\n[[commands.subcommands]]\nname = \"e\"\ndestructive = true\nreads-stdin = true\n",
        )
        .unwrap();
    let tools: Vec<bool> = ["a", "b", "c", "d", "d e"]
        .iter()
        .map(|p| m.find_command(&path(p)).unwrap().is_tool())
        .collect();
    assert_eq!(tools, [true, false, false, false, true]);
    let refused = |command: &str| plugin_with("0.2.0", CAPS, command).unwrap_err().0;
    assert_eq!(
        refused("[[commands]]\nname = \"ask\"\ninteractive = true\ntool = true\n"),
        "command `ask` cannot be a tool (`tool = true`): it is interactive: a tool has no terminal to ask on"
    );
    assert!(refused("[[commands]]\nname = \"w\"\nlong-running = true\ntool = true\n[commands.limits]\ntimeout-secs = 0\n").contains("has no wall-clock limit"));
    assert!(refused("[[commands]]\nname = \"g\"\nsubcommand-required = true\ntool = true\n[[commands.subcommands]]\nname = \"x\"\n").contains("needs a subcommand"));
    assert_eq!(
        plugin_with(
            "0.2.0",
            "",
            "[[commands]]\nname = \"cat\"\nreads-stdin = true\n"
        )
        .unwrap_err()
        .0,
        "command `cat` reads stdin (`reads-stdin = true`) but does not have the `stdin` capability; declare it"
    );
}

#[test]
fn settings_are_declared_with_a_type_and_an_own_variable() {
    let with = |settings: &str| {
        plugin_with(
            "0.2.0",
            &format!("{settings}\n"),
            "[[commands]]\nname = \"x\"\n",
        )
    };
    let m = with("[[settings]]\nname = \"history\"\nenv = \"KAGI_HISTORY\"\ntype = \"bool\"\nhelp = \"Record searches\"\n[[settings]]\nname = \"page_size\"\ntype = \"int\"").unwrap();
    let history = m.setting("history").unwrap();
    assert_eq!(
        (history.env.as_deref(), history.value_type),
        (Some("KAGI_HISTORY"), SettingType::Bool)
    );
    assert_eq!(m.setting("page_size").unwrap().env, None);
    assert!(m.setting("other").is_none());
    for var in [
        "KAGI_SESSION_TOKEN",
        "KAGI_API_TOKEN",
        "KAGI_BASE_URL",
        "KAGI_NEWS_BASE_URL",
        "KAGI_CACHE_DIR",
        "KAGI_DATA_DIR",
        "KAGI_CONFIG_DIR",
        "KAGI_CODE_CACHE_DIR",
        "KAGI_POLICY",
        "KAGI_LOG",
        "KAGI_PROFILE",
        "KAGI_MY_SECRET_TOKEN",
    ] {
        let err = with(&format!(
            "[[settings]]\nname = \"s\"\nenv = \"{var}\"\ntype = \"string\""
        ))
        .unwrap_err()
        .0;
        assert_eq!(
            err,
            format!(
                "setting `s` reads the environment variable `{var}`, which is kagi's own (credentials, paths, policy); a plugin may not read it: choose another name"
            )
        );
    }
    for var in [
        "HOME",
        "AWS_SECRET_ACCESS_KEY",
        "KAGI_",
        "kagi_history",
        "KAGI_A-B",
    ] {
        let err = with(&format!(
            "[[settings]]\nname = \"s\"\nenv = \"{var}\"\ntype = \"string\""
        ))
        .unwrap_err()
        .0;
        assert!(err.contains("must start with `KAGI_`"), "{var}: {err}");
    }
    assert!(
        with("[[settings]]\nname = \"s\"\ntype = \"float\"")
            .unwrap_err()
            .0
            .contains("invalid manifest")
    );
    assert!(
        with("[[settings]]\nname = \"s\"")
            .unwrap_err()
            .0
            .contains("invalid manifest")
    );
    assert_eq!(
        with(
            "[[settings]]\nname = \"s\"\ntype = \"int\"\n[[settings]]\nname = \"s\"\ntype = \"int\""
        )
        .unwrap_err()
        .0,
        "setting `s` is declared twice"
    );
    assert_eq!(
            with("[[settings]]\nname = \"a\"\nenv = \"KAGI_X\"\ntype = \"int\"\n[[settings]]\nname = \"b\"\nenv = \"KAGI_X\"\ntype = \"int\"").unwrap_err().0,
            "the environment variable `KAGI_X` is declared for two settings"
        );
    assert!(
        with("[[settings]]\nname = \"Bad\"\ntype = \"int\"")
            .unwrap_err()
            .0
            .starts_with("setting name `Bad`")
    );
}

#[test]
fn finds_nested_commands() {
    let text = format!("{}[[commands.subcommands]]\nname = \"sub\"\n", minimal());
    let m = Manifest::parse(&text).unwrap();
    let path = vec!["demo".to_string(), "sub".to_string()];
    assert_eq!(m.find_command(&path).unwrap().name, "sub");
    assert!(m.find_command(&["nope".to_string()]).is_none());
}

#[test]
fn a_command_is_read_only_or_destructive_never_both() {
    let m = plugin_with(
        "0.2.0",
        CAPS,
        "[[commands]]\nname = \"g\"\nsubcommand-required = true\n[[commands.subcommands]]\nname = \"list\"\nread-only = true\n[[commands.subcommands]]\nname = \"wipe\"\ndestructive = true\n",
    )
    .unwrap();
    let list = m.find_command(&path("g list")).unwrap();
    let wipe = m.find_command(&path("g wipe")).unwrap();
    assert_eq!((list.read_only, list.destructive), (true, false));
    assert_eq!((wipe.read_only, wipe.destructive), (false, true));
    assert_eq!(
        plugin_with(
            "0.2.0",
            CAPS,
            "[[commands]]\nname = \"g\"\n[[commands.subcommands]]\nname = \"sync\"\nread-only = true\ndestructive = true\n",
        )
        .unwrap_err()
        .0,
        "command `g sync` is both `read-only = true` and `destructive = true`; a command that only reads destroys nothing: keep one"
    );
}
