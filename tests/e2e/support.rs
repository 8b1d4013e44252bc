//! Running `kagi` in an isolated environment.

use kagi_mock::MockServer;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_kagi");
/// Where tests/plugin-build put the test plugins and the SDK example.
pub const TEST_PLUGINS: &str = kagi_test_plugin_build::DIR;

/// The compiled-code cache shared by the tests that do not test the cache.
pub fn shared_cache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-compiled-cache")
}

/// The SDK's example third-party plugin.
pub fn example_plugin() -> PathBuf {
    let path = Path::new(TEST_PLUGINS).join("kagi_example_top_result.wasm");
    assert!(path.is_file(), "example plugin missing: {}", path.display());
    path
}

pub fn test_plugin(name: &str) -> PathBuf {
    let path = Path::new(TEST_PLUGINS).join(format!("kagi_test_{}.wasm", name.replace('-', "_")));
    assert!(path.is_file(), "test plugin missing: {}", path.display());
    path
}

/// `plugin test PATH GRANTS… -- ARGS…` for the test plugin `name`.
pub fn plugin_test_args(name: &str, grants: &[&str], args: &[&str]) -> Vec<String> {
    let path = test_plugin(name);
    let mut argv = vec!["plugin".to_string(), "test".to_string()];
    argv.push(path.to_str().unwrap().to_string());
    argv.extend(grants.iter().map(|g| g.to_string()));
    argv.push("--".to_string());
    argv.extend(args.iter().map(|a| a.to_string()));
    argv
}

/// One isolated environment: a mock Kagi, a working directory, a data directory.
pub struct Env {
    pub mock: MockServer,
    pub dir: tempfile::TempDir,
    pub cache_dir: PathBuf,
    vars: Vec<(String, String)>,
}

impl Env {
    pub fn new() -> Env {
        Env::with_mock(MockServer::start())
    }

