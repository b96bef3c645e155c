//! The import page's doors: the upload (a plain multipart form, streamed into the
//! domain's upload), one import's progress and the history.

use crate::error::AppResult;
use leadsy::imports::ImportFile;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// The form sends `company_id` first, then `file`; the file streams into storage
/// and the page goes on to show the import's progress.
#[server(input = MultipartFormData)]
pub async fn upload_import(data: MultipartData) -> AppResult<()> {
    use crate::session;
    let (actor, ctx) = session::caller().await?;
    let mut data = data
        .into_inner()
        .ok_or_else(|| leadsy::Error::field("file", "is required"))?;
    // A body that breaks off is refused: what arrived must not import as the file.
    fn cut(e: impl std::fmt::Display) -> leadsy::Error {
        leadsy::Error::field(
            "file",
            &format!("did not arrive whole ({e}); upload it again"),
        )
    }
    let mut company_id = None;
    while let Some(mut field) = data.next_field().await.map_err(cut)? {
        match field.name().unwrap_or_default() {
            "company_id" => {
                company_id = crate::rpc::upload::small_text(&mut field)
                    .await?
                    .parse()
                    .ok()
            }
            "file" => {
                let company_id = company_id.ok_or_else(|| leadsy::Error::not_found("company"))?;
                let me = leadsy::actor::Member::check(&ctx.db, &actor, company_id).await?;
                let name = field.file_name().unwrap_or("import.csv").to_string();
                let mut upload = leadsy::imports::Upload::begin(&ctx, &me, &name).await?;
                while let Some(chunk) = field.chunk().await.map_err(cut)? {
                    upload.push(&chunk).await?;
                }
                let import = upload.finish().await?;
                leptos_axum::redirect(&format!("/imports?import={}", import.id));
                return Ok(());
            }
            _ => {}
        }
    }
    Err(leadsy::Error::field("file", "is required").into())
}

#[server]
pub async fn import_status(company_id: i64, import_id: i64) -> AppResult<ImportFile> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    Ok(leadsy::imports::get(&ctx, &me, import_id).await?)
}

#[server]
pub async fn import_history(company_id: i64) -> AppResult<Vec<ImportFile>> {
    use crate::session;
    let (me, ctx) = session::member(company_id).await?;
    let page = leadsy::paging::Page::first_full();
    Ok(leadsy::imports::list(&ctx, &me, page).await?.0)
}
