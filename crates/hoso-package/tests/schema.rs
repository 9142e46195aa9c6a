//! `data/schema/dossier.schema.json` against real `dossier.json` files read
//! out of packages, validated by an independent implementation: the PyPI
//! `jsonschema` package (Draft 2020-12, formats checked), pinned in `./dev`
//! setup. Fails, never skips, when python3 or the package is missing.

use hoso_core::date::Date;
use hoso_core::dossier::{ComponentFile, Origin, Provenance, RECORD_VERSION};
use hoso_core::{Catalog, FormData};
use hoso_package::{pack_dossier, pack_dossier_with_missing, pack_dossier_with_receipt, ReceiptFile};
use std::io::{Read, Write};
use std::process::{Command, Stdio};

const PINNED: &str = "4.26.0";
const SCHEMA: &str = include_str!("../../../data/schema/dossier.schema.json");

/// Validates each JSON document on stdin (one per line) and prints "ok" or
/// the first error per line.
const SCRIPT: &str = r#"
import json, sys
from importlib.metadata import version
import jsonschema
schema = json.loads(sys.argv[1])
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
print(version("jsonschema"))
for line in sys.stdin:
    errors = sorted(v.iter_errors(json.loads(line)), key=lambda e: list(e.path))
    print("ok" if not errors else "/".join(map(str, errors[0].path)) + ": " + errors[0].message)
"#;

/// Verdict per document: "ok" or the first error.
fn validate(documents: &[serde_json::Value]) -> Vec<String> {
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT, SCHEMA])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("python3 is needed ({e}); run ./dev test, which installs jsonschema=={PINNED}"));
    let mut stdin = child.stdin.take().unwrap();
    for d in documents {
        writeln!(stdin, "{d}").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python3 could not validate with `jsonschema`; install it with ./dev test (pip install jsonschema=={PINNED}):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect();
    let version = lines.remove(0);
    assert_eq!(version, PINNED, "the jsonschema version pinned in ./dev");
    lines
}

/// `data/dossier.json` of a package.
fn record(zip: &[u8]) -> serde_json::Value {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut text = String::new();
    archive.by_name("data/dossier.json").unwrap().read_to_string(&mut text).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn packages() -> Vec<serde_json::Value> {
    let p = Catalog::embedded().procedure("khai-sinh").unwrap();
    let day = Date::new(2026, 11, 23).unwrap();
    let answers: FormData = [("applicant.full_name".to_string(), "Nguyễn Văn Bình".to_string())].into();
    let comps = [
        ComponentFile { component_id: "to-khai", pages: 1, pdf: b"%PDF-1.7 form" },
        ComponentFile { component_id: "giay-chung-sinh", pages: 2, pdf: b"%PDF-1.7 paper" },
    ];
    let receipt =
        ReceiptFile { pdf: b"%PDF-1.7 receipt", received_at: "2026-11-23T14:00:00+07:00", due: "2026-11-23T17:00:00+07:00" };
    let with = pack_dossier_with_receipt(p, "HOSO-261123-0001", day, &answers, &comps, Some(&receipt)).unwrap();
    let without = pack_dossier(p, "HOSO-261123-0002", day, &FormData::new(), &comps).unwrap();
    // The birth certificate missing, with the clerk's reason.
    let reasons = [("giay-chung-sinh".to_string(), "Sinh tại nhà, chưa có giấy chứng sinh".to_string())].into();
    let provenance = Provenance { digitizer: "Trần Thị Mai".into(), digitized_at: "2026-11-23T14:00:00+07:00".into(), paper_origin: Origin::Scan };
    let short =
        pack_dossier_with_missing(p, "HOSO-261123-0003", day, &answers, &comps[..1], Some(&receipt), &reasons, Some(&provenance)).unwrap();
    vec![record(&with.zip), record(&without.zip), record(&short.zip)]
}

#[test]
fn real_records_validate() {
    let docs = packages();
    assert!(docs[0].get("receipt").is_some() && docs[1].get("receipt").is_none());
    assert!(docs[0].get("missing").is_none() && docs[2]["missing"][0]["id"] == "giay-chung-sinh");
    assert_eq!(docs[2]["components"][0]["origin"], "e-form");
    assert!(docs[0]["applicant"]["full_name"] == "Nguyễn Văn Bình" && docs[1].get("applicant").is_none());
    assert_eq!(validate(&docs), ["ok", "ok", "ok"]);
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
    assert_eq!(schema["properties"]["version"]["const"], RECORD_VERSION, "schema and RECORD_VERSION move together");
}

#[test]
fn schema_rejects_what_the_writer_never_writes() {
    let good = packages().remove(0);
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut d = good.clone();
        f(&mut d);
        d
    };
    let bad = [
        edit(&|d| d["version"] = 2.into()),
        edit(&|d| d["components"][0]["kind"] = "photo".into()),
        edit(&|d| d["receipt"]["due"] = "2026-11-23T17:00:00Z".into()),
        edit(&|d| d["received"] = "2026-13-45".into()),
        edit(&|d| d["answers"]["x"] = 3.into()),
        edit(&|d| {
            d.as_object_mut().unwrap().remove("dossier_code");
        }),
        edit(&|d| d["extra"] = true.into()),
        edit(&|d| d["components"][0]["sha256"] = "ABC".into()),
        edit(&|d| d["components"][0]["origin"] = "fax".into()),
        edit(&|d| d["components"][0]["digitized_at"] = "hôm nay".into()),
        edit(&|d| d["missing"] = serde_json::json!([])),
        edit(&|d| d["applicant"] = serde_json::json!({"id_number": "001090012345"})),
        edit(&|d| d["missing"] = serde_json::json!([{"id": "giay-chung-sinh", "name": "Giấy chứng sinh", "reason": ""}])),
        edit(&|d| d["missing"] = serde_json::json!([{"id": "giay-chung-sinh", "name": "Giấy chứng sinh"}])),
    ];
    for (doc, verdict) in bad.iter().zip(validate(&bad)) {
        assert_ne!(verdict, "ok", "accepted {doc}");
    }
}
