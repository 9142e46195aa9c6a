//! `hoso`: the counter's work from the shell — batch digitization,
//! packaging and verification — through the same crates as the web app.

use clap::{Parser, Subcommand};
use hoso_core::catalog::ComponentKind;
use hoso_core::date::{today_in_vietnam, Date};
use hoso_core::dossier::{ComponentFile, DEFAULT_UNIT};
use hoso_core::form::FormData;
use hoso_core::{text, Catalog};
use hoso_pdf::{render_form, FormMeta};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod due;
mod handoff;

mod serve;
mod qr;
mod receipt;
mod scan;
mod scan_batch;
mod supplement;

#[derive(Parser)]
#[command(name = "hoso", version, about = "Số hóa hồ sơ thủ tục hành chính — digitize Vietnamese administrative dossiers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the procedures of the catalog.
    Catalog {
        #[arg(long)]
        json: bool,
        /// A province's own catalog (same format as data/procedures.json) instead of the built-in one.
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
    },
    /// Fill a procedure's declaration (tờ khai) from a JSON object of answers.
    Form {
        #[arg(long)]
        procedure: String,
        /// JSON object: field key → value, e.g. {"child.full_name": "Nguyễn Thị Ánh"}.
        #[arg(long)]
        data: PathBuf,
        /// Place printed before the date ("Hòa Bình, ngày …").
        #[arg(long, default_value = "")]
        place: String,
        /// Date of the declaration (YYYY-MM-DD or DD/MM/YYYY); today in Vietnam if absent.
        #[arg(long)]
        date: Option<String>,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Digitize a folder: every image or scanner PDF, and every sub-folder of images, becomes one PDF (resumable; index.csv).
    ScanBatch {
        input: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        /// Documents processed at once (default: all cores); with fewer than the cores, each makes its pages in parallel.
        #[arg(long)]
        jobs: Option<usize>,
        #[arg(long, default_value = "auto", value_parser = ["auto", "text", "color", "mixed"])]
        profile: String,
        #[arg(long, default_value = "200", value_parser = ["200", "300"])]
        dpi: String,
        #[arg(long, default_value = "auto", value_parser = ["auto", "a4", "a5", "a3", "letter", "id"])]
        paper: String,
        #[arg(long)]
        no_crop: bool,
    },
    /// Turn photos or scans of one paper into a PDF, one page per image, in order.
    Scan {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[arg(short, long)]
        output: PathBuf,
        /// Title stored in the PDF.
        #[arg(long, default_value = "Bản số hóa")]
        title: String,
        /// text: black and white (CCITT G4); color: JPEG; mixed: text mask over colour (seals stay red); auto: per page.
        #[arg(long, default_value = "auto", value_parser = ["auto", "text", "color", "mixed"])]
        profile: String,
        /// Stored resolution (Decree 30/2020 asks for at least 200).
        #[arg(long, default_value = "200", value_parser = ["200", "300"])]
        dpi: String,
        /// Paper size of photographed sheets; auto: from the sheet's proportions (A series read as A4).
        #[arg(long, default_value = "auto", value_parser = ["auto", "a4", "a5", "a3", "letter", "id"])]
        paper: String,
        /// Keep the whole photo: no sheet detection, no perspective correction (deskew only).
        #[arg(long)]
        no_crop: bool,
        /// Print sizes and times per page as JSON.
        #[arg(long)]
        json: bool,
        /// Pages made at once, each on its own core (default: all cores); the PDF is the same.
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Package a dossier: the declaration, each paper and dossier.json, with SHA-256 manifests.
    Pack {
        #[arg(long)]
        procedure: String,
        /// The declaration PDF made by `hoso form`.
        #[arg(long)]
        form: PathBuf,
        /// A paper as COMPONENT=FILE, FILE being a PDF from `hoso scan` or an image; repeat per paper.
        #[arg(long = "paper", value_name = "COMPONENT=FILE")]
        papers: Vec<String>,
        /// A required paper not handed in, and why (recorded in dossier.json); repeat per paper.
        /// Without one, a missing required paper refuses the package.
        #[arg(long = "missing", value_name = "COMPONENT=REASON")]
        missing: Vec<String>,
        /// The answers the declaration was made from (recorded in dossier.json).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Dossier code; made from --code-format if absent.
        #[arg(long)]
        code: Option<String>,
        /// Pattern of the dossier code: {unit} {yyyy} {yy} {MM} {dd} {yyMMdd} {seq}.
        #[arg(long = "code-format", default_value = hoso_core::dossier::DEFAULT_CODE_FORMAT)]
        code_format: String,
        #[arg(long, default_value = DEFAULT_UNIT)]
        unit: String,
        #[arg(long, default_value_t = 1)]
        seq: u32,
        /// Date in the code and dossier.json; the day of --received if absent.
        #[arg(long)]
        date: Option<String>,
        /// Time of reception for the receipt (00-giay-tiep-nhan.pdf), ISO 8601; now in Vietnam if absent.
        #[arg(long)]
        received: Option<String>,
        /// Receiving unit printed on the receipt ("UBND xã Hòa Bình"); --unit is the id in the code.
        #[arg(long = "unit-name", default_value = "")]
        unit_name: String,
        #[command(flatten)]
        receipt: receipt::ReceiptOptions,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// The receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả) with its QR code and appointment date.
    Receipt(receipt::ReceiptArgs),
    /// Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: the papers a dossier lacks, each with its reason.
    Supplement(supplement::SupplementArgs),
    /// Practice portal and drop-box: resumable (tus) uploads of packages, checked on arrival; serves the web app.
    Serve(serve::ServeArgs),
    /// Read QR codes in a photo or scan; an ID card's (CCCD) fields with --json.
    Qr {
        #[command(subcommand)]
        command: qr::QrCommand,
    },
    /// Home pre-fill handoff (mã hồ sơ khai trước): make its QR codes and file, or read them back.
    Handoff {
        #[command(subcommand)]
        command: handoff::HandoffCommand,
    },
    /// Appointment date (ngày hẹn trả kết quả) of a dossier received at --from, in working days.
    Due(due::DueArgs),
    /// Check a dossier package: every file against its SHA-256. Exit 0 only when intact.
    Verify {
        package: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

/// A failure shown to the user, in Vietnamese, with the exit code to use.
struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Failure {
        Failure { message: message.into(), code: 2 }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("hoso: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let catalog = Catalog::embedded();
    match cli.command {
        Command::Catalog { json, file } => {
            let loaded;
            let catalog = match file {
                Some(path) => {
                    let text = String::from_utf8_lossy(&read(&path)?).into_owned();
                    loaded = Catalog::from_file(&path.display().to_string(), &text)
                        .map_err(|e| Failure { message: format!("danh mục không dùng được: {e}"), code: 1 })?;
                    &loaded
                }
                None => catalog,
            };
            if json {
                println!("{}", serde_json::to_string_pretty(catalog).expect("plain data"));
            } else {
                for p in &catalog.procedures {
                    let mark = if p.verify { " (cần kiểm tra)" } else { "" };
                    println!("{:<30} {:<10} {}{mark}", p.id, p.code, p.name);
                }
            }
            Ok(())
        }
        Command::Form { procedure, data, place, date, output } => {
            let procedure = find_procedure(&procedure)?;
            let form = catalog.form(&procedure.form).expect("catalog is checked on load");
            let date = parse_date(date.as_deref())?;
            let answers = form.normalize(&read_answers(&data)?);
            let errors = form.validate(&answers, catalog, date);
            if !errors.is_empty() {
                let lines: Vec<String> = errors.iter().map(|e| format!("  {}: {}", e.label, e.msg.vi())).collect();
                return Err(Failure { message: format!("tờ khai chưa hợp lệ:\n{}", lines.join("\n")), code: 1 });
            }
            let pdf = render_form(form, &answers, &FormMeta { place: text::clean(&place), date });
            write(&output, &pdf)
        }
        Command::ScanBatch { input, output, jobs, profile, dpi, paper, no_crop } => {
            scan_batch::run(&input, &output, jobs, &scan::settings(&profile, &dpi, &paper, no_crop, None))
        }
        Command::Scan { inputs, output, title, profile, dpi, paper, no_crop, json, jobs } => {
            scan::run(&inputs, &output, &title, &scan::settings(&profile, &dpi, &paper, no_crop, jobs), json)
        }
        Command::Pack { procedure, form, papers, missing, data, code, code_format, unit, seq, date, received, unit_name, receipt, output } => {
            let procedure = find_procedure(&procedure)?;
            let received = receipt::received_at(received.as_deref())?;
            let date = if date.is_some() { parse_date(date.as_deref())? } else { received.date };
            let code = match code {
                Some(c) => c,
                None => hoso_core::dossier::format_code(&code_format, &unit, date, seq).map_err(|m| Failure::usage(m.vi()))?,
            };
            let answers = match data {
                Some(path) => catalog.form(&procedure.form).expect("checked").normalize(&read_answers(&path)?),
                None => FormData::new(),
            };
            let form_pdf = read(&form)?;
            let form_id = procedure.components.iter().find(|c| c.kind == ComponentKind::Form).map_or("to-khai", |c| c.id.as_str());
            let mut paper_pdfs: Vec<(String, u32, Vec<u8>)> = Vec::new();
            for spec in &papers {
                let (id, path) = spec
                    .split_once('=')
                    .ok_or_else(|| Failure::usage(format!("--paper cần dạng THÀNH_PHẦN=TỆP, nhận được \"{spec}\"")))?;
                let component = procedure.papers().find(|c| c.id == id).ok_or_else(|| {
                    let known: Vec<&str> = procedure.papers().map(|c| c.id.as_str()).collect();
                    Failure::usage(format!("thủ tục {} không có thành phần \"{id}\" (có: {})", procedure.id, known.join(", ")))
                })?;
                let path = Path::new(path);
                let bytes = read(path)?;
                let (pages, pdf) = if bytes.starts_with(b"%PDF") {
                    (hoso_pdf::page_count(&bytes), bytes)
                } else {
                    scan(&[path.to_path_buf()], &component.name)?
                };
                paper_pdfs.push((id.to_string(), pages, pdf));
            }
            let mut files = vec![ComponentFile { component_id: form_id, pages: hoso_pdf::page_count(&form_pdf), pdf: &form_pdf }];
            files.extend(paper_pdfs.iter().map(|(id, n, pdf)| ComponentFile { component_id: id, pages: *n, pdf }));
            let reasons = missing_reasons(procedure, &missing, |id| files.iter().any(|f| f.component_id == id))?;
            let package = receipt::pack(procedure, &code, &answers, &files, received, date, &unit_name, &receipt, &reasons)?;
            write(&output, &package.zip)?;
            println!("{code}\t{}", output.display());
            Ok(())
        }
        Command::Serve(args) => serve::run(args).map_err(|message| Failure { message, code: 2 }),
        Command::Qr { command } => qr::run(command),
        Command::Handoff { command } => handoff::run(command),
        Command::Due(args) => due::run(args),
        Command::Receipt(args) => receipt::run(args),
        Command::Supplement(args) => supplement::run(args),
        Command::Verify { package, json } => {
            let file = std::fs::File::open(&package).map_err(|e| io_failure(&package, e))?;
            let report = hoso_package::verify(std::io::BufReader::new(file));
            if json {
                println!("{}", serde_json::to_string_pretty(&report).expect("report serializes"));
            } else {
                for f in &report.files {
                    let mark = if f.status == hoso_package::FileStatus::Ok { "OK " } else { "SAI" };
                    let why = f.status.msg(&f.path).map(|m| format!("  {}", m.vi())).unwrap_or_default();
                    println!("{mark} {}{why}", f.path);
                }
                for m in &report.problems {
                    println!("SAI {}", m.vi());
                }
            }
            if report.is_intact() {
                if !json {
                    println!("Gói hồ sơ nguyên vẹn: {} tệp.", report.files.len());
                }
                Ok(())
            } else {
                Err(Failure { message: format!("gói hồ sơ {} KHÔNG nguyên vẹn.", package.display()), code: 1 })
            }
        }
    }
}

/// `--missing COMPONENT=REASON` arguments: each a required paper of the
/// procedure that is really missing, with a reason that is not blank.
fn missing_reasons(
    procedure: &hoso_core::Procedure,
    specs: &[String],
    present: impl Fn(&str) -> bool,
) -> Result<hoso_core::dossier::MissingReasons, Failure> {
    let mut reasons = hoso_core::dossier::MissingReasons::new();
    for spec in specs {
        let (id, reason) = spec
            .split_once('=')
            .ok_or_else(|| Failure::usage(format!("--missing cần dạng THÀNH_PHẦN=LÝ_DO, nhận được \"{spec}\"")))?;
        let component = procedure.papers().find(|c| c.id == id && c.required).ok_or_else(|| {
            let known: Vec<&str> = procedure.papers().filter(|c| c.required).map(|c| c.id.as_str()).collect();
            Failure::usage(format!("\"{id}\" không phải giấy tờ bắt buộc của thủ tục {} (có: {})", procedure.id, known.join(", ")))
        })?;
        if present(id) {
            return Err(Failure::usage(format!("{} đã có tệp (--paper), không thể ghi là còn thiếu", component.name)));
        }
        if text::clean(reason).is_empty() {
            return Err(Failure::usage(format!("--missing {id}: cần ghi lý do thiếu {}", component.name)));
        }
        reasons.insert(id.to_string(), reason.to_string());
    }
    Ok(reasons)
}

fn scan(inputs: &[PathBuf], title: &str) -> Result<(u32, Vec<u8>), Failure> {
    let settings = scan::Settings { jobs: scan::cores(), ..scan::Settings::default() };
    let (report, pdf) = scan::scan_files(inputs, title, &settings)?;
    Ok((report.pages.len() as u32, pdf))
}

fn find_procedure(id: &str) -> Result<&'static hoso_core::Procedure, Failure> {
    let catalog = Catalog::embedded();
    catalog.procedure(id).ok_or_else(|| {
        let known: Vec<&str> = catalog.procedures.iter().map(|p| p.id.as_str()).collect();
        Failure::usage(format!("không có thủ tục \"{id}\" (có: {})", known.join(", ")))
    })
}

fn parse_date(s: Option<&str>) -> Result<Date, Failure> {
    match s {
        Some(s) => Date::parse(s).ok_or_else(|| Failure::usage(format!("ngày không hợp lệ: \"{s}\""))),
        None => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
            Ok(today_in_vietnam(now))
        }
    }
}

fn read_answers(path: &Path) -> Result<FormData, Failure> {
    let bytes = read(path)?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::usage(format!("{}: không phải JSON hợp lệ ({e})", path.display())))?;
    let object = value.as_object().ok_or_else(|| Failure::usage(format!("{}: cần một đối tượng JSON {{\"khóa\": \"giá trị\"}}", path.display())))?;
    object
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => Ok((k.clone(), s.clone())),
            serde_json::Value::Number(n) => Ok((k.clone(), n.to_string())),
            _ => Err(Failure::usage(format!("{}: giá trị của \"{k}\" phải là chuỗi hoặc số", path.display()))),
        })
        .collect()
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| io_failure(path, e))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| io_failure(path, e))
}

fn io_failure(path: &Path, e: std::io::Error) -> Failure {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "không tìm thấy tệp".to_string(),
        std::io::ErrorKind::PermissionDenied => "không có quyền truy cập".to_string(),
        _ => e.to_string(),
    };
    Failure { message: format!("{}: {why}", path.display()), code: 2 }
}
