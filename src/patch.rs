//! Partial updates: a field left out keeps its value, `null` clears it, a value sets it.
//! serde alone folds "missing" and "null" together, so nullable fields use `nullable`.

use serde::{Deserialize, Deserializer};

/// `#[serde(default, deserialize_with = "crate::patch::nullable")]` on an `Option<Option<T>>`.
pub fn nullable<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Patch {
        #[serde(default, deserialize_with = "super::nullable")]
        email: Option<Option<String>>,
    }

    #[test]
    fn tells_missing_from_null() {
        let p: Patch = serde_json::from_str("{}").unwrap();
        assert_eq!(p.email, None);
        let p: Patch = serde_json::from_str(r#"{"email": null}"#).unwrap();
        assert_eq!(p.email, Some(None));
        let p: Patch = serde_json::from_str(r#"{"email": "a@b.co"}"#).unwrap();
        assert_eq!(p.email, Some(Some("a@b.co".into())));
    }
}
