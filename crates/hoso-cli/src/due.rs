//! `hoso due`: the appointment date (ngày hẹn trả kết quả) for a dossier
//! received at a given time, by the working-day calendar.

use crate::{find_procedure, io_failure, Failure};
use hoso_calendar::{lunar::SUPPORTED_YEARS, LocalDateTime, TimeLimit, WorkCalendar};
use hoso_core::i18n::Msg;
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("limit").required(true).args(["days", "same_day", "procedure"]))]
pub struct DueArgs {
    /// When the dossier was received, ISO 8601 (2026-11-23T14:00:00+07:00); other offsets are converted to +07:00.
    #[arg(long)]
    from: String,
    /// Time limit in working days (the day of receipt is not counted).
    #[arg(long)]
    days: Option<u32>,
    /// Same-day procedure: due at closing, or the next working day if received after the calendar's cut-off (15:00).
    #[arg(long)]
    same_day: bool,
    /// A catalog procedure (`hoso catalog`): its own time limit (the cut-off is the calendar's).
    #[arg(long)]
    procedure: Option<String>,
    /// Calendar file replacing the embedded data/calendar.json.
    #[arg(long)]
    calendar: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: DueArgs) -> Result<(), Failure> {
    println!("{}", report(&args)?);
    Ok(())
}

/// What `hoso due` prints: the due time in ISO and Vietnamese forms, or a JSON object.
fn report(args: &DueArgs) -> Result<String, Failure> {
    let calendar = match &args.calendar {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| io_failure(path, e))?;
            WorkCalendar::from_json(&text)
                .map_err(|e| Failure::usage(format!("{}: {}", path.display(), e.msg().vi())))?
        }
        None => WorkCalendar::embedded(),
    };
    let received = LocalDateTime::parse_iso(&args.from)
        .filter(|t| SUPPORTED_YEARS.contains(&t.date.year))
        .ok_or_else(|| Failure::usage(Msg::BadDateTime(args.from.clone()).vi()))?;
    let procedure = args.procedure.as_deref().map(find_procedure).transpose()?;
    let (limit, due) = match (procedure, args.days) {
        (Some(p), _) => (TimeLimit::from(&p.time_limit_rule), calendar.due_for(received, &p.time_limit_rule)),
        (None, Some(n)) => (TimeLimit::WorkingDays(n), calendar.due(received, TimeLimit::WorkingDays(n))),
        (None, None) => (TimeLimit::SameDay, calendar.due(received, TimeLimit::SameDay)),
    };
    if !args.json {
        return Ok(format!("{}\n{}", due.to_iso(), due.vietnamese()));
    }
    let limit = match limit {
        TimeLimit::SameDay => serde_json::json!("same_day"),
        TimeLimit::WorkingDays(n) => serde_json::json!({ "working_days": n }),
    };
    let mut out = serde_json::json!({
        "received": received.to_iso(),
        "limit": limit,
        "due": due.to_iso(),
        "due_vi": due.vietnamese(),
        "working_days_after_receipt": calendar.working_days_between(received.date, due.date),
        "calendar_version": calendar.data().version,
    });
    if let Some(p) = procedure {
        out["procedure"] = serde_json::json!(p.id);
    }
    Ok(serde_json::to_string_pretty(&out).expect("plain data"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: DueArgs,
    }

    fn due(argv: &[&str]) -> Result<String, String> {
        let parsed =
            Wrapper::try_parse_from(std::iter::once("due").chain(argv.iter().copied())).map_err(|e| e.to_string())?;
        report(&parsed.args).map_err(|f| f.message)
    }

    #[test]
    fn prints_iso_and_vietnamese() {
        // 24/11/2026 is Vietnam Culture Day, so three working days end on Friday.
        let out = due(&["--from", "2026-11-23T14:00:00+07:00", "--days", "3"]).unwrap();
        assert_eq!(out, "2026-11-27T17:00:00+07:00\n17:00, thứ Sáu, ngày 27 tháng 11 năm 2026");
        let out = due(&["--from", "2025-03-05T08:30:00Z", "--same-day"]).unwrap();
        assert_eq!(out, "2025-03-06T17:00:00+07:00\n17:00, thứ Năm, ngày 06 tháng 03 năm 2025");
    }

    #[test]
    fn procedure_brings_its_own_limit() {
        // Khai sinh, Monday 23/11/2026: same day before 15:00; after it the
        // next working day, which skips Culture Day (24/11) to Wednesday.
        let out = due(&["--from", "2026-11-23T14:00:00+07:00", "--procedure", "khai-sinh"]).unwrap();
        assert!(out.starts_with("2026-11-23T17:00:00+07:00\n17:00, thứ Hai"), "{out}");
        let out = due(&["--from", "2026-11-23T15:30:00+07:00", "--procedure", "khai-sinh"]).unwrap();
        assert!(out.starts_with("2026-11-25T17:00:00+07:00"), "{out}");
        // Xác nhận tình trạng hôn nhân: 3 working days.
        let out = due(&["--from", "2026-11-23T09:00:00+07:00", "--procedure", "xac-nhan-tinh-trang-hon-nhan", "--json"]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["due"], "2026-11-27T17:00:00+07:00");
        assert_eq!(v["limit"]["working_days"], 3);
        assert_eq!(v["procedure"], "xac-nhan-tinh-trang-hon-nhan");
        assert!(due(&["--from", "2026-11-23T09:00:00+07:00", "--procedure", "khai-sinh", "--days", "2"]).is_err());
        let err = due(&["--from", "2026-11-23T09:00:00+07:00", "--procedure", "khong-co"]).unwrap_err();
        assert!(err.contains("không có thủ tục"), "{err}");
    }

    #[test]
    fn json_object() {
        let out = due(&["--from", "2025-01-24T09:00:00+07:00", "--days", "3", "--json"]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["due"], "2025-02-05T17:00:00+07:00");
        assert_eq!(v["limit"]["working_days"], 3);
        assert_eq!(v["working_days_after_receipt"], 3);
    }

    #[test]
    fn needs_exactly_one_limit_and_a_valid_time() {
        assert!(due(&["--from", "2025-01-24T09:00:00+07:00"]).is_err());
        assert!(due(&["--from", "2025-01-24T09:00:00+07:00", "--days", "2", "--same-day"]).is_err());
        let err = due(&["--from", "24/01/2025 9h", "--days", "2"]).unwrap_err();
        assert!(err.contains("Thời điểm không hợp lệ"), "{err}");
    }

    #[test]
    fn calendar_file_overrides_and_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calendar.json");
        let embedded = include_str!("../../../data/calendar.json");
        let with_calendar = |text: &str| {
            std::fs::write(&path, text).unwrap();
            due(&["--from", "2025-03-04T09:00:00+07:00", "--days", "1", "--calendar", path.to_str().unwrap()])
        };
        // A province adds a day off on Wednesday 5/3/2025.
        let first_extra = "\"extra_days_off\": [{ \"date\": \"2025-05-02\"";
        let edited = embedded.replacen(
            first_extra,
            "\"extra_days_off\": [{ \"date\": \"2025-03-05\" }, { \"date\": \"2025-05-02\"",
            1,
        );
        assert_ne!(edited, embedded);
        let out = with_calendar(&edited).unwrap();
        assert!(out.starts_with("2025-03-06T17:00:00+07:00"), "{out}");
        let err = with_calendar(&embedded.replacen("\"version\": 1", "\"version\": 9", 1)).unwrap_err();
        assert!(err.contains("calendar.json: Tệp lịch làm việc, mục version"), "{err}");
    }
}
