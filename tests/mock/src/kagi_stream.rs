//! What the mock's Kagi stream routes (`application/vnd.kagi.stream`: the
//! Assistant, its threads, Quick Answer) share: the session check they
//! start with, frames, and bodies sent whole or paced over time.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use tokio::sync::Notify;

use crate::{AppState, pages};

/// A handler argument that lets only a request with the session cookie
/// through; any other is answered with the signed-out web page, as Kagi does.
pub(crate) struct SignedIn;

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if state.has_session(&parts.headers) {
            Ok(SignedIn)
        } else {
            Err(pages::logged_out())
        }
    }
}

/// One frame: `tag:payload`, then NUL + LF.
pub(crate) fn frame(tag: &str, payload: &str) -> String {
    format!("{tag}:{payload}\0\n")
}

/// A stream body of `frames`, sent at once.
pub(crate) fn whole(frames: Vec<String>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/vnd.kagi.stream")],
        frames.concat(),
    )
        .into_response()
}

/// One frame of a paced body.
pub(crate) struct Step {
    pub(crate) tag: String,
    pub(crate) payload: String,
    /// Waited before the frame is sent.
    pub(crate) pause: Duration,
    /// Sent only once the gate lets it go.
    pub(crate) held: bool,
}

impl Step {
    /// The frame `tag:payload`, sent at once.
    pub(crate) fn new(tag: &str, payload: impl Into<String>) -> Step {
        Step {
            tag: tag.to_string(),
            payload: payload.into(),
            pause: Duration::ZERO,
            held: false,
        }
    }

    /// Sent `pause` after the frame before it.
    pub(crate) fn after(self, pause: Duration) -> Step {
        Step { pause, ..self }
    }
}

/// A stream body sending `steps` in order, each frame its own chunk after
/// its pause (a held one once `gate` is notified: a notification given
/// before the body waits is kept for it). `sent` hears each frame's tag as
/// it leaves.
pub(crate) fn paced(
    steps: Vec<Step>,
    gate: Arc<Notify>,
    sent: impl FnMut(&str) + Send + 'static,
) -> Response {
    let chunks = futures_util::stream::unfold(
        (steps.into_iter(), gate, sent),
        |(mut steps, gate, mut sent)| async move {
            let step = steps.next()?;
            if !step.pause.is_zero() {
                tokio::time::sleep(step.pause).await;
            }
            if step.held {
                gate.notified().await;
            }
            sent(&step.tag);
            let bytes = Bytes::from(frame(&step.tag, &step.payload));
            Some((Ok::<_, std::io::Error>(bytes), (steps, gate, sent)))
        },
    );
    (
        [(header::CONTENT_TYPE, "application/vnd.kagi.stream")],
        Body::from_stream(chunks),
    )
        .into_response()
}
