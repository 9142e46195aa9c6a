//! Received dossiers (hồ sơ đã nhận): each completed upload is checked with
//! the verifier of `hoso verify`, described by a JSON record, listed for
//! trainers at `/received` (HTML) and `/received.json`, and downloadable.

use crate::store::{self, UploadInfo};
use crate::{zip_entry, AppState};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hoso_core::date::Date;
use hoso_package::human_size;
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{self, BufReader};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};

/// What `received/{id}.json` holds and `/received.json` lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedRecord {
    pub id: String,
    /// Mã hồ sơ: the bag's External-Identifier.
    pub dossier_code: Option<String>,
    pub procedure_code: Option<String>,
    pub procedure: Option<String>,
    /// `applicant.full_name` from dossier.json's answers.
    pub applicant: Option<String>,
    /// `filename` from Upload-Metadata.
    pub filename: Option<String>,
    pub size: u64,
    /// Vietnam time, RFC 3339.
    pub received_at: String,
    pub received_ms: u64,
    /// "intact" or "not intact".
    pub verification: String,
    pub intact: bool,
    /// Why not intact, in Vietnamese.
    pub messages: Vec<String>,
}

/// Verifies the package at `zip` and describes it.
pub(crate) fn receive(zip: &std::path::Path, info: &UploadInfo) -> io::Result<ReceivedRecord> {
    let report = hoso_package::verify(BufReader::new(File::open(zip)?));
    let dossier: Option<serde_json::Value> = zip_entry::read(&mut File::open(zip)?, "data/dossier.json", 1 << 20)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
    let dossier = dossier.as_ref();
    let now = store::now_ms();
    let intact = report.is_intact();
    Ok(ReceivedRecord {
        id: info.id.clone(),
        dossier_code: report.external_identifier.clone().or_else(|| text(dossier.and_then(|d| d.get("dossier_code")))),
        procedure_code: text(dossier.and_then(|d| d.pointer("/procedure/code"))),
        procedure: text(dossier.and_then(|d| d.pointer("/procedure/name"))),
        applicant: text(dossier.and_then(|d| d.get("answers")).and_then(|a| a.get("applicant.full_name"))),
        filename: info.filename.clone(),
        size: info.length,
        received_at: vietnam_time(now),
        received_ms: now,
        verification: if intact { "intact" } else { "not intact" }.to_string(),
        intact,
        messages: report.messages().iter().map(|m| m.vi()).collect(),
    })
}

/// Records left by earlier runs, newest first.
pub(crate) fn load_all(dir: &std::path::Path) -> io::Result<Vec<ReceivedRecord>> {
    let mut list = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            if let Some(r) = fs::read(&path).ok().and_then(|b| serde_json::from_slice::<ReceivedRecord>(&b).ok()) {
                list.push(r);
            }
        }
    }
    list.sort_by_key(|r| std::cmp::Reverse(r.received_ms));
    Ok(list)
}

