//! tus 1.0, static files and the received list, against the router
//! (no sockets).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use base64::Engine;
use common::{noise, package, tampered};
use hoso_server::{router, AppState, Limits};
use sha2::Digest;
use std::path::Path;
use std::time::Duration;
use tower::ServiceExt;

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(|v| v.to_str().unwrap()).unwrap_or_else(|| panic!("no {name}"))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

struct Harness {
    app: Router,
    state: AppState,
    dir: tempfile::TempDir,
}

impl Harness {
    fn new(limits: Limits) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let app_dir = dir.path().join("dist");
        make_app(&app_dir);
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let state = AppState::open(&common::config(&dir.path().join("data"), &app_dir, limits)).unwrap();
        Harness { app: router(state.clone()), state, dir }
    }

    async fn call(&self, method: &str, uri: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Reply {
        let mut req = Request::builder().method(method).uri(uri).header("host", "127.0.0.1:8080");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self.app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let (parts, body) = res.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.unwrap().to_vec();
        Reply { status: parts.status, headers: parts.headers, body }
    }

    async fn create(&self, length: usize) -> String {
        let len = length.to_string();
        let r = self
            .call("POST", "/files/", &[TUS, ("upload-length", &len), ("upload-metadata", "filename aG9zby56aXA=")], vec![])
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.header("location").to_string()
    }

    async fn patch(&self, at: &str, offset: u64, bytes: &[u8], extra: &[(&str, &str)]) -> Reply {
        let off = offset.to_string();
        let mut headers = vec![TUS, OCTETS, ("upload-offset", off.as_str())];
        headers.extend_from_slice(extra);
        self.call("PATCH", at, &headers, bytes.to_vec()).await
    }

    async fn offset(&self, at: &str) -> u64 {
        let r = self.call("HEAD", at, &[TUS], vec![]).await;
        assert_eq!(r.status, StatusCode::OK);
        r.header("upload-offset").parse().unwrap()
    }

    async fn upload(&self, bytes: &[u8]) -> String {
        let at = self.create(bytes.len()).await;
        let r = self.patch(&at, 0, bytes, &[]).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        at
    }
}

const TUS: (&str, &str) = ("tus-resumable", "1.0.0");
const OCTETS: (&str, &str) = ("content-type", "application/offset+octet-stream");

