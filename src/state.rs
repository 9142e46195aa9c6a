//! The dossier being assembled at the counter, and every change to it.

use crate::platform::download::GeneratedFile;
use hoso_core::date::Date;
use hoso_core::draft::{CaptureChoice, Draft, DraftPage, PageScan};
use hoso_core::form::{FieldError, FormData};
use hoso_core::i18n::Msg;
use hoso_core::Catalog;
use hoso_image::{Paper, ProcessedPage, Profile};
use std::rc::Rc;
use yew::Reducible;

/// One captured page of a paper: a processed page (G4, JPEG or MRC) and
/// how it was made, so it can be made again from its original.
#[derive(Clone, PartialEq)]
pub struct PageItem {
    pub id: u32,
    pub component: String,
    pub source_name: String,
    pub page: Rc<ProcessedPage>,
    /// What the store holds for the page: hoso-image's container (page and
    /// thumbnail), or a plain JPEG for pages stored by earlier versions.
    pub stored: Rc<Vec<u8>>,
    /// SHA-256 of `stored`: checked when the blob is read back.
    pub sha256: String,
    /// Colour picture of the page for the screen.
    pub thumb: Rc<GeneratedFile>,
    /// Profile asked for (`Auto` lets each page choose); `page.profile` is the one used.
    pub asked: Profile,
    /// Paper size asked for; `None`: from the sheet's proportions.
    pub paper: Option<Paper>,
    /// Clockwise quarter turns applied after flattening, degrees.
    pub rotation: u16,
    /// The sheet's corners in the original's pixels (found or placed by hand).
    pub corners: Option<[(f32, f32); 4]>,
    /// Whether `corners` were placed by hand (kept when re-processed).
    pub manual_corners: bool,
    /// The original's pixel size, EXIF orientation applied (what `corners` refer to).
    pub source_size: (u32, u32),
    /// The photo the page was made from, kept until the dossier is packaged.
    pub original: Option<Original>,
    /// Which page of `original`, from 0: a multi-page TIFF or scanner PDF
    /// (its pages share the one original).
    pub source_page: u32,
    /// Worker time for the page, ms (0 when read back from the store).
    pub ms: u32,
}

/// Where a page's original photo is kept.
#[derive(Clone, Debug)]
pub enum Original {
    /// In the store (IndexedDB "inbox", sealed under the PIN), by key.
    Stored(String),
    /// In memory only: there is no store (citizen mode, locked).
    InMemory(Rc<Vec<u8>>),
}

