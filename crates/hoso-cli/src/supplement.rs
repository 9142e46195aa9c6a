//! `hoso supplement`: the phiếu yêu cầu bổ sung, hoàn thiện hồ sơ for a
//! dossier lacking papers, listing each with its reason.

use crate::{find_procedure, parse_date, read_answers, receipt::normalized, write, Failure};
use hoso_core::dossier::MissingRecord;
use hoso_core::text;
use hoso_pdf::{render_supplement, Supplement};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct SupplementArgs {
    #[arg(long)]
    procedure: String,
    /// The declaration's answers (JSON object), for the applicant's name, ID and address.
    #[arg(long)]
    data: PathBuf,
    /// Dossier code (mã hồ sơ).
    #[arg(long)]
    code: String,
    /// A paper to bring, and why, as COMPONENT=REASON (catalog id); repeat, in the order to print.
    #[arg(long = "missing", value_name = "COMPONENT=REASON", required = true)]
    missing: Vec<String>,
    /// Day of the phiếu (YYYY-MM-DD or DD/MM/YYYY); today in Vietnam if absent.
    #[arg(long)]
    date: Option<String>,
    /// Receiving unit printed at the top left ("UBND xã Hòa Bình").
    #[arg(long = "unit-name", default_value = "")]
    unit_name: String,
    /// Place written before the date.
    #[arg(long, default_value = "")]
    place: String,
    /// The clerk giving guidance (người hướng dẫn).
    #[arg(long, default_value = "")]
    clerk: String,
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(args: SupplementArgs) -> Result<(), Failure> {
    let procedure = find_procedure(&args.procedure)?;
    let answers = normalized(procedure, read_answers(&args.data)?);
    let date = parse_date(args.date.as_deref())?;
    let mut missing: Vec<MissingRecord> = Vec::new();
    for spec in &args.missing {
        let (id, reason) = spec
            .split_once('=')
            .ok_or_else(|| Failure::usage(format!("--missing cần dạng THÀNH_PHẦN=LÝ_DO, nhận được \"{spec}\"")))?;
        let component = procedure.papers().find(|c| c.id == id).ok_or_else(|| {
            let known: Vec<&str> = procedure.papers().map(|c| c.id.as_str()).collect();
            Failure::usage(format!("thủ tục {} không có thành phần \"{id}\" (có: {})", procedure.id, known.join(", ")))
        })?;
        let reason = text::clean(reason);
        if reason.is_empty() {
            return Err(Failure::usage(format!("--missing {id}: cần ghi lý do cho {}", component.name)));
        }
        if missing.iter().any(|m| m.id == id) {
            return Err(Failure::usage(format!("--missing {id} ghi hai lần")));
        }
        missing.push(MissingRecord { id: id.to_string(), name: component.name.clone(), reason });
    }
    let mut s = Supplement::for_dossier(procedure, &text::clean(&args.code), &answers, &missing, date);
    s.unit_name = text::clean(&args.unit_name);
    s.place = text::clean(&args.place);
    s.clerk = text::clean(&args.clerk);
    write(&args.output, &render_supplement(&s))?;
    println!("{}\t{}\t{} giấy tờ cần bổ sung", s.dossier_code, args.output.display(), missing.len());
    Ok(())
}
