//! The slice of WASI a plugin gets: clocks, random, stdio and exit. No
//! filesystem, no sockets: those interfaces are simply not linked (and
//! `capabilities::check_imports` refuses a plugin that asks for them).
//! A plugin's WASI stdout and stderr go through the same limited [`Output`] as
//! `kagi:plugin/terminal`.

use crate::output::{Channel, Output, OutputError};
use crate::runtime::{HostState, Stop};
use std::pin::Pin;
use std::task::{Context, Poll};
use wasmtime::component::{HasData, Linker, ResourceTable};
use wasmtime_wasi::cli::{IsTerminal, StdoutStream, WasiCli, WasiCliView};
use wasmtime_wasi::clocks::{WasiClocks, WasiClocksView};
use wasmtime_wasi::p2::bindings::{cli, clocks, random};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError, StreamResult};
use wasmtime_wasi::random::WasiRandom;
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiView};

struct HasIo;

impl HasData for HasIo {
    type Data<'a> = &'a mut ResourceTable;
}

/// Adds the allowed WASI interfaces.
pub fn add_to_linker(l: &mut Linker<HostState>) -> wasmtime::Result<()> {
    use wasmtime_wasi::p2::bindings::sync::io;
    wasmtime_wasi::p2::bindings::sync::io::error::add_to_linker::<HostState, HasIo>(l, |t| {
        t.ctx().table
    })?;
    io::poll::add_to_linker::<HostState, HasIo>(l, |t| t.ctx().table)?;
    io::streams::add_to_linker::<HostState, HasIo>(l, |t| t.ctx().table)?;
    clocks::wall_clock::add_to_linker::<HostState, WasiClocks>(l, HostState::clocks)?;
    clocks::monotonic_clock::add_to_linker::<HostState, WasiClocks>(l, HostState::clocks)?;
    random::random::add_to_linker::<HostState, WasiRandom>(l, |t| t.ctx().ctx.random())?;
    random::insecure::add_to_linker::<HostState, WasiRandom>(l, |t| t.ctx().ctx.random())?;
    random::insecure_seed::add_to_linker::<HostState, WasiRandom>(l, |t| t.ctx().ctx.random())?;
    cli::exit::add_to_linker::<HostState, WasiCli>(l, HostState::cli)?;
    cli::environment::add_to_linker::<HostState, WasiCli>(l, HostState::cli)?;
    cli::stdin::add_to_linker::<HostState, WasiCli>(l, HostState::cli)?;
    cli::stdout::add_to_linker::<HostState, WasiCli>(l, HostState::cli)?;
    cli::stderr::add_to_linker::<HostState, WasiCli>(l, HostState::cli)?;
    cli::terminal_input::add_to_linker::<HostState, WasiCli>(l, HostState::cli)?;
    cli::terminal_output::add_to_linker::<HostState, WasiCli>(l, HostState::cli)?;
    cli::terminal_stdin::add_to_linker::<HostState, WasiCli>(l, HostState::cli)?;
    cli::terminal_stdout::add_to_linker::<HostState, WasiCli>(l, HostState::cli)?;
    cli::terminal_stderr::add_to_linker::<HostState, WasiCli>(l, HostState::cli)?;
    Ok(())
}

/// No environment, no arguments, no directories, empty stdin; stdout and
/// stderr through `output`.
pub fn context(output: &Output) -> WasiCtx {
    WasiCtxBuilder::new()
        .stdout(PluginStdio {
            output: output.clone(),
            channel: Channel::Stdout,
        })
        .stderr(PluginStdio {
            output: output.clone(),
            channel: Channel::Stderr,
        })
        .build()
}

#[derive(Clone)]
struct PluginStdio {
    output: Output,
    channel: Channel,
}

impl PluginStdio {
    fn write(&self, bytes: &[u8]) -> Result<(), OutputError> {
        self.output.write(self.channel, bytes)
    }
}

impl IsTerminal for PluginStdio {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for PluginStdio {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }

    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for PluginStdio {
    async fn ready(&mut self) {}
}

impl OutputStream for PluginStdio {
    fn write(&mut self, bytes: bytes::Bytes) -> StreamResult<()> {
        PluginStdio::write(self, &bytes).map_err(|e| StreamError::Trap(Stop::from(e).into()))
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(64 * 1024)
    }
}

impl tokio::io::AsyncWrite for PluginStdio {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(
            self.write(buf)
                .map(|_| buf.len())
                .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe)),
        )
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
