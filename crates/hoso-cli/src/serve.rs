//! `hoso serve`: the practice portal and drop-box (see the hoso-server crate).

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; loopback unless you mean to open it to the LAN.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Folder for uploads in progress and received dossiers.
    #[arg(long, default_value = "hoso-data")]
    pub data: PathBuf,
    /// The built web app (Trunk's dist/).
    #[arg(long, default_value = "dist")]
    pub app: PathBuf,
    /// Largest package accepted, in MB.
    #[arg(long, default_value_t = 200)]
    pub max_upload_mb: u64,
    /// Disk the data folder may use, in MB.
    #[arg(long, default_value_t = 20_000)]
    pub max_disk_mb: u64,
}

/// Runs the server until Ctrl+C; the error is a Vietnamese sentence.
pub fn run(args: ServeArgs) -> Result<(), String> {
    let config = hoso_server::ServerConfig {
        addr: args.addr,
        data_dir: args.data,
        app_dir: args.app,
        limits: hoso_server::Limits {
            max_upload: args.max_upload_mb * 1_000_000,
            max_disk: args.max_disk_mb * 1_000_000,
            ..hoso_server::Limits::default()
        },
    };
    if !config.app_dir.join("index.html").is_file() {
        eprintln!(
            "hoso serve: chưa có ứng dụng đã dựng trong {} (chạy `trunk build --release`); vẫn nhận hồ sơ.",
            config.app_dir.display()
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("không khởi động được máy chủ: {e}"))?;
    let addr = config.addr;
    runtime.block_on(hoso_server::serve(config)).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => format!("địa chỉ {addr} đang được dùng bởi chương trình khác"),
        _ => format!("máy chủ dừng vì lỗi: {e}"),
    })
}
