//! Sending a package to a tus 1.0 server (gửi hồ sơ), as pure logic: what
//! to ask next, what an answer means, how long to wait after a failure,
//! and how fast the line really is. The browser's fetch wrapper performs
//! the requests; everything deciding lives here so it is tested natively.
//!
//! A [`Session`] is driven in a loop: take [`Session::next`], perform it,
//! feed the answer back (`on_created`, `on_head`, `on_patch`,
//! `on_network_error`) and follow the returned [`After`].

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::VecDeque;

/// Smallest and largest chunk a client may choose.
pub const MIN_CHUNK: usize = 1024;
pub const MAX_CHUNK: usize = 8 << 20;
/// 128 KB: a few seconds per chunk on a 256 kbit/s line, so a cut loses little.
pub const DEFAULT_CHUNK: usize = 128 * 1024;
/// A chunk refused for its checksum (460) is resent at once this many
/// times; after that it waits like any other failure.
const CHECKSUM_RETRIES: u32 = 3;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (RFC 4648 §4), as tus headers use.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `Upload-Metadata`: the file name and the dossier code, each base64.
pub fn metadata_header(filename: &str, dossier_code: &str) -> String {
    format!(
        "filename {},dossier_code {}",
        base64(filename.as_bytes()),
        base64(dossier_code.as_bytes())
    )
}

/// `Upload-Checksum` of one chunk: `sha256 <base64 digest>`.
pub fn checksum_header(chunk: &[u8]) -> String {
    format!("sha256 {}", base64(&Sha256::digest(chunk)))
}

/// A chunk size the client accepts, from what a user typed (in KB).
pub fn chunk_size_from_kb(kb: u64) -> usize {
    (kb.saturating_mul(1024).min(MAX_CHUNK as u64) as usize).max(MIN_CHUNK)
}

/// How long a PATCH of `chunk_len` bytes may go unanswered before it is
/// cut and retried: 45 s plus the chunk at 4 KB/s, so a stalled line is
/// noticed but a big chunk on a slow one is not cut for being big.
pub fn stall_ms(chunk_len: u64) -> u32 {
    (45_000 + chunk_len / 4).min(u64::from(u32::MAX)) as u32
}

/// Exponential backoff with jitter: attempt n waits a random time in
/// `[d/2, d]` with `d = min(max, base·2ⁿ⁻¹)`, so counters that lost the
/// same line do not all come back in the same second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub base_ms: u64,
    pub max_ms: u64,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            base_ms: 1_000,
            max_ms: 60_000,
        }
    }
}

impl Backoff {
    /// `attempt` counts from 1; `unit` is a random number in `[0, 1)`.
    pub fn delay_ms(&self, attempt: u32, unit: f64) -> u64 {
        let ceiling = self
            .base_ms
            .saturating_mul(1u64 << attempt.saturating_sub(1).min(30))
            .min(self.max_ms);
        let floor = ceiling / 2;
        floor + ((ceiling - floor) as f64 * unit.clamp(0.0, 1.0)) as u64
    }
}

/// What an upload in progress leaves in the browser's storage, so a reload
/// or a reboot resumes at the server's offset instead of from zero.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub url: String,
    /// Lowercase hex SHA-256 of the whole package.
    pub sha256: String,
    pub length: u64,
    /// Last offset the server acknowledged.
    pub offset: u64,
    /// The server has all bytes.
    pub done: bool,
    /// The clerk paused it: do not resume on reopening.
    #[serde(default)]
    pub paused: bool,
}

/// Where a send starts, given what was saved for this dossier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// Ask the server where this upload stands (HEAD), then continue.
    Resume { url: String },
    /// A new upload; an older one for different bytes may be cancelled.
    Fresh { stale_url: Option<String> },
}