impl PartialEq for Original {
    fn eq(&self, other: &Original) -> bool {
        match (self, other) {
            (Original::Stored(a), Original::Stored(b)) => a == b,
            (Original::InMemory(a), Original::InMemory(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Original {
    pub fn key(&self) -> Option<&str> {
        match self {
            Original::Stored(k) => Some(k),
            Original::InMemory(_) => None,
        }
    }
}

impl PageItem {
    /// The scan facts autosave records (`None` for pages stored before profiles).
    pub fn scan_record(&self) -> Option<PageScan> {
        (self.source_size != (0, 0)).then(|| PageScan {
            asked: self.asked.name().into(),
            used: self.page.profile.name().into(),
            paper: self.paper.map(|p| p.name().into()),
            rotation: self.rotation,
            corners: self.corners,
            manual_corners: self.manual_corners,
            source_size: self.source_size,
            original: self.original.as_ref().and_then(|o| o.key()).map(str::to_string),
            page: self.source_page,
        })
    }
}

/// A file being made into a page (or a page being made again).
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub token: u32,
    pub component: String,
    pub source_name: String,
    /// Steps done, 0 to 3 (decoded, sheet found, encoded).
    pub done: u8,
    /// The page this will replace, in place.
    pub replaces: Option<u32>,
}

/// A file that could not become a page, and why.
#[derive(Clone, PartialEq)]
pub struct Problem {
    pub source_name: String,
    pub msg: Msg,
}

/// The finished package.
#[derive(Clone, PartialEq)]
pub struct Packed {
    pub code: String,
    pub zip: Rc<GeneratedFile>,
    pub files: Vec<(String, u64)>,
    /// Giấy tiếp nhận hồ sơ và hẹn trả kết quả (two copies), to print.
    pub receipt: Rc<GeneratedFile>,
    /// Appointment, as the receipt writes it.
    pub due: String,
    pub received_ms: i64,
}

#[derive(Clone, Default, PartialEq)]
pub struct Dossier {
    /// Key of the stored draft; set when a procedure is chosen.
    pub draft_id: Option<String>,
    pub created_ms: i64,
    pub procedure: Option<String>,
    pub answers: FormData,
    pub place: String,
    pub errors: Vec<FieldError>,
    /// Failed "Tạo tờ khai" attempts; each one moves focus to the error summary.
    pub failed_attempts: u32,
    pub form_pdf: Option<Rc<GeneratedFile>>,
    /// The day `form_pdf` is dated.
    pub form_date: Option<Date>,
    pub pages: Vec<PageItem>,
    /// Files being decoded right now.
    pub processing: u32,
    /// The same files with their progress, in the order they were picked.
    pub pending: Vec<Pending>,
    pub problems: Vec<Problem>,
    pub packed: Option<Packed>,
    pub pack_error: Option<String>,
    /// Dossier code of an earlier packaging, kept across reopening.
    pub stored_code: Option<String>,
    /// When the dossier was received (receipt time), kept with the code.
    pub received_ms: Option<i64>,
    /// Đã nộp: the server confirmed this package arrived intact.
    pub submitted: bool,
    /// Opened from a citizen's handoff codes (mang hồ sơ đến quầy): the
    /// clerk reviews the answers with the citizen.
    pub handed_over: bool,
    /// Why each missing required paper is missing, by component id.
    pub missing_reasons: hoso_core::dossier::MissingReasons,
    /// Each paper's scan choices for its next photos (absent: Tự động,
    /// size detected), kept with the draft.
    pub capture: std::collections::BTreeMap<String, (Profile, Option<Paper>)>,
    next_page_id: u32,
}

pub enum Action {
    Choose { procedure: String, draft_id: String, now_ms: i64 },
    /// A new dossier filled from a citizen's handoff, exactly as received.
    HandedOver { handoff: Box<hoso_core::handoff::Handoff>, draft_id: String, now_ms: i64 },
    /// A stored draft reopened, pages and form already rebuilt.
    Resume(Box<Dossier>),
    Reset,
    Answer(String, String),
    Place(String),
    /// Answers as normalized, plus either the PDF or what is wrong.
    FormChecked { answers: FormData, date: Date, result: Result<Rc<GeneratedFile>, Vec<FieldError>> },
    /// One step of the step-by-step mode checked: answers as normalized and
    /// the step's errors (none: the citizen goes on).
    StepChecked { answers: FormData, errors: Vec<FieldError> },
    /// A file (or a page's original) went to the page processor; `token` names it until done.
    PageStarted { token: u32, component: String, source_name: String, replaces: Option<u32> },
    /// Steps done for `token` (1 to 3).
    PageProgress { token: u32, done: u8 },
    /// The file `token` stands for holds several pages (a TIFF, a scanner
    /// PDF): `token` becomes the first, named `first`, and the others
    /// wait right after it in the list, each with its token and name.
    PagesFound { token: u32, first: String, more: Vec<(u32, String)> },
    /// The page made (its id is given here: a new one, or the replaced page's),
    /// or why the file could not become one.
    PageDone { token: u32, result: Result<Box<PageItem>, Msg> },
    /// Something the clerk must know about a file that still became a page,
    /// listed with the step's problems (a multi-page file on "Chụp lại").
    Noted(Problem),
    RemovePage(u32),
    /// A page put at `index` among the pages of `component` (its own paper
    /// or another): reordering by drag, Lên/Xuống or Alt+arrows, and moving
    /// it to another paper. Autosave stores the order; the package follows it.
    PlacePage { id: u32, component: String, index: usize },
    /// The reason a required paper is missing, as typed (empty removes it).
    MissingReason { component: String, reason: String },
    /// A paper's profile and paper size for its next photos.
    CaptureChoice { component: String, profile: Profile, paper: Option<Paper> },
    Packed(Result<Packed, String>),
    Submitted,
}

impl Dossier {
    pub fn procedure(&self) -> Option<&'static hoso_core::Procedure> {
        Catalog::embedded().procedure(self.procedure.as_deref()?)
    }

    pub fn pages_of<'a>(&'a self, component: &'a str) -> impl Iterator<Item = &'a PageItem> + 'a {
        self.pages.iter().filter(move |p| p.component == component)
    }
}

impl Dossier {
    /// Anything that changes content makes an earlier package stale.
    fn package_is_stale(&mut self) {
        self.packed = None;
        self.stored_code = None;
        self.received_ms = None;
        self.submitted = false;
    }

    /// What autosave stores; `None` before a procedure is chosen.
    pub fn to_draft(&self) -> Option<Draft> {
        let mut draft = Draft::new(self.draft_id.clone()?, self.procedure.clone()?, self.answers.clone(), self.created_ms);
        draft.place = self.place.clone();
        draft.form_done = self.form_pdf.is_some();
        draft.form_date = self.form_pdf.as_ref().and(self.form_date);
        draft.packed_code = self.packed.as_ref().map(|p| p.code.clone()).or_else(|| self.stored_code.clone());
        draft.received_ms = self.received_ms;
        draft.submitted = self.submitted;
        draft.missing_reasons = self.missing_reasons.clone();
        draft.capture = self
            .capture
            .iter()
            .map(|(c, (profile, paper))| {
                (c.clone(), CaptureChoice { profile: profile.name().into(), paper: paper.map(|p| p.name().into()) })
            })
            .collect();
        draft.pages = self
            .pages
            .iter()
            .map(|p| DraftPage {
                id: p.id,
                component: p.component.clone(),
                source_name: p.source_name.clone(),
                width_px: p.page.width_px,
                height_px: p.page.height_px,
                dpi: p.page.dpi,
                bytes: p.page.bytes() as u64,
                sha256: p.sha256.clone(),
                scan: p.scan_record(),
            })
            .collect();
        Some(draft)
    }

    /// A reopened draft: its pages (already read back and checked) and form PDF.
    pub fn resumed(draft: Draft, pages: Vec<PageItem>, form_pdf: Option<Rc<GeneratedFile>>, problems: Vec<Problem>) -> Dossier {
        Dossier {
            next_page_id: pages.iter().map(|p| p.id).max().unwrap_or(0),
            draft_id: Some(draft.id),
            created_ms: draft.created_ms,
            procedure: Some(draft.procedure),
            answers: draft.answers,
            place: draft.place,
            form_date: form_pdf.as_ref().and(draft.form_date),
            form_pdf,
            pages,
            problems,
            stored_code: draft.packed_code,
            received_ms: draft.received_ms,
            submitted: draft.submitted,
            missing_reasons: draft.missing_reasons,
            capture: draft
                .capture
                .into_iter()
                .map(|(c, choice)| {
                    (c, (Profile::parse(&choice.profile).unwrap_or(Profile::Auto), choice.paper.as_deref().and_then(Paper::parse)))
                })
                .collect(),
            ..Dossier::default()
        }
    }
}

impl Reducible for Dossier {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut d = (*self).clone();
        match action {
            Action::Choose { procedure, draft_id, now_ms } => {
                let form = Catalog::embedded().procedure(&procedure).and_then(|p| Catalog::embedded().form(&p.form));
                d = Dossier {
                    answers: form.map(|f| f.initial_data()).unwrap_or_default(),
                    procedure: Some(procedure),
                    draft_id: Some(draft_id),
                    created_ms: now_ms,
                    ..Dossier::default()
                };
            }
            Action::HandedOver { handoff, draft_id, now_ms } => {
                let handoff = *handoff;
                d = Dossier {
                    answers: handoff.answers,
                    place: handoff.place,
                    procedure: Some(handoff.procedure),
                    draft_id: Some(draft_id),
                    created_ms: now_ms,
                    handed_over: true,
                    ..Dossier::default()
                };
            }
            Action::Resume(dossier) => d = *dossier,
            Action::Reset => d = Dossier::default(),
            Action::Answer(key, value) => {
                // NFC as typed, so what is stored and searched is already canonical.
                d.answers.insert(key.clone(), hoso_core::text::nfc(&value));
                // "Bản thân", "Cha": the person already declared fills the other group's blanks.
                if let Some(form) = d.procedure().and_then(|p| Catalog::embedded().form(&p.form)) {
                    let fill = form.same_person_fill(&d.answers, &key);
                    d.answers.extend(fill);
                }
                d.form_pdf = None;
                d.package_is_stale();
            }
            Action::Place(p) => {
                d.place = hoso_core::text::nfc(&p);
                d.form_pdf = None;
                d.package_is_stale();
            }
            Action::FormChecked { answers, date, result } => {
                d.answers = answers;
                d.package_is_stale();
                match result {
                    Ok(pdf) => {
                        d.form_pdf = Some(pdf);
                        d.form_date = Some(date);
                        d.errors.clear();
                    }
                    Err(errors) => {
                        d.form_pdf = None;
                        d.errors = errors;
                        d.failed_attempts += 1;
                    }
                }
            }
            Action::StepChecked { answers, errors } => {
                if d.answers != answers {
                    d.answers = answers;
                    d.form_pdf = None;
                    d.package_is_stale();
                }
                if !errors.is_empty() {
                    d.failed_attempts += 1;
                }
                d.errors = errors;
            }
            Action::PageStarted { token, component, source_name, replaces } => {
                d.pending.push(Pending { token, component, source_name, done: 0, replaces });
                d.processing = d.pending.len() as u32;
            }
            Action::PagesFound { token, first, more } => {
                if let Some(at) = d.pending.iter().position(|p| p.token == token) {
                    let file = d.pending[at].clone();
                    d.pending[at].source_name = first;
                    let pages = more.into_iter().map(|(token, source_name)| Pending { token, source_name, done: 0, ..file.clone() });
                    d.pending.splice(at + 1..at + 1, pages);
                    d.processing = d.pending.len() as u32;
                }
            }
            Action::PageProgress { token, done } => {
                if let Some(p) = d.pending.iter_mut().find(|p| p.token == token) {
                    p.done = p.done.max(done);
                }
            }
            Action::PageDone { token, result } => {
                let Some(at) = d.pending.iter().position(|p| p.token == token) else { return self };
                let pending = d.pending.remove(at);
                d.processing = d.pending.len() as u32;
                match (result, pending.replaces) {
                    (Ok(mut item), Some(id)) => {
                        // In place: same id, same position; a page removed meanwhile stays removed.
                        if let Some(slot) = d.pages.iter_mut().find(|p| p.id == id) {
                            item.id = id;
                            item.component = slot.component.clone();
                            *slot = *item;
                            d.package_is_stale();
                        }
                    }
                    (Ok(mut item), None) => {
                        d.next_page_id += 1;
                        item.id = d.next_page_id;
                        d.pages.push(*item);
                        d.package_is_stale();
                    }
                    (Err(msg), _) => d.problems.push(Problem { source_name: pending.source_name, msg }),
                }
            }
            Action::Noted(problem) => d.problems.push(problem),
            Action::RemovePage(id) => {
                d.pages.retain(|p| p.id != id);
                d.package_is_stale();
            }
            Action::PlacePage { id, component, index } => {
                if let Some(from) = d.pages.iter().position(|p| p.id == id) {
                    let before: Vec<u32> = d.pages.iter().map(|p| p.id).collect();
                    let moved_paper = d.pages[from].component != component;
                    d.pages[from].component = component.clone();
                    hoso_core::page_order::place(&mut d.pages, from, index, |p| p.component == component);
                    if moved_paper || d.pages.iter().map(|p| p.id).ne(before) {
                        d.package_is_stale();
                    }
                }
            }
            Action::MissingReason { component, reason } => {
                // Leading blanks dropped as typed; the rest is cleaned when packed.
                let reason = hoso_core::text::nfc(reason.trim_start());
                if reason.is_empty() {
                    d.missing_reasons.remove(&component);
                } else {
                    d.missing_reasons.insert(component, reason);
                }
                // dossier.json records the reasons: an earlier package is stale.
                d.package_is_stale();
            }
            Action::CaptureChoice { component, profile, paper } => {
                // How later photos are made, not what the dossier holds: the package stays.
                if (profile, paper) == (Profile::Auto, None) {
                    d.capture.remove(&component);
                } else {
                    d.capture.insert(component, (profile, paper));
                }
            }
            Action::Submitted => d.submitted = true,
            Action::Packed(result) => match result {
                Ok(p) => {
                    // Packaged: the originals are no longer kept (autosave deletes them).
                    for page in &mut d.pages {
                        page.original = None;
                    }
                    d.stored_code = Some(p.code.clone());
                    d.received_ms = Some(p.received_ms);
                    d.packed = Some(p);
                    d.pack_error = None;
                }
                Err(e) => d.pack_error = Some(e),
            },
        }
        Rc::new(d)
    }
}
