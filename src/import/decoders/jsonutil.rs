//! Reading fields of JSON records that exports type loosely: numbers written as strings
//! (X's `"favorite_count" : "3"`), ids as numbers or strings, empty strings for "none".

use serde_json::Value as Json;

/// A non-empty string field.
pub fn str_at<'v>(v: &'v Json, key: &str) -> Option<&'v str> {
    v.get(key)?.as_str().filter(|s| !s.is_empty())
}

/// An id: a string as it is, an integer as its decimal text.
pub fn id_at(v: &Json, key: &str) -> Option<String> {
    match v.get(key)? {
        Json::String(s) if !s.is_empty() => Some(s.clone()),
        Json::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
    }
}

/// An integer written as a number or as a string (`"3"`).
pub fn int_at(v: &Json, key: &str) -> Option<i64> {
    as_int(v.get(key)?)
}

pub fn as_int(v: &Json) -> Option<i64> {
    match v {
        Json::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A number written as a number or as a string.
pub fn num_at(v: &Json, key: &str) -> Option<f64> {
    match v.get(key)? {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|f: &f64| f.is_finite())
}

/// A boolean written as `true` or `"true"`.
pub fn bool_at(v: &Json, key: &str) -> Option<bool> {
    match v.get(key)? {
        Json::Bool(b) => Some(*b),
        Json::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The elements of an array field (none when absent or not an array).
pub fn items<'v>(v: &'v Json, key: &str) -> &'v [Json] {
    v.get(key)
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// A short excerpt of a record for error messages.
pub fn excerpt(v: &Json) -> String {
    let s = v.to_string();
    crate::import::pipeline::truncate(&s, 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_types() {
        let v = serde_json::json!({
            "a": "3", "b": 4, "c": "x", "d": "", "e": 12.0, "f": "true", "g": [1, 2]
        });
        assert_eq!(int_at(&v, "a"), Some(3));
        assert_eq!(int_at(&v, "b"), Some(4));
        assert_eq!(int_at(&v, "c"), None);
        assert_eq!(int_at(&v, "e"), Some(12));
        assert_eq!(str_at(&v, "d"), None);
        assert_eq!(id_at(&v, "b").as_deref(), Some("4"));
        assert_eq!(bool_at(&v, "f"), Some(true));
        assert_eq!(items(&v, "g").len(), 2);
        assert!(items(&v, "a").is_empty());
        assert_eq!(num_at(&v, "a"), Some(3.0));
    }
}