/// Resume only an upload of exactly these bytes: the same package re-made
/// from the stored draft has the same hash; a changed one does not.
pub fn start_from(saved: Option<&Saved>, sha256: &str, length: u64) -> Start {
    match saved {
        Some(s) if s.sha256 == sha256 && s.length == length => Start::Resume { url: s.url.clone() },
        Some(s) => Start::Fresh {
            stale_url: Some(s.url.clone()),
        },
        None => Start::Fresh { stale_url: None },
    }
}

/// The next request of a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// POST to the endpoint with `Upload-Length`.
    Create,
    /// HEAD the upload URL to learn the offset.
    Head { url: String },
    /// PATCH `bytes[offset..end]`.
    Patch { url: String, offset: u64, end: u64 },
    /// Every byte is acknowledged.
    Done,
}

/// What to do after an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum After {
    /// Go on with [`Session::next`] now.
    Continue,
    /// Progress was acknowledged: save it, then go on.
    Saved,
    /// Wait this long (the line or the server is down), then go on.
    Wait { ms: u64, attempt: u32 },
    /// The server refused for good; the status and its reason are shown.
    Fail { status: u16 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Position {
    NoUpload,
    /// The offset is not known (after a cut or a reload).
    Unknown,
    At(u64),
}

/// One package being sent: the upload URL, the acknowledged offset and
/// the failures since the last progress.
#[derive(Clone, Debug)]
pub struct Session {
    pub length: u64,
    pub chunk: usize,
    pub url: Option<String>,
    position: Position,
    /// Consecutive failures, for the backoff.
    failures: u32,
    checksum_failures: u32,
    backoff: Backoff,
    rng: u64,
}

impl Session {
    /// `seed` feeds the jitter (any value; tests fix it).
    pub fn new(length: u64, chunk: usize, start: &Start, seed: u64) -> Session {
        let (url, position) = match start {
            Start::Resume { url } => (Some(url.clone()), Position::Unknown),
            Start::Fresh { .. } => (None, Position::NoUpload),
        };
        Session {
            length,
            chunk: chunk.clamp(MIN_CHUNK, MAX_CHUNK),
            url,
            position,
            failures: 0,
            checksum_failures: 0,
            backoff: Backoff::default(),
            rng: mix(seed) | 1,
        }
    }

    pub fn with_backoff(mut self, backoff: Backoff) -> Session {
        self.backoff = backoff;
        self
    }

    /// Bytes the server has acknowledged (0 while unknown).
    pub fn offset(&self) -> u64 {
        match self.position {
            Position::At(o) => o,
            _ => 0,
        }
    }

    pub fn next(&self) -> Op {
        match (&self.position, &self.url) {
            (Position::At(o), _) if *o >= self.length => Op::Done,
            (Position::NoUpload, _) | (_, None) => Op::Create,
            (Position::Unknown, Some(url)) => Op::Head { url: url.clone() },
            (Position::At(o), Some(url)) => Op::Patch {
                url: url.clone(),
                offset: *o,
                end: (*o + self.chunk as u64).min(self.length),
            },
        }
    }

    /// The record to keep in storage, once an upload exists.
    pub fn saved(&self, sha256: &str, paused: bool) -> Option<Saved> {
        Some(Saved {
            url: self.url.clone()?,
            sha256: sha256.to_string(),
            length: self.length,
            offset: self.offset(),
            done: matches!(self.next(), Op::Done),
            paused,
        })
    }

    /// Answer to the POST: `location` is the new upload's absolute URL.
    pub fn on_created(&mut self, status: u16, location: Option<String>) -> After {
        match (status, location) {
            (201, Some(url)) => {
                self.url = Some(url);
                self.position = Position::At(0);
                self.progressed();
                After::Saved
            }
            (s, _) => self.refused(s),
        }
    }

    /// Answer to the HEAD.
    pub fn on_head(&mut self, status: u16, offset: Option<u64>, length: Option<u64>) -> After {
        match (status, offset) {
            (200 | 204, Some(o)) if o <= self.length && length.is_none_or(|l| l == self.length) => {
                self.position = Position::At(o);
                self.failures = 0;
                After::Saved
            }
            // Another upload's length, an offset past the end, or none at all.
            (200 | 204, _) | (404 | 410, _) => self.recreate(),
            (s, _) => self.refused(s),
        }
    }

    /// Answer to the PATCH of `sent..end`.
    pub fn on_patch(&mut self, status: u16, offset: Option<u64>) -> After {
        let Op::Patch {
            offset: sent, end, ..
        } = self.next()
        else {
            return After::Continue;
        };
        match (status, offset) {
            // Only an offset inside what was sent is believable.
            (200 | 204, Some(o)) if o > sent && o <= end => {
                self.position = Position::At(o);
                self.checksum_failures = 0;
                self.progressed();
                After::Saved
            }
            (200 | 204, _) => {
                self.position = Position::Unknown;
                self.wait()
            }
            // The chunk arrived damaged: the same bytes again, a few times at once.
            (460, _) => {
                self.checksum_failures += 1;
                if self.checksum_failures <= CHECKSUM_RETRIES {
                    After::Continue
                } else {
                    self.wait()
                }
            }
            // The server holds a different offset: ask it, then continue from there.
            (409, _) => {
                self.position = Position::Unknown;
                After::Continue
            }
            (404 | 410, _) => self.recreate(),
            (s, _) => self.refused(s),
        }
    }

    /// The request never got an answer: the chunk may or may not have
    /// arrived, so the offset is asked again after the wait.
    pub fn on_network_error(&mut self) -> After {
        if self.url.is_some() {
            self.position = Position::Unknown;
        }
        self.wait()
    }

    fn progressed(&mut self) {
        self.failures = 0;
    }

    /// Gone or expired on the server: start again with a new upload.
    fn recreate(&mut self) -> After {
        self.url = None;
        self.position = Position::NoUpload;
        After::Continue
    }

    /// Busy, overloaded or failing servers are waited for; a refusal of
    /// the request itself will not change by retrying.
    fn refused(&mut self, status: u16) -> After {
        match status {
            408 | 423 | 429 | 500..=599 => {
                if self.url.is_some() {
                    self.position = Position::Unknown;
                }
                self.wait()
            }
            s => After::Fail { status: s },
        }
    }

    fn wait(&mut self) -> After {
        self.failures += 1;
        // xorshift64: enough randomness for jitter, reproducible in tests.
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        let unit = (self.rng >> 11) as f64 / (1u64 << 53) as f64;
        After::Wait {
            ms: self.backoff.delay_ms(self.failures, unit),
            attempt: self.failures,
        }
    }
}

/// SplitMix64's finalizer: nearby seeds (1, 2, 3…) give unrelated jitter.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Speed of the line from acknowledged chunks only: time spent waiting
/// after a cut is not the line's speed, so it is left out.
#[derive(Clone, Debug, Default)]
pub struct RateMeter {
    /// (bytes, milliseconds) of recent acknowledged chunks.
    samples: VecDeque<(u64, f64)>,
}

/// Recent chunks that make up the speed.
const RATE_WINDOW: usize = 8;

impl RateMeter {
    pub fn record(&mut self, bytes: u64, ms: f64) {
        if self.samples.len() == RATE_WINDOW {
            self.samples.pop_front();
        }
        self.samples.push_back((bytes, ms.max(1.0)));
    }

    pub fn bytes_per_second(&self) -> Option<f64> {
        let (bytes, ms) = self
            .samples
            .iter()
            .fold((0u64, 0f64), |(b, t), (sb, st)| (b + sb, t + st));
        (bytes > 0).then(|| bytes as f64 * 1000.0 / ms)
    }

    /// Whole seconds to send `remaining` bytes at the measured speed.
    pub fn eta_seconds(&self, remaining: u64) -> Option<u64> {
        let speed = self.bytes_per_second()?;
        Some((remaining as f64 / speed).ceil() as u64)
    }
}

/// Percent done, rounded down so 100 means every byte.
pub fn percent(offset: u64, length: u64) -> u32 {
    (offset.min(length) * 100)
        .checked_div(length)
        .map_or(100, |p| p as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn checksum_header_is_sha256_base64() {
        // The digest of nothing, as the server's own test vector.
        assert_eq!(
            checksum_header(b""),
            "sha256 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        let h = checksum_header(b"hello");
        assert!(h.starts_with("sha256 ") && h.len() == 7 + 44 && h.ends_with('='));
    }

    #[test]
    fn metadata_has_filename_and_code() {
        assert_eq!(
            metadata_header("a.zip", "H1"),
            "filename YS56aXA=,dossier_code SDE="
        );
        // Vietnamese names travel as UTF-8.
        assert_eq!(
            metadata_header("hồ", "x"),
            format!("filename {},dossier_code eA==", base64("hồ".as_bytes()))
        );
    }

    #[test]
    fn chunk_size_is_bounded() {
        assert_eq!(chunk_size_from_kb(0), MIN_CHUNK);
        assert_eq!(chunk_size_from_kb(16), 16 * 1024);
        assert_eq!(chunk_size_from_kb(1 << 40), MAX_CHUNK);
    }

    #[test]
    fn stall_timeout_grows_with_the_chunk() {
        assert_eq!(stall_ms(0), 45_000);
        assert_eq!(stall_ms(DEFAULT_CHUNK as u64), 45_000 + 32_768);
        // The largest chunk on a 32 KB/s line takes 256 s: not cut.
        assert!(stall_ms(MAX_CHUNK as u64) > 256_000);
    }

    #[test]
    fn backoff_grows_within_bounds() {
        let b = Backoff::default();
        for attempt in 1..40 {
            let d = (b.base_ms << (attempt - 1).min(30)).min(b.max_ms);
            for unit in [0.0, 0.3, 0.999, 1.0] {
                let ms = b.delay_ms(attempt, unit);
                assert!(
                    ms >= d / 2 && ms <= d,
                    "attempt {attempt}: {ms} outside [{}, {d}]",
                    d / 2
                );
            }
        }
        assert_eq!(b.delay_ms(1, 1.0), 1_000);
        assert_eq!(b.delay_ms(3, 0.0), 2_000);
        assert_eq!(b.delay_ms(20, 1.0), 60_000);
    }

    #[test]
    fn jitter_spreads_and_is_reproducible() {
        let mut waits = Vec::new();
        for seed in 1..50u64 {
            let mut s = Session::new(10, MIN_CHUNK, &Start::Fresh { stale_url: None }, seed);
            let After::Wait { ms, attempt } = s.on_network_error() else {
                panic!()
            };
            assert_eq!(attempt, 1);
            assert!((500..=1000).contains(&ms));
            waits.push(ms);
        }
        waits.sort_unstable();
        waits.dedup();
        assert!(waits.len() > 20, "jitter spreads retries: {waits:?}");
        let wait = |seed| {
            Session::new(10, MIN_CHUNK, &Start::Fresh { stale_url: None }, seed).on_network_error()
        };
        assert_eq!(wait(7), wait(7));
    }

    fn saved(sha: &str, length: u64) -> Saved {
        Saved {
            url: "http://h/files/ab".into(),
            sha256: sha.into(),
            length,
            offset: 40,
            done: false,
            paused: false,
        }
    }

    #[test]
    fn resume_only_the_same_bytes() {
        assert_eq!(start_from(None, "aa", 10), Start::Fresh { stale_url: None });
        assert_eq!(
            start_from(Some(&saved("aa", 10)), "aa", 10),
            Start::Resume {
                url: "http://h/files/ab".into()
            }
        );
        assert_eq!(
            start_from(Some(&saved("bb", 10)), "aa", 10),
            Start::Fresh {
                stale_url: Some("http://h/files/ab".into())
            }
        );
        assert_eq!(
            start_from(Some(&saved("aa", 11)), "aa", 10),
            Start::Fresh {
                stale_url: Some("http://h/files/ab".into())
            }
        );
    }

    #[test]
    fn saved_record_round_trips() {
        let s = saved("aa", 10);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Saved>(&json).unwrap(), s);
        // Records written before `paused` existed still read.
        let old = r#"{"url":"u","sha256":"s","length":1,"offset":0,"done":false}"#;
        assert!(!serde_json::from_str::<Saved>(old).unwrap().paused);
    }

    fn patch_of(s: &Session) -> (u64, u64) {
        match s.next() {
            Op::Patch { offset, end, .. } => (offset, end),
            op => panic!("expected a PATCH, got {op:?}"),
        }
    }

    #[test]
    fn fresh_upload_walks_the_chunks() {
        let mut s = Session::new(2500, 1024, &Start::Fresh { stale_url: None }, 1);
        assert_eq!(s.next(), Op::Create);
        assert_eq!(s.on_created(201, Some("u".into())), After::Saved);
        assert_eq!(patch_of(&s), (0, 1024));
        assert_eq!(s.on_patch(204, Some(1024)), After::Saved);
        assert_eq!(patch_of(&s), (1024, 2048));
        assert_eq!(s.on_patch(204, Some(2048)), After::Saved);
        assert_eq!(patch_of(&s), (2048, 2500));
        assert_eq!(s.on_patch(204, Some(2500)), After::Saved);
        assert_eq!(s.next(), Op::Done);
        assert!(s.saved("aa", false).unwrap().done);
    }

    #[test]
    fn partial_acknowledgement_continues_from_the_server_offset() {
        let mut s = Session::new(4096, 2048, &Start::Fresh { stale_url: None }, 1);
        s.on_created(201, Some("u".into()));
        // The server kept only part of the body (a cut without checksum).
        assert_eq!(s.on_patch(204, Some(700)), After::Saved);
        assert_eq!(patch_of(&s), (700, 2748));
        assert_eq!(s.offset(), 700);
        // An offset that goes backwards or past what was sent is not believed.
        assert!(matches!(s.on_patch(204, Some(500)), After::Wait { .. }));
        assert_eq!(s.next(), Op::Head { url: "u".into() });
        assert_eq!(s.on_head(200, Some(700), Some(4096)), After::Saved);
        assert!(matches!(s.on_patch(204, Some(9999)), After::Wait { .. }));
    }

    #[test]
    fn cut_line_asks_the_offset_again_and_backs_off() {
        let mut s = Session::new(4096, 1024, &Start::Fresh { stale_url: None }, 3);
        s.on_created(201, Some("u".into()));
        s.on_patch(204, Some(1024));
        let mut last = 0;
        for attempt in 1..=4 {
            let After::Wait { ms, attempt: a } = s.on_network_error() else {
                panic!()
            };
            assert_eq!(a, attempt);
            assert!(ms >= last / 2, "grows");
            last = ms;
            assert_eq!(s.next(), Op::Head { url: "u".into() });
        }
        // The lost answer had been acknowledged: resume after it, and the backoff resets.
        assert_eq!(s.on_head(200, Some(2048), Some(4096)), After::Saved);
        assert_eq!(patch_of(&s), (2048, 3072));
        assert!(
            matches!(s.on_network_error(), After::Wait { attempt: 1, .. }),
            "backoff starts over"
        );
    }

    #[test]
    fn checksum_mismatch_resends_the_same_chunk() {
        let mut s = Session::new(4096, 1024, &Start::Fresh { stale_url: None }, 1);
        s.on_created(201, Some("u".into()));
        for _ in 0..CHECKSUM_RETRIES {
            assert_eq!(s.on_patch(460, None), After::Continue);
            assert_eq!(patch_of(&s), (0, 1024));
        }
        assert!(matches!(
            s.on_patch(460, None),
            After::Wait { attempt: 1, .. }
        ));
        assert_eq!(patch_of(&s), (0, 1024), "still the same bytes");
    }

    #[test]
    fn conflict_resyncs_with_head() {
        let mut s = Session::new(4096, 1024, &Start::Fresh { stale_url: None }, 1);
        s.on_created(201, Some("u".into()));
        assert_eq!(s.on_patch(409, None), After::Continue);
        assert_eq!(s.next(), Op::Head { url: "u".into() });
        assert_eq!(s.on_head(200, Some(3072), Some(4096)), After::Saved);
        assert_eq!(patch_of(&s), (3072, 4096));
    }

    #[test]
    fn gone_or_expired_uploads_are_recreated() {
        for status in [404, 410] {
            let mut s = Session::new(4096, 1024, &Start::Resume { url: "old".into() }, 1);
            assert_eq!(s.next(), Op::Head { url: "old".into() });
            assert_eq!(s.on_head(status, None, None), After::Continue);
            assert_eq!(s.next(), Op::Create);
            s.on_created(201, Some("new".into()));
            s.on_patch(204, Some(1024));
            assert_eq!(s.on_patch(status, None), After::Continue);
            assert_eq!(s.next(), Op::Create);
            assert_eq!(s.offset(), 0);
        }
        // An upload of another length is not ours to continue.
        let mut s = Session::new(4096, 1024, &Start::Resume { url: "old".into() }, 1);
        assert_eq!(s.on_head(200, Some(10), Some(5000)), After::Continue);
        assert_eq!(s.next(), Op::Create);
    }

    #[test]
    fn resumed_upload_starts_at_the_server_offset() {
        let mut s = Session::new(4096, 1024, &Start::Resume { url: "u".into() }, 1);
        assert_eq!(s.offset(), 0);
        assert_eq!(s.on_head(200, Some(2048), None), After::Saved);
        assert_eq!(patch_of(&s), (2048, 3072));
        let mut done = Session::new(4096, 1024, &Start::Resume { url: "u".into() }, 1);
        done.on_head(200, Some(4096), Some(4096));
        assert_eq!(done.next(), Op::Done);
    }

    #[test]
    fn refusals_fail_and_overload_waits() {
        let mut s = Session::new(4096, 1024, &Start::Fresh { stale_url: None }, 1);
        assert_eq!(s.on_created(413, None), After::Fail { status: 413 });
        assert!(matches!(s.on_created(503, None), After::Wait { .. }));
        assert_eq!(s.next(), Op::Create);
        s.on_created(201, Some("u".into()));
        assert!(matches!(s.on_patch(423, None), After::Wait { .. }));
        assert_eq!(s.next(), Op::Head { url: "u".into() });
        s.on_head(200, Some(0), None);
        assert_eq!(s.on_patch(403, None), After::Fail { status: 403 });
    }

    #[test]
    fn speed_ignores_waiting_and_gives_eta() {
        let mut m = RateMeter::default();
        assert_eq!(m.bytes_per_second(), None);
        assert_eq!(m.eta_seconds(10), None);
        m.record(32_000, 1000.0);
        m.record(32_000, 1000.0);
        assert_eq!(m.bytes_per_second(), Some(32_000.0));
        assert_eq!(m.eta_seconds(64_000), Some(2));
        assert_eq!(m.eta_seconds(64_001), Some(3));
        // Only the recent window counts: the line got faster.
        for _ in 0..RATE_WINDOW {
            m.record(64_000, 500.0);
        }
        assert_eq!(m.bytes_per_second(), Some(128_000.0));
    }

    #[test]
    fn percent_rounds_down() {
        assert_eq!(percent(0, 0), 100);
        assert_eq!(percent(999, 1000), 99);
        assert_eq!(percent(1000, 1000), 100);
        assert_eq!(percent(2000, 1000), 100);
    }
}