fn make_app(dir: &Path) {
    std::fs::create_dir_all(dir.join("icons")).unwrap();
    for (name, content) in [
        ("index.html", "<!doctype html><title>hoso</title>"),
        ("sw.js", "self.addEventListener('fetch', () => {});"),
        ("hoso-app-0123456789abcdef.js", "export default 1;"),
        ("hoso-app-0123456789abcdef_bg.wasm", "\0asm"),
        ("app-fedcba9876543210.css", "body{}"),
        ("manifest.webmanifest", "{}"),
        ("icons/icon.svg", "<svg/>"),
    ] {
        std::fs::write(dir.join(name), content).unwrap();
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn small() -> Limits {
    Limits { max_upload: 1 << 20, max_chunk: 64 << 10, ..Limits::default() }
}

#[tokio::test]
async fn options_advertise_the_protocol() {
    let h = Harness::new(small());
    let r = h.call("OPTIONS", "/files/", &[], vec![]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.header("tus-version"), "1.0.0");
    assert_eq!(r.header("tus-resumable"), "1.0.0");
    assert_eq!(r.header("tus-extension"), "creation,checksum,termination,expiration");
    assert_eq!(r.header("tus-checksum-algorithm"), "sha1,sha256");
    assert_eq!(r.header("tus-max-size"), (1 << 20).to_string());
}

#[tokio::test]
async fn creation_offsets_and_conflicts() {
    let h = Harness::new(small());
    let data = noise(100_000, 1);
    let at = h.create(data.len()).await;
    assert!(at.starts_with("/files/") && at.len() == 7 + 32, "{at}");
    let head = h.call("HEAD", &at, &[TUS], vec![]).await;
    assert_eq!(head.header("upload-offset"), "0");
    assert_eq!(head.header("upload-length"), "100000");
    assert_eq!(head.header("upload-metadata"), "filename aG9zby56aXA=");
    assert_eq!(head.header("cache-control"), "no-store");

    let r = h.patch(&at, 0, &data[..40_000], &[]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.header("upload-offset"), "40000");
    assert!(r.headers.contains_key("upload-expires"));
    assert_eq!(h.offset(&at).await, 40_000);

    // A client that lost the answer and resends from 0 is told the truth.
    let r = h.patch(&at, 0, &data[..40_000], &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("40000"), "{}", r.text());
    assert_eq!(h.offset(&at).await, 40_000);

    let r = h.patch(&at, 40_000, &data[40_000..], &[]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(h.offset(&at).await, 100_000);
    // Repeating the last PATCH (its answer lost) is harmless.
    assert_eq!(h.patch(&at, 100_000, b"", &[]).await.status, StatusCode::NO_CONTENT);

    assert_eq!(h.call("POST", "/files/", &[TUS], vec![]).await.status, StatusCode::BAD_REQUEST, "no Upload-Length");
    assert_eq!(h.call("POST", "/files/", &[TUS, ("upload-length", "-1")], vec![]).await.status, StatusCode::BAD_REQUEST);
    let bad_meta = h.call("POST", "/files/", &[TUS, ("upload-length", "5"), ("upload-metadata", "filename @@@")], vec![]).await;
    assert_eq!(bad_meta.status, StatusCode::BAD_REQUEST);
    assert!(bad_meta.text().contains("Upload-Metadata"));
}

#[tokio::test]
async fn checksum_mismatch_discards_the_chunk() {
    let h = Harness::new(small());
    let data = noise(50_000, 2);
    let at = h.create(data.len()).await;
    let (first, rest) = data.split_at(20_000);

    let wrong256 = format!("sha256 {}", b64(&sha2::Sha256::digest(b"other")));
    let r = h.patch(&at, 0, first, &[("upload-checksum", &wrong256)]).await;
    assert_eq!(r.status.as_u16(), 460);
    assert!(r.text().contains("mã kiểm tra không khớp"), "{}", r.text());
    assert_eq!(h.offset(&at).await, 0);

    let right256 = format!("sha256 {}", b64(&sha2::Sha256::digest(first)));
    assert_eq!(h.patch(&at, 0, first, &[("upload-checksum", &right256)]).await.status, StatusCode::NO_CONTENT);
    assert_eq!(h.offset(&at).await, 20_000);

    let wrong1 = format!("sha1 {}", b64(&sha1::Sha1::digest(b"other")));
    assert_eq!(h.patch(&at, 20_000, rest, &[("upload-checksum", &wrong1)]).await.status.as_u16(), 460);
    assert_eq!(h.offset(&at).await, 20_000);
    let unknown = h.patch(&at, 20_000, rest, &[("upload-checksum", "md5 1B2M2Y8AsgTpgAmY7PhCfg==")]).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

    let right1 = format!("sha1 {}", b64(&sha1::Sha1::digest(rest)));
    assert_eq!(h.patch(&at, 20_000, rest, &[("upload-checksum", &right1)]).await.status, StatusCode::NO_CONTENT);
    let id = at.trim_start_matches("/files/");
    let stored = std::fs::read(h.dir.path().join(format!("data/received/{id}.zip"))).unwrap();
    assert_eq!(stored, data);
}

#[tokio::test]
async fn version_size_and_type_refusals() {
    let h = Harness::new(small());
    for version in [None, Some("0.2.2"), Some("2.0.0")] {
        let mut headers = vec![("upload-length", "10")];
        headers.extend(version.map(|v| ("tus-resumable", v)));
        let r = h.call("POST", "/files/", &headers, vec![]).await;
        assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{version:?}");
        assert_eq!(r.header("tus-version"), "1.0.0");
    }

    let r = h.call("POST", "/files/", &[TUS, ("upload-length", "1048577")], vec![]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("tối đa"), "{}", r.text());

    let at = h.create(200_000).await;
    let r = h.patch(&at, 0, &noise(70_000, 3), &[]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "chunk over max_chunk");
    assert!(r.text().contains("Mỗi lần gửi"), "{}", r.text());
    let at2 = h.create(10).await;
    assert_eq!(h.patch(&at2, 0, &[1; 11], &[]).await.status, StatusCode::PAYLOAD_TOO_LARGE, "past Upload-Length");
    assert_eq!(h.offset(&at2).await, 0);

    let r = h.call("PATCH", &at, &[TUS, ("upload-offset", "0"), ("content-type", "application/octet-stream")], vec![1; 10]).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.text().contains("application/offset+octet-stream"));
    assert_eq!(h.offset(&at).await, 0);
}

#[tokio::test]
async fn termination_and_unknown_uploads() {
    let h = Harness::new(small());
    let at = h.create(1000).await;
    h.patch(&at, 0, &[7; 500], &[]).await;
    let id = at.trim_start_matches("/files/").to_string();
    assert!(h.dir.path().join(format!("data/uploads/{id}.bin")).exists());
    assert_eq!(h.call("DELETE", &at, &[TUS], vec![]).await.status, StatusCode::NO_CONTENT);
    assert!(!h.dir.path().join(format!("data/uploads/{id}.bin")).exists());
    assert_eq!(h.call("HEAD", &at, &[TUS], vec![]).await.status, StatusCode::GONE);
    assert_eq!(h.patch(&at, 500, &[7; 10], &[]).await.status, StatusCode::GONE);
    assert_eq!(h.call("DELETE", &at, &[TUS], vec![]).await.status, StatusCode::GONE);

    let unknown = format!("/files/{}", "0".repeat(32));
    assert_eq!(h.call("HEAD", &unknown, &[TUS], vec![]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(h.call("HEAD", "/files/..%2f..%2fCargo.toml", &[TUS], vec![]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(h.patch(&unknown, 0, b"x", &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn expired_uploads_are_gone_and_swept() {
    let h = Harness::new(Limits { expire_after: Duration::from_millis(600), ..small() });
    let a = h.create(100).await;
    let b = h.create(100).await;
    let r = h.call("HEAD", &a, &[TUS], vec![]).await;
    let expires = httpdate::parse_http_date(r.header("upload-expires")).unwrap();
    assert!(expires <= std::time::SystemTime::now() + Duration::from_secs(2));
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(h.call("HEAD", &a, &[TUS], vec![]).await.status, StatusCode::GONE);
    assert_eq!(h.state.sweep(), 1, "b is removed by the sweep");
    let uploads: Vec<_> = std::fs::read_dir(h.dir.path().join("data/uploads")).unwrap().collect();
    assert!(uploads.is_empty(), "{uploads:?}");
    assert_eq!(h.patch(&b, 0, &[1; 100], &[]).await.status, StatusCode::GONE);
}

#[tokio::test]
async fn limits_on_uploads_in_progress_and_disk() {
    let h = Harness::new(Limits { max_in_progress: 2, max_disk: 2_500, ..small() });
    h.create(1000).await;
    let r = h.call("POST", "/files/", &[TUS, ("upload-length", "1000")], vec![]).await;
    assert_eq!(r.status.as_u16(), 201);
    let r = h.call("POST", "/files/", &[TUS, ("upload-length", "10")], vec![]).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.text().contains("quá nhiều hồ sơ"), "{}", r.text());

    let h = Harness::new(Limits { max_disk: 2_500, ..small() });
    h.create(2000).await;
    let r = h.call("POST", "/files/", &[TUS, ("upload-length", "1000")], vec![]).await;
    assert_eq!(r.status, StatusCode::INSUFFICIENT_STORAGE);
    assert!(r.text().contains("hết chỗ"), "{}", r.text());
}

#[tokio::test]
async fn cors_only_for_the_same_origin() {
    let h = Harness::new(small());
    let r = h
        .call("OPTIONS", "/files/", &[("origin", "http://127.0.0.1:8080"), ("access-control-request-method", "POST")], vec![])
        .await;
    assert_eq!(r.header("access-control-allow-origin"), "http://127.0.0.1:8080");
    assert!(r.header("access-control-allow-headers").contains("Upload-Offset"));
    let r = h.call("POST", "/files/", &[TUS, ("upload-length", "5"), ("origin", "http://127.0.0.1:8080")], vec![]).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(r.header("access-control-expose-headers").contains("Location"));
    for (method, origin) in [("OPTIONS", "https://evil.example"), ("POST", "http://localhost:8080"), ("POST", "null")] {
        let r = h.call(method, "/files/", &[TUS, ("upload-length", "5"), ("origin", origin)], vec![]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{origin}");
        assert!(!r.headers.contains_key("access-control-allow-origin"));
    }
}

#[tokio::test]
async fn static_app_types_cache_and_no_way_out() {
    let h = Harness::new(small());
    for (path, mime, cache) in [
        ("/", "text/html; charset=utf-8", "no-cache"),
        ("/index.html", "text/html; charset=utf-8", "no-cache"),
        ("/sw.js", "text/javascript; charset=utf-8", "no-cache"),
        ("/hoso-app-0123456789abcdef_bg.wasm", "application/wasm", "public, max-age=31536000, immutable"),
        ("/hoso-app-0123456789abcdef.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"),
        ("/app-fedcba9876543210.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable"),
        ("/manifest.webmanifest", "application/manifest+json", "no-cache"),
        ("/icons/icon.svg", "image/svg+xml", "no-cache"),
    ] {
        let r = h.call("GET", path, &[], vec![]).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.header("content-type"), mime, "{path}");
        assert_eq!(r.header("cache-control"), cache, "{path}");
    }
    let r = h.call("GET", "/sw.js", &[], vec![]).await;
    let again = h.call("GET", "/sw.js", &[("if-none-match", r.header("etag"))], vec![]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/secret.txt",
        "/../secret.txt",
        "/icons/../../secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/nope.js",
    ] {
        let r = h.call("GET", path, &[], vec![]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.text().contains("secret") && !r.text().contains("[package]"), "{path}");
    }
    assert_eq!(h.call("POST", "/index.html", &[], vec![]).await.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[cfg(unix)]
#[tokio::test]
async fn symlinks_do_not_lead_out_of_the_app() {
    let h = Harness::new(small());
    std::os::unix::fs::symlink(h.dir.path().join("secret.txt"), h.dir.path().join("dist/leak.txt")).unwrap();
    assert_eq!(h.call("GET", "/leak.txt", &[], vec![]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn completed_packages_are_verified_and_listed() {
    let h = Harness::new(small());
    let good = package("HOSO-261122-0001", "Trần Văn Bình", 30_000, 4);
    let bad = tampered(package("HOSO-261122-0002", "Lê Thị Cúc", 30_000, 5));
    let at_good = h.upload(&good).await;
    h.upload(&bad).await;
    h.upload(b"not a zip").await;

    let r = h.call("GET", "/received.json", &[], vec![]).await;
    assert_eq!(r.header("content-type"), "application/json");
    let list: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    let find = |code: &str| list.iter().find(|e| e["dossier_code"] == code).unwrap_or_else(|| panic!("{code}: {list:?}")).clone();
    let g = find("HOSO-261122-0001");
    assert_eq!(g["verification"], "intact");
    assert_eq!(g["intact"], true);
    assert_eq!(g["procedure"], "Đăng ký khai sinh");
    assert_eq!(g["applicant"], "Trần Văn Bình");
    assert_eq!(g["filename"], "hoso.zip");
    assert_eq!(g["size"], good.len());
    let b = find("HOSO-261122-0002");
    assert_eq!(b["verification"], "not intact");
    assert_eq!(b["applicant"], "Lê Thị Cúc");
    let reasons = b["messages"].to_string();
    assert!(reasons.contains("02-giay-chung-sinh.pdf") && reasons.contains("SHA-256 không khớp"), "{reasons}");
    let junk = list.iter().find(|e| e["dossier_code"].is_null()).unwrap();
    assert_eq!(junk["intact"], false);
    assert!(junk["messages"].to_string().contains("không phải gói hồ sơ"));

    let page = h.call("GET", "/received", &[], vec![]).await;
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    let html = page.text();
    for needle in ["Mã hồ sơ", "Người nộp", "HOSO-261122-0001", "Trần Văn Bình", "✓", "✗", "SHA-256 không khớp"]
    {
        assert!(html.contains(needle), "{needle}");
    }

    let id = at_good.trim_start_matches("/files/");
    let zip = h.call("GET", &format!("/received/{id}"), &[], vec![]).await;
    assert_eq!(zip.header("content-type"), "application/zip");
    assert!(zip.header("content-disposition").contains("HOSO-261122-0001.zip"));
    assert_eq!(zip.body, good);
    assert_eq!(h.call("GET", "/received/../../Cargo.toml", &[], vec![]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(h.call("GET", &format!("/received/{}", "f".repeat(32)), &[], vec![]).await.status, StatusCode::NOT_FOUND);

    // The list survives a restart.
    let again = AppState::open(&common::config(&h.dir.path().join("data"), &h.dir.path().join("dist"), small())).unwrap();
    assert_eq!(again.received().len(), 3);
}
