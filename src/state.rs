//! The dossier being assembled at the counter, and every change to it.

use crate::platform::download::GeneratedFile;
use hoso_core::form::{FieldError, FormData};
use hoso_core::i18n::Msg;
use hoso_core::Catalog;
use hoso_image::Page;
use std::rc::Rc;
use yew::Reducible;

/// One captured page of a paper.
#[derive(Clone, PartialEq)]
pub struct PageItem {
    pub id: u32,
    pub component: String,
    pub source_name: String,
    pub page: Rc<Page>,
    pub thumb: Rc<GeneratedFile>,
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
}

#[derive(Clone, Default, PartialEq)]
pub struct Dossier {
    pub procedure: Option<String>,
    pub answers: FormData,
    pub place: String,
    pub errors: Vec<FieldError>,
    /// Failed "Tạo tờ khai" attempts; each one moves focus to the error summary.
    pub failed_attempts: u32,
    pub form_pdf: Option<Rc<GeneratedFile>>,
    pub pages: Vec<PageItem>,
    /// Files being decoded right now.
    pub processing: u32,
    pub problems: Vec<Problem>,
    pub packed: Option<Packed>,
    pub pack_error: Option<String>,
    next_page_id: u32,
}

pub enum Action {
    Choose(String),
    Reset,
    Answer(String, String),
    Place(String),
    /// Answers as normalized, plus either the PDF or what is wrong.
    FormChecked { answers: FormData, result: Result<Rc<GeneratedFile>, Vec<FieldError>> },
    PageStarted,
    PageDone { component: String, source_name: String, result: Result<(Page, Rc<GeneratedFile>), Msg> },
    RemovePage(u32),
    Packed(Result<Packed, String>),
}

impl Dossier {
    pub fn procedure(&self) -> Option<&'static hoso_core::Procedure> {
        Catalog::embedded().procedure(self.procedure.as_deref()?)
    }

    pub fn pages_of<'a>(&'a self, component: &'a str) -> impl Iterator<Item = &'a PageItem> + 'a {
        self.pages.iter().filter(move |p| p.component == component)
    }
}

impl Reducible for Dossier {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut d = (*self).clone();
        // Anything that changes content makes an earlier package stale.
        match action {
            Action::Choose(id) => {
                let form = Catalog::embedded().procedure(&id).and_then(|p| Catalog::embedded().form(&p.form));
                d = Dossier { answers: form.map(|f| f.initial_data()).unwrap_or_default(), procedure: Some(id), ..Dossier::default() };
            }
            Action::Reset => d = Dossier::default(),
            Action::Answer(key, value) => {
                d.answers.insert(key, value);
                d.form_pdf = None;
                d.packed = None;
            }
            Action::Place(p) => {
                d.place = p;
                d.form_pdf = None;
                d.packed = None;
            }
            Action::FormChecked { answers, result } => {
                d.answers = answers;
                d.packed = None;
                match result {
                    Ok(pdf) => {
                        d.form_pdf = Some(pdf);
                        d.errors.clear();
                    }
                    Err(errors) => {
                        d.form_pdf = None;
                        d.errors = errors;
                        d.failed_attempts += 1;
                    }
                }
            }
            Action::PageStarted => d.processing += 1,
            Action::PageDone { component, source_name, result } => {
                d.processing = d.processing.saturating_sub(1);
                d.packed = None;
                match result {
                    Ok((page, thumb)) => {
                        d.next_page_id += 1;
                        d.pages.push(PageItem { id: d.next_page_id, component, source_name, page: Rc::new(page), thumb });
                    }
                    Err(msg) => d.problems.push(Problem { source_name, msg }),
                }
            }
            Action::RemovePage(id) => {
                d.pages.retain(|p| p.id != id);
                d.packed = None;
            }
            Action::Packed(result) => match result {
                Ok(p) => {
                    d.packed = Some(p);
                    d.pack_error = None;
                }
                Err(e) => d.pack_error = Some(e),
            },
        }
        Rc::new(d)
    }
}
