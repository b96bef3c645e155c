//! Who gets a new lead: the reps of the first territory holding its postal code,
//! else the reps of its source, in round robin. The turn is a counter on the
//! territory or source row, bumped by the same statement that picks it, so it
//! survives restarts and two concurrent creates never draw the same turn.

use crate::{
    db::{sql, Conn},
    Result,
};

/// The user_access the next lead goes to, or `None` when no territory or source
/// has reps for it. Runs in the lead's transaction after a write (the company's
/// lock), so that SQLite holds its write lock before anything is read.
pub async fn assign(
    db: &mut impl Conn,
    company_id: i64,
    postal_code: Option<&str>,
    source_id: Option<i64>,
) -> Result<Option<i64>> {
    Ok(assign_many(db, company_id, &[(postal_code, source_id)])
        .await?
        .pop()
        .flatten())
}

/// The same choice for many leads at once (an import's batch), in their order, as if
/// `assign` ran for each in turn: each territory's and source's turn moves once by
/// the number of leads it takes.
pub async fn assign_many(
    db: &mut impl Conn,
    company_id: i64,
    leads: &[(Option<&str>, Option<i64>)],
) -> Result<Vec<Option<i64>>> {
    use std::collections::HashMap;
    let postal_codes: Vec<&str> = leads.iter().filter_map(|(p, _)| *p).collect();
    let territories: Vec<(String, i64)> = if postal_codes.is_empty() {
        Vec::new()
    } else {
        let q = sql(format!(
            "SELECT tp.postal_code, MIN(tp.territory_id) FROM territory_postal_codes tp \
             WHERE tp.company_id = $1 AND tp.postal_code IN (SELECT keys.value FROM {}) AND EXISTS \
               (SELECT 1 FROM territory_user_accesses tua WHERE tua.territory_id = tp.territory_id) \
             GROUP BY tp.postal_code",
            db.backend().json_strings("$2")
        ));
        db.fetch_all(
            q.bind(company_id)
                .bind(serde_json::to_string(&postal_codes).map_err(crate::Error::internal)?),
        )
        .await?
    };
    let territory_of: HashMap<String, i64> = territories.into_iter().collect();
    let staffed: Vec<i64> = db
        .scalars(
            sql("SELECT DISTINCT s.id FROM sources s JOIN source_user_accesses sua ON sua.source_id = s.id \
                 WHERE s.company_id = $1")
            .bind(company_id),
        )
        .await?;
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum Group {
        Territory(i64),
        Source(i64),
    }
    let groups: Vec<Option<Group>> = leads
        .iter()
        .map(|(postal, source)| {
            postal
                .and_then(|p| territory_of.get(p))
                .map(|t| Group::Territory(*t))
                .or_else(|| source.filter(|s| staffed.contains(s)).map(Group::Source))
        })
        .collect();
    let mut counts: HashMap<Group, i64> = HashMap::new();
    for g in groups.iter().flatten() {
        *counts.entry(*g).or_default() += 1;
    }
    // (reps, the turn before this batch's first) per group.
    let mut turns: HashMap<Group, (Vec<i64>, i64)> = HashMap::new();
    for (group, n) in counts {
        let (bump, reps) = match group {
            Group::Territory(_) => (
                "UPDATE territories SET rr_cursor = rr_cursor + $1 WHERE id = $2 RETURNING rr_cursor",
                "SELECT user_access_id FROM territory_user_accesses WHERE territory_id = $1 ORDER BY user_access_id",
            ),
            Group::Source(_) => (
                "UPDATE sources SET rr_cursor = rr_cursor + $1 WHERE id = $2 RETURNING rr_cursor",
                "SELECT user_access_id FROM source_user_accesses WHERE source_id = $1 ORDER BY user_access_id",
            ),
        };
        let (Group::Territory(id) | Group::Source(id)) = group;
        let last: i64 = db.scalar(sql(bump).bind(n).bind(id)).await?;
        let reps = db.scalars(sql(reps).bind(id)).await?;
        turns.insert(group, (reps, last - n));
    }
    Ok(groups
        .into_iter()
        .map(|g| {
            let (reps, turn) = turns.get_mut(&g?)?;
            *turn += 1;
            pick(reps, *turn)
        })
        .collect())
}

/// Turn 1 goes to the first rep, turn n+1 to the one after turn n's, wrapping.
fn pick(reps: &[i64], turn: i64) -> Option<i64> {
    if reps.is_empty() {
        return None;
    }
    let i = (turn - 1).rem_euclid(reps.len() as i64) as usize;
    Some(reps[i])
}

#[cfg(test)]
mod tests {
    #[test]
    fn turns_go_round() {
        let reps = [7, 9, 12];
        let got: Vec<_> = (1..=7).map(|t| super::pick(&reps, t).unwrap()).collect();
        assert_eq!(got, [7, 9, 12, 7, 9, 12, 7]);
        assert_eq!(super::pick(&[], 1), None);
    }
}
