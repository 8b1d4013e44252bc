//! `kagi-mock [--port N] [--session-token T] [--api-token T]`: runs the mock until Ctrl-C and
//! prints the environment a `kagi` client needs to talk to it.

use kagi_mock::MockServer;

const USAGE: &str = "usage: kagi-mock [--port N] [--session-token TOKEN] [--api-token TOKEN]";

fn main() {
    let mut builder = MockServer::builder();
    let (mut session, mut api) = (
        kagi_mock::SESSION_TOKEN.to_string(),
        kagi_mock::API_TOKEN.to_string(),
    );
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| fail(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--port" => {
                let v = value("--port");
                builder = builder.port(
                    v.parse()
                        .unwrap_or_else(|_| fail(&format!("bad port '{v}'"))),
                );
            }
            "--session-token" => session = value("--session-token"),
            "--api-token" => api = value("--api-token"),
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => fail(&format!("unknown argument '{other}'")),
        }
    }
    let server = builder.session_token(&session).api_token(&api).start();
    let url = server.url();
    println!("kagi-mock listening on {url}");
    println!(
        "export KAGI_BASE_URL={url} KAGI_NEWS_BASE_URL={url} KAGI_TRANSLATE_BASE_URL={url} KAGI_SESSION_TOKEN={session} KAGI_API_TOKEN={api}"
    );
    println!(
        "faults: use {url}/_fault/<spec> as a base URL, e.g. {}",
        server.fault_url("status=503")
    );
    println!("press Ctrl-C to stop");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    drop(server);
}

fn fail(msg: &str) -> ! {
    eprintln!("kagi-mock: {msg}\n{USAGE}");
    std::process::exit(2);
}
