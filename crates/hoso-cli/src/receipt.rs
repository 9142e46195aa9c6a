//! `hoso receipt`: the giấy tiếp nhận hồ sơ và hẹn trả kết quả of a dossier,
//! its appointment computed from the procedure's time limit; also the
//! receipt `hoso pack` puts first in every package.

use crate::{find_procedure, read_answers, write, Failure};
use hoso_calendar::{lunar::SUPPORTED_YEARS, LocalDateTime};
use hoso_core::catalog::ComponentKind;
use hoso_core::dossier::{ComponentFile, MissingReasons, Origin, Provenance};
use hoso_core::form::FormData;
use hoso_core::i18n::{ui, Msg};
use hoso_core::{text, Catalog, Procedure};
use hoso_package::{DossierPackage, ReceiptFile};
use hoso_pdf::Receipt;
use std::path::PathBuf;

/// What the receipt says beyond the dossier itself (shared with `hoso pack`).
#[derive(clap::Args)]
pub struct ReceiptOptions {
    /// Place written before the date ("Hòa Bình, ngày …").
    #[arg(long, default_value = "")]
    place: String,
    /// Name of the clerk receiving the dossier (người tiếp nhận).
    #[arg(long, default_value = "")]
    clerk: String,
    /// How the result is returned: at the counter or by post.
    #[arg(long, default_value = "counter", value_parser = ["counter", "post"])]
    delivery: String,
    /// Book and sequence number (quyển số/số thứ tự), e.g. 02/0157.
    #[arg(long)]
    book: Option<String>,
    /// Number of sets of papers handed in.
    #[arg(long, default_value_t = 1)]
    sets: u32,
}

#[derive(clap::Args)]
pub struct ReceiptArgs {
    #[arg(long)]
    procedure: String,
    /// The declaration's answers (JSON object), for the applicant's name, ID and address.
    #[arg(long)]
    data: PathBuf,
    /// Dossier code (mã hồ sơ).
    #[arg(long)]
    code: String,
    /// Time of reception, ISO 8601 (2026-11-23T14:00:00+07:00); now in Vietnam if absent.
    #[arg(long)]
    received: Option<String>,
    /// Receiving unit printed at the top left ("UBND xã Hòa Bình").
    #[arg(long = "unit-name", visible_alias = "unit", default_value = "")]
    unit_name: String,
    /// A component received (catalog id); repeat. Default: the declaration and the required papers.
    #[arg(long = "paper", value_name = "COMPONENT")]
    papers: Vec<String>,
    #[command(flatten)]
    options: ReceiptOptions,
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(args: ReceiptArgs) -> Result<(), Failure> {
    let procedure = find_procedure(&args.procedure)?;
    let answers = normalized(procedure, read_answers(&args.data)?);
    let received = received_at(args.received.as_deref())?;
    for id in &args.papers {
        if !procedure.components.iter().any(|c| &c.id == id) {
            let known: Vec<&str> = procedure.components.iter().map(|c| c.id.as_str()).collect();
            return Err(Failure::usage(format!(
                "thủ tục {} không có thành phần \"{id}\" (có: {})",
                procedure.id,
                known.join(", ")
            )));
        }
    }
    let ids: Vec<&str> = if args.papers.is_empty() {
        procedure.components.iter().filter(|c| c.required || c.kind == ComponentKind::Form).map(|c| c.id.as_str()).collect()
    } else {
        args.papers.iter().map(String::as_str).collect()
    };
    let made = make(procedure, &args.code, &answers, &ids, received, &args.unit_name, &args.options);
    write(&args.output, &made.pdf)?;
    println!("{}\t{}\t{}", args.code, args.output.display(), made.due.vietnamese());
    Ok(())
}

/// Answers as the declaration normalizes them (NFC, names capitalised).
pub fn normalized(procedure: &Procedure, answers: FormData) -> FormData {
    Catalog::embedded().form(&procedure.form).expect("catalog is checked on load").normalize(&answers)
}

/// `--received`, or now in Vietnam.
pub fn received_at(arg: Option<&str>) -> Result<LocalDateTime, Failure> {
    match arg {
        Some(s) => LocalDateTime::parse_iso(s)
            .filter(|t| SUPPORTED_YEARS.contains(&t.date.year))
            .ok_or_else(|| Failure::usage(Msg::BadDateTime(s.to_string()).vi())),
        None => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
            Ok(LocalDateTime::from_unix(now))
        }
    }
}

pub struct Made {
    pub pdf: Vec<u8>,
    pub received: LocalDateTime,
    pub due: LocalDateTime,
}

/// Renders the receipt for the components `ids`, due by the embedded calendar.
pub fn make(
    procedure: &Procedure,
    code: &str,
    answers: &FormData,
    ids: &[&str],
    received: LocalDateTime,
    unit_name: &str,
    o: &ReceiptOptions,
) -> Made {
    let (mut r, due) = Receipt::received_at(procedure, code, answers, ids, received);
    r.unit_name = text::clean(unit_name);
    r.place = text::clean(&o.place);
    r.clerk = text::clean(&o.clerk);
    r.delivery = if o.delivery == "post" { ui::DELIVERY_POST } else { ui::DELIVERY_COUNTER }.to_string();
    r.book_number = o.book.as_deref().map(text::clean).filter(|b| !b.is_empty());
    r.sets = o.sets.max(1);
    Made { pdf: hoso_pdf::render_receipt(&r), received, due }
}

/// [`hoso_package::pack_dossier_with_missing`] with a receipt listing the packed components.
#[allow(clippy::too_many_arguments)]
pub fn pack(
    procedure: &Procedure,
    code: &str,
    answers: &FormData,
    files: &[ComponentFile],
    received: LocalDateTime,
    record_date: hoso_core::date::Date,
    unit_name: &str,
    o: &ReceiptOptions,
    missing: &MissingReasons,
) -> Result<DossierPackage, Failure> {
    let ids: Vec<&str> = files.iter().map(|f| f.component_id).collect();
    let made = make(procedure, code, answers, &ids, received, unit_name, o);
    let (received_at, due) = (made.received.to_iso(), made.due.to_iso());
    let receipt = ReceiptFile { pdf: &made.pdf, received_at: &received_at, due: &due };
    // Papers come from scans or image files; the clerk (--clerk) digitized them on reception.
    let provenance = Provenance { digitizer: text::clean(&o.clerk), digitized_at: received_at.clone(), paper_origin: Origin::Scan };
    hoso_package::pack_dossier_with_missing(procedure, code, record_date, answers, files, Some(&receipt), missing, Some(&provenance))
        .map_err(|e| {
            let hint = if matches!(e, hoso_package::PackError::MissingPapers(_)) { " Dùng --missing THÀNH_PHẦN=LÝ_DO." } else { "" };
            Failure { message: format!("{}{hint}", e.msg().vi()), code: 1 }
        })
}