    pub fn with_mock(mock: MockServer) -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("work")).unwrap();
        Env {
            mock,
            dir,
            cache_dir: shared_cache(),
            vars: Vec::new(),
        }
    }

    /// Uses a private compiled-code cache.
    pub fn private_cache(mut self) -> Env {
        self.cache_dir = self.dir.path().join("cache");
        self
    }

    pub fn var(mut self, key: &str, value: &str) -> Env {
        self.vars.push((key.to_string(), value.to_string()));
        self
    }

    /// Runs under an administrator's policy with this text.
    pub fn policy(self, text: &str) -> Env {
        let path = self.dir.path().join("policy.toml");
        std::fs::write(&path, text).unwrap();
        let path = path.display().to_string();
        self.var("KAGI_POLICY", &path)
    }

    pub fn work_dir(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `KAGI_CACHE_DIR`, the root of the local state: plugin storage (history,
    /// site preferences, response cache) is under `storage/` here. (The
    /// compiled code is in `cache_dir`, `KAGI_CODE_CACHE_DIR`.)
    pub fn state_dir(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        self.command_for(Path::new(BIN), args)
    }

    /// Runs `bin` (a copy of kagi, say) in this environment.
    pub fn command_for(&self, bin: &Path, args: &[&str]) -> Command {
        let mut cmd = self.command_inheriting_stdio(bin, args);
        cmd.stdin(Stdio::null());
        cmd
    }

    /// Like `command_for`, but leaves standard input alone (for a pseudo-terminal).
    pub fn command_inheriting_stdio(&self, bin: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin);
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("KAGI_CODE_CACHE_DIR", &self.cache_dir)
            .env("KAGI_CACHE_DIR", self.state_dir())
            .env("KAGI_DATA_DIR", self.data_dir())
            .env("KAGI_CONFIG_DIR", self.dir.path().join("config/kagi"))
            .env("KAGI_POLICY", "")
            .env("KAGI_BASE_URL", self.mock.url())
            .env("KAGI_NEWS_BASE_URL", self.mock.url())
            .env("KAGI_TRANSLATE_BASE_URL", self.mock.url())
            .env("NO_PROXY", "127.0.0.1,localhost")
            .current_dir(self.work_dir());
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs the test plugin `name` under `kagi plugin test`, granting what
    /// `grants` say (e.g. `["--grant-all"]`), with `args` as its command line.
    pub fn run_plugin_test(&self, name: &str, grants: &[&str], args: &[&str]) -> Run {
        let argv = plugin_test_args(name, grants, args);
        self.run(&argv.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// Points the main base URL at the mock's fault prefix (`status=503`, …).
    pub fn with_fault(self, spec: &str) -> Env {
        let url = self.mock.fault_url(spec);
        self.var("KAGI_BASE_URL", &url)
    }

    /// The requests the mock recorded for `path`.
    pub fn requests_to(&self, path: &str) -> Vec<kagi_mock::Recorded> {
        self.mock
            .requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// Runs `kagi ARGS` with `input` piped into its stdin.
    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write;
        let mut cmd = self.command(args);
        canaries_of(&cmd);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kagi runs");
        child
            .stdin
            .take()
            .expect("piped")
            .write_all(input.as_bytes())
            .expect("kagi reads its stdin");
        let output = child.wait_with_output().expect("kagi runs");
        self.canary_minted();
        Run::from(output)
    }

    /// What the mock minted during a run (the translate session) is a secret
    /// kagi knows as well as the configured ones.
    fn canary_minted(&self) {
        for minted in self.mock.translate_sessions() {
            canary(&minted);
        }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        canaries_of(&cmd);
        let output = cmd.output().expect("kagi runs");
        self.canary_minted();
        Run::from(output)
    }
}

/// An environment whose runs have the mock's session token (the commands on
/// Kagi's session: assistant, quick, ...).
pub fn session_env() -> Env {
    Env::new().var("KAGI_SESSION_TOKEN", kagi_mock::SESSION_TOKEN)
}

/// The outcome of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The canary check: every secret any test handed kagi (the mock's tokens,
/// and every `*_TOKEN` variable a test set), which no run may ever print.
static CANARIES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Adds a secret to the canary check. Short values (`x`, used to prove an
/// error) could occur in output by chance and are left out.
pub fn canary(secret: &str) {
    if secret.len() >= 12 {
        let mut all = CANARIES.lock().unwrap_or_else(|e| e.into_inner());
        if !all.iter().any(|s| s == secret) {
            all.push(secret.to_string());
        }
    }
}

/// Registers the secrets among a command's environment variables.
pub fn canaries_of(cmd: &Command) {
    for (k, v) in cmd.get_envs() {
        let (Some(k), Some(v)) = (k.to_str(), v.and_then(|v| v.to_str())) else {
            continue;
        };
        if k.ends_with("_TOKEN") {
            // A Session Link carries the token after `token=`; the rest of
            // the link is no secret.
            let token = v.rsplit("token=").next().unwrap_or(v);
            canary(token.split('&').next().unwrap_or(token));
        }
    }
}

impl From<Output> for Run {
    /// Every run passes through here, so every run gets the canary check.
    fn from(o: Output) -> Run {
        let run = Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        canary(kagi_mock::SESSION_TOKEN);
        canary(kagi_mock::API_TOKEN);
        for secret in CANARIES.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            assert!(
                !run.stdout.contains(secret.as_str()) && !run.stderr.contains(secret.as_str()),
                "a configured token appeared in kagi's output:\nstdout: {}\nstderr: {}",
                run.stdout,
                run.stderr
            );
        }
        run
    }
}

impl Run {
    /// Asserts success and returns stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(
            self.code, 0,
            "expected success; stderr:\n{}\nstdout:\n{}",
            self.stderr, self.stdout
        );
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Stdout as NDJSON: one JSON value a line (`--stream` output).
    pub fn ndjson(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}\n{}", self.stdout))
            })
            .collect()
    }

    /// Asserts the exit code and that stderr is exactly one line.
    pub fn fails_with(&self, code: i32, stderr_line: &str) {
        assert_eq!(
            self.code, code,
            "exit code; stderr:\n{}\nstdout:\n{}",
            self.stderr, self.stdout
        );
        assert_eq!(self.stderr.trim_end(), stderr_line, "stderr");
        assert_eq!(self.stdout, "", "stdout must be empty on failure");
    }

    /// Asserts the exit code and that stderr starts with `prefix`.
    pub fn fails_starting(&self, code: i32, prefix: &str) {
        assert_eq!(
            self.code, code,
            "exit code; stderr:\n{}\nstdout:\n{}",
            self.stderr, self.stdout
        );
        assert!(
            self.stderr.starts_with(prefix),
            "stderr should start with {prefix:?}:\n{}",
            self.stderr
        );
    }
}

