//! ChatGPT's `conversations.json` (Settings → Data controls → Export data).
//!
//! The file is one array of conversations; it is streamed one conversation at a time (a heavy
//! user's file runs to hundreds of megabytes). A conversation is a *tree*: `mapping` holds
//! every node (`{id, message, parent, children}`), and editing a prompt or regenerating an
//! answer adds a sibling branch instead of replacing anything. What the user sees is the path
//! from the root to `current_node`.
//!
//! * Each conversation → a `chat.conversation` event: title, created and updated times,
//!   default model, custom GPT (`gizmo_id`), archived flag, and how many turns its visible
//!   thread and its other branches hold.
//! * Each message → a `chat.message` event parented to it: `role`, `model` (the one that
//!   wrote an answer), `content_type`, text. Messages on the visible thread carry `seq` (their
//!   position in it); messages of edited or regenerated branches are kept with
//!   `branch: true`, so the main thread is `attrs.branch IS NULL ORDER BY attrs.seq`, and every
//!   message names its `parent_message_id`, so the whole tree can be rebuilt.
//! * Not imported (counted as skipped): the empty root, system prompts, messages the app hides
//!   (`is_visually_hidden_from_conversation`, custom-instruction and memory contexts), and
//!   messages without any text.
//!
//! Times are epoch seconds as floats; messages may have none (older exports), then their
//! start is NULL. If `current_node` is missing or unknown, the visible thread ends at the most
//! recent leaf. Every title and text gets PII markers.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use serde_json::Value as Json;

use super::jsonutil::{bool_at, excerpt, id_at, items, num_at, str_at};
use crate::error::Result;
use crate::import::DecodeContext;
use crate::import::decoders::jsonstream::{Item, MAX_RECORD, stream};
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::model::{Attrs, Event, EventRef};

pub struct ChatGpt;

pub fn create(_ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    Ok(Box::new(ChatGpt))
}

impl Decoder for ChatGpt {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        stream(input, None, MAX_RECORD, &mut |item| match item {
            Item::Element(n, v) => conversation(&v, &format!("conversation {n}"), out),
            Item::Field(..) => Err(DecodeError::fatal(
                "top level",
                "not an array of conversations",
            )),
        })
    }
}

/// Epoch seconds (a float) → ms.
fn time_ms(v: &Json, key: &str) -> Option<i64> {
    num_at(v, key)
        .filter(|s| *s > 0.0)
        .map(|s| (s * 1000.0).round() as i64)
}

