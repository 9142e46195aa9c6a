pub mod field_input;
pub mod form_view;
pub mod offline_banner;
pub mod package_view;
pub mod paper_capture;
pub mod procedure_picker;
pub mod saved_list;
pub mod storage_footer;