/// `2026-11-22T14:03:05+07:00`: counters work in Vietnam time (UTC+7, no DST).
fn vietnam_time(unix_ms: u64) -> String {
    let local = (unix_ms / 1000) as i64 + 7 * 3600;
    let d = Date::from_days_from_epoch(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+07:00", d.year, d.month, d.day, s / 3600, s / 60 % 60, s % 60)
}

/// `14:03 22/11/2026` from [`vietnam_time`]'s output.
fn display_time(rfc3339: &str) -> String {
    let (date, time) = rfc3339.split_once('T').unwrap_or((rfc3339, ""));
    let mut ymd = date.split('-');
    let (y, m, d) = (ymd.next().unwrap_or(""), ymd.next().unwrap_or(""), ymd.next().unwrap_or(""));
    format!("{} {d}/{m}/{y}", time.get(..5).unwrap_or(""))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub(crate) async fn json(State(state): State<AppState>) -> Response {
    let body = serde_json::to_string_pretty(&state.received()).expect("plain data");
    no_store(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

pub(crate) async fn page(State(state): State<AppState>) -> Response {
    let list = state.received();
    let mut rows = String::new();
    for r in &list {
        let dash = || "—".to_string();
        let result = if r.intact {
            "<span class=ok>✓ Nguyên vẹn</span>".to_string()
        } else {
            let reasons: String = r.messages.iter().map(|m| format!("<li>{}</li>", escape(m))).collect();
            format!("<span class=bad>✗ Không nguyên vẹn</span><ul>{reasons}</ul>")
        };
        rows += &format!(
            "<tr><td><a href=\"/received/{id}\" download>{code}</a></td><td>{proc}</td><td>{who}</td><td class=num>{size}</td><td>{at}</td><td>{result}</td></tr>\n",
            id = r.id,
            code = escape(r.dossier_code.as_deref().unwrap_or("(không có mã)")),
            proc = r.procedure.as_deref().map_or_else(dash, escape),
            who = r.applicant.as_deref().map_or_else(dash, escape),
            size = human_size(r.size),
            at = display_time(&r.received_at),
        );
    }
    if list.is_empty() {
        rows = "<tr><td colspan=6>Chưa nhận hồ sơ nào.</td></tr>\n".into();
    }
    let html = format!(
        r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hồ sơ đã nhận</title>
<style>
body{{font-family:system-ui,sans-serif;margin:1.5rem;color:#111}}
table{{border-collapse:collapse;width:100%}}
th,td{{border:1px solid #999;padding:.35rem .5rem;text-align:left;vertical-align:top}}
th{{background:#eee}} .num{{text-align:right;white-space:nowrap}}
.ok{{color:#05620f;font-weight:bold}} .bad{{color:#a00;font-weight:bold}} ul{{margin:.2rem 0 0 1rem;padding:0}}
@media print{{a{{color:inherit;text-decoration:none}} th{{background:none}}}}
</style></head><body>
<h1>Hồ sơ đã nhận</h1>
<p>{n} hồ sơ. Bấm mã hồ sơ để tải gói .zip.</p>
<table><thead><tr><th>Mã hồ sơ</th><th>Thủ tục</th><th>Người nộp</th><th>Dung lượng</th><th>Thời điểm</th><th>Kết quả kiểm tra</th></tr></thead>
<tbody>
{rows}</tbody></table>
</body></html>
"#,
        n = list.len()
    );
    no_store(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

pub(crate) async fn download(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let record = store::is_id(&id).then(|| state.inner.received_record(&id)).flatten();
    let file = match record {
        Some(_) => tokio::fs::File::open(state.inner.received_path(&id)).await.ok(),
        None => None,
    };
    let (Some(record), Some(file)) = (record, file) else {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Không tìm thấy hồ sơ này.\n")
            .into_response();
    };
    // ASCII only: dossier codes are, and a header must be.
    let name: String = record
        .dossier_code
        .unwrap_or(record.id)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    let mut r = Response::new(Body::new(FileBody { file, buf: vec![0; 64 * 1024] }));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(record.size));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.zip\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    no_store(r)
}

/// Streams a file in 64 KiB frames, so a 200 MB package is never in memory.
struct FileBody {
    file: tokio::fs::File,
    buf: Vec<u8>,
}

impl http_body::Body for FileBody {
    type Data = axum::body::Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<http_body::Frame<Self::Data>, io::Error>>> {
        let this = self.get_mut();
        let mut rb = ReadBuf::new(&mut this.buf);
        match Pin::new(&mut this.file).poll_read(cx, &mut rb) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) if rb.filled().is_empty() => Poll::Ready(None),
            Poll::Ready(Ok(())) => Poll::Ready(Some(Ok(http_body::Frame::data(axum::body::Bytes::copy_from_slice(rb.filled()))))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_time_is_utc_plus_seven() {
        // 2026-11-22T07:03:05Z
        let ms = 1_795_330_985_000;
        assert_eq!(vietnam_time(ms), "2026-11-22T14:03:05+07:00");
        assert_eq!(display_time(&vietnam_time(ms)), "14:03 22/11/2026");
    }

    #[test]
    fn escape_html() {
        assert_eq!(escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
