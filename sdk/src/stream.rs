//! Kagi's stream format (`application/vnd.kagi.stream`): frames `tag:payload`,
//! each ended by NUL + LF. [`FrameReader`] splits frames as chunks arrive, so
//! answers can be printed while they stream.

/// One frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub tag: String,
    pub payload: String,
}

/// Accumulates chunks and yields complete frames.
#[derive(Debug, Default)]
pub struct FrameReader {
    buffer: Vec<u8>,
}

impl FrameReader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a chunk and returns the frames it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Frame> {
        self.buffer.extend_from_slice(chunk);
        let mut frames = Vec::new();
        let mut start = 0;
        while let Some(pos) = self.buffer[start..].windows(2).position(|w| w == b"\0\n") {
            if let Some(frame) = parse_frame(&self.buffer[start..start + pos]) {
                frames.push(frame);
            }
            start += pos + 2;
        }
        self.buffer.drain(..start);
        frames
    }

    /// The last frame when the body ends without a terminator.
    pub fn finish(self) -> Option<Frame> {
        parse_frame(&self.buffer)
    }
}

/// Every frame of a complete body.
pub fn frames(body: &[u8]) -> Vec<Frame> {
    let mut reader = FrameReader::new();
    let mut frames = reader.push(body);
    frames.extend(reader.finish());
    frames
}

fn parse_frame(bytes: &[u8]) -> Option<Frame> {
    let text = String::from_utf8_lossy(bytes);
    if text.trim().is_empty() {
        return None;
    }
    let (tag, payload) = text.split_once(':')?;
    Some(Frame {
        tag: tag.trim().to_string(),
        payload: payload.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_frames_across_chunks() {
        let mut r = FrameReader::new();
        assert!(r.push(b"hi:{\"v\":1}\0").is_empty());
        let f = r.push(b"\nok:null\0\nnoise\0\n  \0\nnew_message.json:{\"a\":\"b:c\"}");
        assert_eq!(
            f,
            vec![
                Frame {
                    tag: "hi".into(),
                    payload: "{\"v\":1}".into()
                },
                Frame {
                    tag: "ok".into(),
                    payload: "null".into()
                },
            ]
        );
        assert_eq!(r.finish().unwrap().payload, "{\"a\":\"b:c\"}");
        assert_eq!(frames(b"a:1\0\nb:2\0\n").len(), 2);
    }
}
