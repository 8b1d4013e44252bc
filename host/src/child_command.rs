//! Running the kagi binary itself as a child with its output captured, so a
//! command runs exactly as the CLI runs it (same plugins, grants, policy,
//! credentials and sandbox) while its output goes to the caller, never to
//! this process's stdout. `kagi mcp` runs its tools this way, `kagi notify`
//! its search.

use crate::error::{Error, Result};
use std::io;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout};
use tokio::task::JoinHandle;

/// What a finished child printed, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The exit status; a child ended by a signal reports 128 + the signal.
    pub exit_code: i32,
}

impl Captured {
    pub fn success(&self) -> bool {
        self.exit_code == 0
    }

    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// The error the CLI printed: kagi's errors are one line, the last one
    /// on stderr; a usage error is clap's `error: …` line, above its usage.
    pub fn error_message(&self) -> String {
        let stderr = String::from_utf8_lossy(&self.stderr);
        let lines: Vec<&str> = stderr
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .collect();
        lines
            .iter()
            .rev()
            .find(|l| l.starts_with("error: "))
            .or(lines.last())
            .map_or_else(
                || format!("kagi exited with status {}", self.exit_code),
                |l| l.to_string(),
            )
    }
}

/// Runs `kagi ARGS` to the end, with `vars` added to its environment
/// (blocking: for a command outside an async runtime; `kagi mcp` streams
/// with [`spawn_kagi`]). `kagi notify` sets `KAGI_HISTORY=off`: the user did
/// not type that search.
pub fn run_kagi(args: &[String], vars: &[(&str, &str)]) -> Result<Captured> {
    let output = std::env::current_exe()
        .and_then(|exe| {
            std::process::Command::new(exe)
                .args(args)
                .envs(vars.iter().copied())
                .stdin(Stdio::null())
                .output()
        })
        .map_err(|e| Error::Config(format!("cannot run kagi itself: {e}")))?;
    Ok(Captured {
        stdout: output.stdout,
        stderr: output.stderr,
        exit_code: exit_code(output.status),
    })
}

/// Starts `kagi ARGS`, to read its stdout line by line as it comes (a
/// streamed answer) with [`Running::next_line`].
pub fn spawn_kagi(args: &[String]) -> io::Result<Running> {
    let mut kagi = tokio::process::Command::new(std::env::current_exe()?);
    kagi.args(args);
    spawn(kagi)
}

/// Starts `command` in this directory and environment, stdin closed, stdout
/// and stderr piped; it is killed if dropped before it ends.
fn spawn(mut command: tokio::process::Command) -> io::Result<Running> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    // Read at the same time as stdout, so a full stderr pipe never stalls it.
    let stderr = tokio::spawn(async move {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes).await;
        bytes
    });
    Ok(Running {
        child,
        stdout: BufReader::new(stdout).lines(),
        stderr,
        seen: Vec::new(),
    })
}

/// A running `kagi` child.
pub struct Running {
    child: Child,
    stdout: Lines<BufReader<ChildStdout>>,
    stderr: JoinHandle<Vec<u8>>,
    /// Every stdout line read so far.
    seen: Vec<u8>,
}

impl Running {
    /// The next line of stdout, without its newline; none at its end.
    pub async fn next_line(&mut self) -> io::Result<Option<String>> {
        let line = self.stdout.next_line().await?;
        if let Some(line) = &line {
            self.seen.extend_from_slice(line.as_bytes());
            self.seen.push(b'\n');
        }
        Ok(line)
    }

    /// Reads the rest of stdout and waits for the child to exit.
    pub async fn finish(mut self) -> io::Result<Captured> {
        while self.next_line().await?.is_some() {}
        let status = self.child.wait().await?;
        let stderr = self.stderr.await.unwrap_or_default();
        Ok(Captured {
            stdout: self.seen,
            stderr,
            exit_code: exit_code(status),
        })
    }

    /// Stops the child as Ctrl-C would (SIGINT, so it ends its work
    /// cleanly), kills it if it has not exited within two seconds, and
    /// returns how it ended.
    pub async fn interrupt(mut self) -> i32 {
        #[cfg(unix)]
        if let Some(pid) = self.child.id().and_then(|id| i32::try_from(id).ok()) {
            // SAFETY: kill(2) on the child this process spawned and has not reaped.
            unsafe {
                libc::kill(pid, libc::SIGINT);
            }
            if let Ok(Ok(status)) =
                tokio::time::timeout(Duration::from_secs(2), self.child.wait()).await
            {
                return exit_code(status);
            }
        }
        let _ = self.child.kill().await;
        self.child.wait().await.map_or(1, exit_code)
    }
}

fn exit_code(status: ExitStatus) -> i32 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128 + signal;
        }
    }
    status.code().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captured(stderr: &str, exit_code: i32) -> Captured {
        Captured {
            stdout: Vec::new(),
            stderr: stderr.into(),
            exit_code,
        }
    }

    #[test]
    fn the_error_is_the_clis_one_line() {
        assert_eq!(
            captured(
                "warning: x\nconfiguration error: missing credentials\n\n",
                1
            )
            .error_message(),
            "configuration error: missing credentials"
        );
        assert_eq!(
            captured(
                "error: unexpected argument '--x' found\n\nUsage: kagi search <QUERY>\n\nFor more information, try '--help'.\n",
                2
            )
            .error_message(),
            "error: unexpected argument '--x' found"
        );
        assert_eq!(captured("", 3).error_message(), "kagi exited with status 3");
    }

    /// A shell that sets its SIGINT handling with `trap`, says it is ready,
    /// then runs `wait`.
    #[cfg(unix)]
    fn shell(trap: &str, wait: &str) -> Running {
        let mut sh = tokio::process::Command::new("sh");
        sh.args(["-c", &format!("trap {trap} INT; echo ready; {wait}")]);
        spawn(sh).unwrap()
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn an_interrupted_child_gets_sigint_then_is_killed_if_it_ignores_it() {
        // It takes SIGINT: it stops its sleep and exits.
        let mut polite = shell("'kill $!; exit 7'", "sleep 30 & wait");
        assert_eq!(polite.next_line().await.unwrap().as_deref(), Some("ready"));
        assert_eq!(polite.interrupt().await, 7, "it ended on SIGINT");

        // SIGINT ignored, as across exec: only the kill ends it.
        let mut stubborn = shell("''", "exec sleep 30");
        assert_eq!(
            stubborn.next_line().await.unwrap().as_deref(),
            Some("ready")
        );
        assert_eq!(stubborn.interrupt().await, 128 + libc::SIGKILL);
    }
}
