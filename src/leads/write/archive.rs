//! Taking leads out of `leads` and putting them back: a merge removes the leads it
//! takes in, and its undo restores them as they were, under their own ids.

use super::super::search::SearchText;
use super::super::Lead;
use crate::db::{Backend, Tx};
use crate::time::Timestamp;
use crate::Result;
use serde_json::Value;

/// Deletes the leads of `ids` (already locked by the caller). Their notes and
/// appointments must have moved first: the database would delete them too.
pub(crate) async fn remove(tx: &mut Tx<'_>, company_id: i64, ids: &[i64]) -> Result<()> {
    sqlx::query(&format!(
        "DELETE FROM leads WHERE +company_id = $1 AND id IN (SELECT CAST(value AS BIGINT) FROM {})",
        Backend::of(tx).json_strings("$2")
    ))
    .bind(company_id)
    .bind(super::many::id_list(ids))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Puts a removed lead back as it was, its version bumped. A reference to a
/// source, campaign, cycle or member that has gone since is left empty. The id is
/// the lead's own unless another lead holds it (on SQLite, before migration 0019
/// stopped ids from being given twice); then the lead comes back under a new one.
/// Returns the id.
pub(crate) async fn restore(tx: &mut Tx<'_>, lead: &Lead) -> Result<i64> {
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM leads WHERE id = $1")
        .bind(lead.id)
        .fetch_optional(&mut **tx)
        .await?;
    let fields = super::Draft::of(lead).fields;
    let search = SearchText::of(&fields);
    let id = match taken {
        None => lead.id.to_string(),
        Some(_) => super::new_id(Backend::of(tx)).to_string(),
    };
    let sql = format!(
        "INSERT INTO leads (id, company_id, first_name, last_name, company_name, email, phone, postal_code, \
         email_key, phone_key, search_text, search_contact, stage_id, source_id, campaign_id, cycle_id, \
         assigned_user_access_id, value_cents, answers, created_at, updated_at, version) \
         VALUES ({id}, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         (SELECT id FROM sources WHERE id = $13 AND company_id = $1), \
         (SELECT id FROM campaigns WHERE id = $14 AND company_id = $1), \
         (SELECT id FROM cycles WHERE id = $15 AND company_id = $1), \
         (SELECT id FROM user_accesses WHERE id = $16 AND company_id = $1), \
         $17, $18, $19, $20, $21) RETURNING id"
    );
    let restored: i64 = sqlx::query_scalar(&sql)
        .bind(lead.company_id)
        .bind(&fields.first_name)
        .bind(&fields.last_name)
        .bind(&fields.company_name)
        .bind(&fields.email)
        .bind(&fields.phone)
        .bind(&fields.postal_code)
        .bind(fields.email_key())
        .bind(fields.phone_key())
        .bind(search.names)
        .bind(search.contact)
        .bind(lead.stage_id)
        .bind(lead.source_id)
        .bind(lead.campaign_id)
        .bind(lead.cycle_id)
        .bind(lead.assigned_user_access_id)
        .bind(lead.value_cents)
        .bind(Value::Object(lead.answers.clone()).to_string())
        .bind(lead.created_at.0)
        .bind(Timestamp::now().0)
        .bind(lead.version + 1)
        .fetch_one(&mut **tx)
        .await?;
    Ok(restored)
}
