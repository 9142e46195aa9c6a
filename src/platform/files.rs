//! Files the user picks or drops.

/// Reads a picked or dropped file completely; the error is the browser's reason.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let blob = gloo::file::Blob::from(web_sys::Blob::from(file.clone()));
    gloo::file::futures::read_as_bytes(&blob).await.map_err(|e| e.to_string())
}