/// `kagi ARGS` on a pseudo-terminal (expectrl), for prompts; colour off.
#[cfg(unix)]
pub fn pty(env: &Env, args: &[&str]) -> expectrl::session::OsSession {
    let mut cmd = env.command_inheriting_stdio(Path::new(BIN), args);
    cmd.env("TERM", "xterm").env("NO_COLOR", "1");
    let mut session = expectrl::Session::spawn(cmd).expect("spawn kagi on a pty");
    session.set_expect_timeout(Some(std::time::Duration::from_secs(60)));
    session
}

/// Reads what is left on the pseudo-terminal and waits for kagi to exit:
/// its exit code and the rest of its output.
#[cfg(unix)]
pub fn pty_finish(mut session: expectrl::session::OsSession) -> (i32, String) {
    use expectrl::process::unix::WaitStatus;
    let mut rest = Vec::new();
    let _ = std::io::Read::read_to_end(&mut session, &mut rest);
    let rest = String::from_utf8_lossy(&rest).into_owned();
    match session.get_process().wait().expect("wait for kagi") {
        WaitStatus::Exited(_, code) => (code, rest),
        other => panic!("kagi did not exit normally: {other:?}\n{rest}"),
    }
}

/// Waits for `what` on the terminal; on a timeout, fails showing what the
/// terminal did show.
#[cfg(unix)]
#[track_caller]
pub fn expect_or_show(p: &mut expectrl::session::OsSession, what: &str) {
    use expectrl::Expect;
    if let Err(e) = p.expect(what) {
        let mut buf = vec![0u8; 65536];
        let n = p.try_read(&mut buf).unwrap_or(0);
        panic!(
            "waiting for {what:?}: {e:?}: {:?}",
            String::from_utf8_lossy(&buf[..n])
        );
    }
}

/// What a terminal showed that ends with a pretty JSON object: the text
/// before the object, and the object (the terminal's `\r\n` read as `\n`).
pub fn text_then_json(shown: &str) -> (String, serde_json::Value) {
    let shown = shown.replace("\r\n", "\n");
    let start = shown
        .find("{\n")
        .unwrap_or_else(|| panic!("no JSON object in {shown:?}"));
    let value = serde_json::from_str(&shown[start..])
        .unwrap_or_else(|e| panic!("not JSON after the text ({e}): {shown:?}"));
    (shown[..start].to_string(), value)
}

/// Asserts that `haystack` contains `needle`, showing the whole text if not.
#[track_caller]
pub fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected {needle:?} in:\n{haystack}"
    );
}

/// Writes a config file readable only by its owner, as `auth set` would.
pub fn write_private(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// Runs `kagi ARGS` on a pseudo-terminal (util-linux `script`), typing `keys`.
pub fn on_a_terminal(env: &Env, args: &[&str], keys: &str) -> Run {
    use std::io::Write;
    let line = std::iter::once(BIN)
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ");
    let cmd = env.command(&[]);
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &line, "/dev/null"])
        .current_dir(env.work_dir())
        .env_clear();
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            script.env(k, v);
        }
    }
    let mut child = script
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs commands on a pseudo-terminal");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(keys.as_bytes())
        .unwrap();
    Run::from(child.wait_with_output().unwrap())
}

/// POSTs `body` to the mock's test-only route `path` (e.g. a gate release or
/// a seed) and returns the response body.
pub fn mock_post(env: &Env, path: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(env.mock.addr()).expect("the mock accepts");
    write!(
        conn,
        "POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 2"), "{path}: {response}");
    response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default()
}