/// The text a message shows, by content type; `None` for content without text.
fn text_of(content: &Json) -> Option<String> {
    let kind = str_at(content, "content_type").unwrap_or("text");
    let text = match kind {
        "text" | "multimodal_text" => {
            let parts: Vec<&str> = items(content, "parts")
                .iter()
                .filter_map(Json::as_str)
                .filter(|s| !s.is_empty())
                .collect();
            parts.join("\n")
        }
        "tether_browsing_display" => str_at(content, "result").unwrap_or_default().to_string(),
        "thoughts" => items(content, "thoughts")
            .iter()
            .filter_map(|t| str_at(t, "content"))
            .collect::<Vec<_>>()
            .join("\n\n"),
        "reasoning_recap" => str_at(content, "content").unwrap_or_default().to_string(),
        // code, execution_output, tether_quote, system_error, and whatever comes next.
        _ => str_at(content, "text")
            .map(str::to_string)
            .unwrap_or_else(|| {
                items(content, "parts")
                    .iter()
                    .filter_map(Json::as_str)
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
    };
    (!text.trim().is_empty()).then_some(text)
}

/// Messages the app never shows.
fn hidden(message: &Json) -> bool {
    let role = message
        .get("author")
        .and_then(|a| str_at(a, "role"))
        .unwrap_or("");
    let kind = message
        .get("content")
        .and_then(|c| str_at(c, "content_type"))
        .unwrap_or("text");
    role == "system"
        || message
            .get("metadata")
            .and_then(|m| bool_at(m, "is_visually_hidden_from_conversation"))
            == Some(true)
        || matches!(kind, "user_editable_context" | "model_editable_context")
}

fn conversation(v: &Json, locator: &str, out: &mut Emitter) -> DecodeResult {
    let Some(cid) = id_at(v, "conversation_id").or_else(|| id_at(v, "id")) else {
        return out.reject(locator, "a conversation without an id", Some(excerpt(v)));
    };
    let Some(mapping) = v.get("mapping").and_then(Json::as_object) else {
        return out.reject(
            locator,
            format!("conversation {cid}: no `mapping` of messages"),
            Some(excerpt(v)),
        );
    };

    // The visible thread: from current_node (or the latest leaf) up to the root.
    let current = str_at(v, "current_node")
        .filter(|c| mapping.contains_key(*c))
        .map(str::to_string)
        .or_else(|| latest_leaf(mapping));
    let mut main: Vec<&str> = Vec::new();
    let mut seen = HashSet::new();
    let mut at = current.as_deref();
    while let Some(id) = at {
        // A cycle (a hostile or corrupt file) ends the walk instead of looping.
        if !seen.insert(id) {
            break;
        }
        main.push(id);
        at = mapping
            .get(id)
            .and_then(|n| str_at(n, "parent"))
            .filter(|p| mapping.contains_key(*p));
    }
    main.reverse();
    let on_main: HashSet<&str> = main.iter().copied().collect();
    // Other branches, in time order (then id, for a stable order).
    let mut branch: Vec<(&str, Option<i64>)> = mapping
        .iter()
        .filter(|(id, _)| !on_main.contains(id.as_str()))
        .map(|(id, n)| {
            (
                id.as_str(),
                n.get("message").and_then(|m| time_ms(m, "create_time")),
            )
        })
        .collect();
    branch.sort_by(|a, b| (a.1.unwrap_or(i64::MAX), a.0).cmp(&(b.1.unwrap_or(i64::MAX), b.0)));

    let shown = |id: &str| {
        mapping
            .get(id)
            .and_then(|n| n.get("message"))
            .filter(|m| m.is_object() && !hidden(m))
            .and_then(|m| m.get("content"))
            .and_then(text_of)
            .is_some()
    };
    let turns = main.iter().filter(|id| shown(id)).count();
    let branch_turns = branch.iter().filter(|(id, _)| shown(id)).count();

    let title = str_at(v, "title").map(str::to_string);
    let mut a = Attrs::new();
    a.set("conversation_id", cid.as_str())
        .set_opt("model", str_at(v, "default_model_slug"))
        .set_opt("gizmo_id", str_at(v, "gizmo_id"))
        .set("turns", turns)
        .set("branch_turns", branch_turns);
    if bool_at(v, "is_archived") == Some(true) {
        a.set("archived", true);
    }
    a.pii(&[("title", title.as_deref())]);
    let start = time_ms(v, "create_time");
    let handle = out.event(Event {
        kind: "chat.conversation".into(),
        start_ms: start,
        end_ms: time_ms(v, "update_time").filter(|e| Some(*e) > start),
        title,
        attrs: a.into_json(),
        natural_key: Some(format!("chat.conversation:{cid}")),
        original_id: Some(cid.clone()),
        locator: Some(locator.to_string()),
        ..Default::default()
    })?;

    // The message id of each node (parent links name nodes; messages have their own ids).
    let message_id: HashMap<&str, String> = mapping
        .iter()
        .filter_map(|(id, n)| {
            let m = n.get("message").filter(|m| m.is_object())?;
            Some((id.as_str(), id_at(m, "id").unwrap_or_else(|| id.clone())))
        })
        .collect();
    let mut seq = 0usize;
    let ordered = main
        .iter()
        .map(|id| (*id, true))
        .chain(branch.iter().map(|(id, _)| (*id, false)));
    for (node_id, is_main) in ordered {
        let node = &mapping[node_id];
        let Some(m) = node.get("message").filter(|m| m.is_object()) else {
            // The root of every tree has no message.
            continue;
        };
        let mlocator = format!("{locator} message {node_id}");
        let text = m.get("content").and_then(text_of);
        let (false, Some(text)) = (hidden(m), text) else {
            out.skip()?;
            continue;
        };
        let author = m.get("author").unwrap_or(&Json::Null);
        let role = str_at(author, "role").unwrap_or("unknown");
        let content = m.get("content").unwrap_or(&Json::Null);
        let meta = m.get("metadata").unwrap_or(&Json::Null);
        let mid = message_id[node_id].clone();
        let mut a = Attrs::new();
        a.set("conversation_id", cid.as_str())
            .set("role", role)
            .set_opt("author_name", str_at(author, "name"))
            .set_opt(
                "model",
                (role == "assistant")
                    .then(|| str_at(meta, "model_slug"))
                    .flatten(),
            )
            .set(
                "content_type",
                str_at(content, "content_type").unwrap_or("text"),
            )
            .set_opt("language", str_at(content, "language"))
            .set_opt("recipient", str_at(m, "recipient").filter(|r| *r != "all"))
            .set_opt(
                "parent_message_id",
                str_at(node, "parent")
                    .and_then(|p| message_id.get(p))
                    .cloned(),
            );
        if is_main {
            a.set("seq", seq);
            seq += 1;
        } else {
            a.set("branch", true);
        }
        let attachments: Vec<Json> = items(meta, "attachments")
            .iter()
            .map(|f| {
                let mut o = Attrs::new();
                o.set_opt("name", str_at(f, "name"))
                    .set_opt("mime", str_at(f, "mime_type"))
                    .set_opt("size", num_at(f, "size").map(|s| s as i64));
                o.into_value()
            })
            .collect();
        if !attachments.is_empty() {
            a.set("attachments", attachments);
        }
        let images = items(content, "parts")
            .iter()
            .filter(|p| str_at(p, "content_type") == Some("image_asset_pointer"))
            .count();
        if images > 0 {
            a.set("images", images);
        }
        if content.get("content_type").and_then(Json::as_str) == Some("tether_quote") {
            a.set_opt("quote_url", str_at(content, "url"))
                .set_opt("quote_title", str_at(content, "title"));
        }
        a.pii(&[("body", Some(&text))]);
        out.leaf_event(Event {
            kind: "chat.message".into(),
            start_ms: time_ms(m, "create_time"),
            body: Some(text),
            attrs: a.into_json(),
            natural_key: Some(format!("chat.message:{mid}")),
            original_id: Some(mid),
            parent: Some(EventRef::Handle(handle)),
            locator: Some(mlocator),
            ..Default::default()
        })?;
    }
    Ok(())
}

/// The leaf (a node without children) with the latest message time.
fn latest_leaf(mapping: &serde_json::Map<String, Json>) -> Option<String> {
    mapping
        .iter()
        .filter(|(_, n)| items(n, "children").is_empty())
        .max_by_key(|(id, n)| {
            (
                n.get("message")
                    .and_then(|m| time_ms(m, "create_time"))
                    .unwrap_or(i64::MIN),
                std::cmp::Reverse(id.as_str()),
            )
        })
        .map(|(id, _)| id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_by_content_type() {
        assert_eq!(
            text_of(&json!({"content_type": "text", "parts": ["a", "", "b"]})).as_deref(),
            Some("a\nb")
        );
        assert_eq!(
            text_of(&json!({"content_type": "multimodal_text",
                "parts": [{"content_type": "image_asset_pointer"}, "what is this?"]}))
            .as_deref(),
            Some("what is this?")
        );
        assert_eq!(
            text_of(&json!({"content_type": "code", "language": "python", "text": "1+1"}))
                .as_deref(),
            Some("1+1")
        );
        assert_eq!(
            text_of(&json!({"content_type": "thoughts",
                "thoughts": [{"summary": "s", "content": "first"}, {"content": "second"}]}))
            .as_deref(),
            Some("first\n\nsecond")
        );
        assert_eq!(
            text_of(&json!({"content_type": "text", "parts": [""]})),
            None
        );
    }

    #[test]
    fn latest_leaf_when_current_node_is_missing() {
        let m = json!({
            "root": {"message": null, "children": ["a", "b"]},
            "a": {"message": {"create_time": 10.0}, "parent": "root", "children": []},
            "b": {"message": {"create_time": 20.0}, "parent": "root", "children": []}
        });
        assert_eq!(latest_leaf(m.as_object().unwrap()).as_deref(), Some("b"));
    }
}
