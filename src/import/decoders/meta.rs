//! Facebook and Instagram "Download your information" exports (JSON format).
//!
//! One decoder for both services (their files share one structure); the rule name says what a
//! file holds:
//!
//! * `messages` — one Messenger / Instagram Direct thread file
//!   (`messages/inbox/<thread>/message_N.json`): a `conversation` event for the thread
//!   (title, participants, folder: inbox, archived_threads, message_requests, …) and a
//!   `message` event per message, parented to it: sender, `direction` (sent/received, when the
//!   account's name is known), photos, videos, audio, files, GIFs, sticker, `share` (link,
//!   text, owner), `reactions` (reaction, actor), call duration, unsent flag. A long thread is
//!   split over message_1.json, message_2.json, …: each file names the same conversation, which
//!   is stored once. Thread files are read whole (Meta writes at most 10 000 messages to one;
//!   anything over 256 MiB is refused as not a thread file).
//! * `posts` — Facebook's `your_posts*.json` / Instagram's `posts_N.json`: `post` events with
//!   the text, the activity line Facebook writes ("… updated her status.") as title, media
//!   (URI, title, description), links, place and tags. EXIF data (with the upload IP) is not
//!   copied.
//! * `comments` — Facebook's `comments.json` (`comments_v2`) and Instagram's
//!   `post_comments_N.json` / `reels_comments.json` (both of Instagram's layouts, and the
//!   field names of other languages listed in the spec's `[tables.comment_fields]`):
//!   `comment` events with the text and whose post it was on.
//!
//! Every string is repaired from Meta's mojibake first ([`crate::import::text`]): the export
//! writes UTF-8 bytes as `\u00XX` escapes. Nothing in these files has an id, so natural keys
//! are built from what identifies an item and does not change between exports: thread, time,
//! sender and content (not reactions, which others add later). Times are epoch seconds (posts,
//! comments) or milliseconds (messages), in UTC; the exports carry no offset. Texts get PII
//! markers.

use std::io::BufRead;

use serde_json::{Value as Json, json};
use xxhash_rust::xxh3::xxh3_64;

use super::jsonutil::{bool_at, excerpt, int_at, items, str_at};
use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::decoders::jsonstream::{Item, MAX_RECORD, first_byte, read_document, stream};
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::import::text::fix_mojibake_json;
use crate::model::{Attrs, Event, EventRef};

/// No Messenger thread file comes near this (10 000 messages is a few MiB).
const MAX_THREAD_FILE: u64 = 256 << 20;

#[derive(Clone, Copy)]
enum What {
    Messages,
    Posts,
    Comments,
}

pub struct Meta {
    what: What,
    member: String,
    /// Names the account goes by, to tell sent messages from received ones.
    me: Vec<String>,
    comment_keys: Vec<String>,
    owner_keys: Vec<String>,
    time_keys: Vec<String>,
}

pub fn create(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    let what = match ctx.rule.name.as_str() {
        "messages" => What::Messages,
        "posts" => What::Posts,
        "comments" => What::Comments,
        other => {
            return Err(Error::BadSpec {
                origin: ctx.spec.origin.clone(),
                detail: format!(
                    "files.{other}: the meta decoder reads rules named messages, posts or comments"
                ),
            });
        }
    };
    let list = |key: &str, default: &str| -> Vec<String> {
        ctx.spec
            .tables
            .get("comment_fields")
            .and_then(|t| t.get(key))
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_else(|| vec![default.to_string()])
    };
    let mut me = vec![ctx.account.account.clone()];
    me.extend(ctx.account.display_name.clone());
    me.retain(|n| !n.is_empty());
    Ok(Box::new(Meta {
        what,
        member: ctx.member.to_string(),
        me,
        comment_keys: list("comment", "Comment"),
        owner_keys: list("owner", "Media Owner"),
        time_keys: list("time", "Time"),
    }))
}

impl Decoder for Meta {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        match self.what {
            What::Messages => {
                let mut doc = read_document(input, MAX_THREAD_FILE)?;
                fix_mojibake_json(&mut doc);
                self.thread(&doc, out)
            }
            What::Posts => self.records(input, out, &["your_posts", "posts"], post),
            What::Comments => self.records(
                input,
                out,
                &[
                    "comments_v2",
                    "comments",
                    "comments_media_comments",
                    "comments_reels_comments",
                    "post_comments",
                ],
                |v, locator, out| self.comment(v, locator, out),
            ),
        }
    }
}

impl Meta {
    /// The records of a posts or comments file: the elements of its top-level array, or of
    /// the array under one of `keys` (Facebook's `{"comments_v2": [ … ]}`; such files are
    /// small, and the array comes whole).
    fn records(
        &self,
        input: &mut dyn BufRead,
        out: &mut Emitter,
        keys: &[&str],
        mut each: impl FnMut(&Json, &str, &mut Emitter) -> DecodeResult,
    ) -> DecodeResult {
        // A top-level array is the records, even an empty one.
        let mut found = first_byte(input)? == Some(b'[');
        let mut n = 0u64;
        stream(input, None, MAX_RECORD, &mut |item| {
            let list = match item {
                Item::Element(_, v) => vec![v],
                Item::Field(k, Json::Array(list)) if keys.contains(&k.as_str()) => list,
                Item::Field(..) => return Ok(()),
            };
            found = true;
            for mut v in list {
                n += 1;
                fix_mojibake_json(&mut v);
                each(&v, &format!("record {n}"), out)?;
            }
            Ok(())
        })?;
        if !found {
            return Err(DecodeError::fatal(
                "top level",
                format!("no array of records (looked for {})", keys.join(", ")),
            ));
        }
        Ok(())
    }
}

/// A short, stable hash of identity parts (for natural keys of id-less items).
fn ident(parts: &[&str]) -> String {
    let mut buf = Vec::new();
    for p in parts {
        buf.extend_from_slice(p.as_bytes());
        buf.push(0);
    }
    format!("{:016x}", xxh3_64(&buf))
}

/// `[{"uri": …}, …]` → the URIs (and, when present, what else identifies the item).
fn media_list(v: &Json, key: &str) -> Vec<Json> {
    items(v, key)
        .iter()
        .filter_map(|m| {
            let uri = str_at(m, "uri")?;
            let mut o = Attrs::new();
            o.set("uri", uri);
            Some(o.into_value())
        })
        .collect()
}

fn epoch_s(v: &Json, key: &str) -> Option<i64> {
    int_at(v, key).filter(|t| *t > 0).map(|t| t * 1000)
}

impl Meta {
    fn thread(&self, doc: &Json, out: &mut Emitter) -> DecodeResult {
        // …/messages/<folder>/<thread>/message_1.json
        let mut parts = self.member.rsplit('/').skip(1);
        let folder_thread = (parts.next(), parts.next());
        let thread = str_at(doc, "thread_path")
            .and_then(|p| p.rsplit('/').next())
            .or(folder_thread.0)
            .unwrap_or("unknown")
            .to_string();
        let folder = folder_thread.1.map(str::to_string);
        let Some(messages) = doc.get("messages").and_then(Json::as_array) else {
            return Err(DecodeError::fatal(
                "top level",
                "no `messages` array: not a message thread file",
            ));
        };
        let participants: Vec<Json> = items(doc, "participants")
            .iter()
            .filter_map(|p| str_at(p, "name").map(|n| json!(n)))
            .collect();
        let times: Vec<i64> = messages
            .iter()
            .filter_map(|m| int_at(m, "timestamp_ms"))
            .collect();
        let first = times.iter().min().copied();
        let last = times.iter().max().copied();
        let title = str_at(doc, "title").map(str::to_string);
        let group =
            str_at(doc, "thread_type").map_or(participants.len() > 2, |t| t.contains("Group"));
        let mut a = Attrs::new();
        a.set("thread", thread.as_str())
            .set_opt("folder", folder)
            .set("group", group)
            .set("participants", participants);
        if bool_at(doc, "is_still_participant") == Some(false) {
            a.set("left", true);
        }
        a.pii(&[("title", title.as_deref())]);
        let handle = out.event(Event {
            kind: "conversation".into(),
            start_ms: first,
            end_ms: last.filter(|l| Some(*l) != first),
            title,
            attrs: a.into_json(),
            natural_key: Some(format!("conversation:{thread}")),
            locator: Some("thread".into()),
            ..Default::default()
        })?;
        for (i, m) in messages.iter().enumerate() {
            let locator = format!("message {}", i + 1);
            let Some(ts) = int_at(m, "timestamp_ms") else {
                out.reject(&locator, "a message without timestamp_ms", Some(excerpt(m)))?;
                continue;
            };
            let sender = str_at(m, "sender_name");
            let content = str_at(m, "content").map(str::to_string);
            let mut a = Attrs::new();
            a.set("thread", thread.as_str()).set_opt("sender", sender);
            if let Some(s) = sender
                && !self.me.is_empty()
            {
                let mine = self.me.iter().any(|n| n == s);
                a.set("direction", if mine { "sent" } else { "received" });
            }
            let mut media_ids = Vec::new();
            for key in ["photos", "videos", "audio_files", "files", "gifs"] {
                let list = media_list(m, key);
                for x in &list {
                    media_ids.push(x["uri"].as_str().unwrap_or_default().to_string());
                }
                if !list.is_empty() {
                    a.set(key, list);
                }
            }
            if let Some(uri) = m.get("sticker").and_then(|s| str_at(s, "uri")) {
                a.set("sticker", uri);
                media_ids.push(uri.to_string());
            }
            let share = m.get("share").map(|s| {
                let mut o = Attrs::new();
                o.set_opt("link", str_at(s, "link"))
                    .set_opt("text", str_at(s, "share_text"))
                    .set_opt("owner", str_at(s, "original_content_owner"));
                o
            });
            let share_link = m
                .get("share")
                .and_then(|s| str_at(s, "link"))
                .unwrap_or_default()
                .to_string();
            if let Some(share) = share.filter(|o| !o.is_empty()) {
                a.set("share", share.into_value());
            }
            let reactions: Vec<Json> = items(m, "reactions")
                .iter()
                .map(|r| {
                    let mut o = Attrs::new();
                    o.set_opt("reaction", str_at(r, "reaction"))
                        .set_opt("actor", str_at(r, "actor"));
                    o.into_value()
                })
                .collect();
            if !reactions.is_empty() {
                a.set("reactions", reactions);
            }
            a.set_opt("call_duration_s", int_at(m, "call_duration"));
            if let Some(kind) = str_at(m, "type").filter(|t| *t != "Generic") {
                a.set("type", kind);
            }
            if bool_at(m, "is_unsent") == Some(true) {
                a.set("unsent", true);
            }
            a.pii(&[("body", content.as_deref())]);
            let key = ident(&[
                sender.unwrap_or_default(),
                content.as_deref().unwrap_or_default(),
                &share_link,
                &media_ids.join("\u{1f}"),
            ]);
            out.leaf_event(Event {
                kind: "message".into(),
                start_ms: Some(ts),
                body: content,
                attrs: a.into_json(),
                natural_key: Some(format!("message:{thread}:{ts}:{key}")),
                parent: Some(EventRef::Handle(handle)),
                locator: Some(locator),
                ..Default::default()
            })?;
        }
        Ok(())
    }

    fn comment(&self, v: &Json, locator: &str, out: &mut Emitter) -> DecodeResult {
        let (text, at, owner, title, group) = if let Some(data) = v.get("data") {
            // Facebook: {timestamp, data: [{comment: {timestamp, comment, author, group}}], title}
            let c = data
                .as_array()
                .into_iter()
                .flatten()
                .find_map(|d| d.get("comment"))
                .unwrap_or(&Json::Null);
            (
                str_at(c, "comment").map(str::to_string),
                epoch_s(c, "timestamp").or_else(|| epoch_s(v, "timestamp")),
                None,
                str_at(v, "title").map(str::to_string),
                str_at(c, "group").map(str::to_string),
            )
        } else if let Some(map) = v.get("string_map_data") {
            // Instagram (2022+): {"Comment": {"value"}, "Media Owner": {"value"}, "Time": {"timestamp"}}
            let value = |keys: &[String]| {
                keys.iter()
                    .find_map(|k| map.get(k).and_then(|e| str_at(e, "value")))
                    .map(str::to_string)
            };
            let time = self
                .time_keys
                .iter()
                .find_map(|k| map.get(k).and_then(|e| epoch_s(e, "timestamp")))
                .or_else(|| {
                    map.as_object()?
                        .values()
                        .find_map(|e| epoch_s(e, "timestamp"))
                });
            (
                value(&self.comment_keys),
                time,
                value(&self.owner_keys),
                None,
                None,
            )
        } else {
            // Instagram (older): {"title": owner, "string_list_data": [{"value", "timestamp"}]}
            let first = items(v, "string_list_data").first().unwrap_or(&Json::Null);
            (
                str_at(first, "value").map(str::to_string),
                epoch_s(first, "timestamp"),
                str_at(v, "title").map(str::to_string),
                None,
                None,
            )
        };
        let Some(at) = at else {
            return out.reject(locator, "a comment without a time", Some(excerpt(v)));
        };
        let mut a = Attrs::new();
        a.set_opt("post_owner", owner.clone())
            .set_opt("group", group);
        let links = attachment_links(v);
        if !links.is_empty() {
            a.set("links", links);
        }
        let media = attachment_media(v);
        if !media.is_empty() {
            a.set("media", media);
        }
        a.pii(&[("title", title.as_deref()), ("body", text.as_deref())]);
        let key = ident(&[
            text.as_deref().unwrap_or_default(),
            title.as_deref().unwrap_or_default(),
            owner.as_deref().unwrap_or_default(),
        ]);
        out.leaf_event(Event {
            kind: "comment".into(),
            start_ms: Some(at),
            title,
            body: text,
            attrs: a.into_json(),
            natural_key: Some(format!("comment:{at}:{key}")),
            locator: Some(locator.to_string()),
            ..Default::default()
        })?;
        Ok(())
    }
}

/// `attachments[].data[]` entries of one kind.
fn attachment_data<'v>(v: &'v Json, kind: &str) -> Vec<&'v Json> {
    items(v, "attachments")
        .iter()
        .flat_map(|a| items(a, "data"))
        .filter_map(|d| d.get(kind))
        .collect()
}

fn attachment_links(v: &Json) -> Vec<Json> {
    attachment_data(v, "external_context")
        .into_iter()
        .filter_map(|e| {
            let mut o = Attrs::new();
            o.set_opt("url", str_at(e, "url"))
                .set_opt("name", str_at(e, "name"));
            (!o.is_empty()).then(|| o.into_value())
        })
        .collect()
}

fn attachment_media(v: &Json) -> Vec<Json> {
    attachment_data(v, "media")
        .into_iter()
        .filter_map(|m| {
            let mut o = Attrs::new();
            o.set("uri", str_at(m, "uri")?)
                .set_opt("title", str_at(m, "title"))
                .set_opt("description", str_at(m, "description"));
            Some(o.into_value())
        })
        .collect()
}

fn post(v: &Json, locator: &str, out: &mut Emitter) -> DecodeResult {
    let (at, text, title, media) = if v.get("media").is_some_and(Json::is_array) {
        // Instagram: {media: [{uri, creation_timestamp, title}], title?, creation_timestamp?}
        let first = items(v, "media").first().unwrap_or(&Json::Null);
        let caption = str_at(v, "title").or_else(|| str_at(first, "title"));
        let media: Vec<Json> = items(v, "media")
            .iter()
            .filter_map(|m| {
                let mut o = Attrs::new();
                o.set("uri", str_at(m, "uri")?);
                Some(o.into_value())
            })
            .collect();
        (
            epoch_s(v, "creation_timestamp").or_else(|| epoch_s(first, "creation_timestamp")),
            caption.map(str::to_string),
            None,
            media,
        )
    } else {
        // Facebook: {timestamp, data: [{post}, {update_timestamp}], attachments, title, tags}
        let text = items(v, "data")
            .iter()
            .find_map(|d| str_at(d, "post"))
            .map(str::to_string);
        (
            epoch_s(v, "timestamp"),
            text,
            str_at(v, "title").map(str::to_string),
            attachment_media(v),
        )
    };
    let Some(at) = at else {
        return out.reject(locator, "a post without a time", Some(excerpt(v)));
    };
    let links = attachment_links(v);
    let mut a = Attrs::new();
    a.set_opt(
        "updated_ms",
        items(v, "data")
            .iter()
            .find_map(|d| epoch_s(d, "update_timestamp"))
            .filter(|u| *u != at),
    );
    let media_ids: Vec<String> = media
        .iter()
        .filter_map(|m| m["uri"].as_str().map(str::to_string))
        .collect();
    if !media.is_empty() {
        a.set("media", media);
    }
    if !links.is_empty() {
        a.set("links", links.clone());
    }
    if let Some(place) = attachment_data(v, "place").first() {
        let mut o = Attrs::new();
        o.set_opt("name", str_at(place, "name"))
            .set_opt("address", str_at(place, "address"));
        if let Some(c) = place.get("coordinate") {
            o.set_opt("lat", c.get("latitude").and_then(Json::as_f64))
                .set_opt("lon", c.get("longitude").and_then(Json::as_f64));
        }
        a.set("place", o.into_value());
    }
    let tags: Vec<Json> = items(v, "tags")
        .iter()
        .filter_map(|t| str_at(t, "name").or_else(|| t.as_str()).map(|n| json!(n)))
        .collect();
    if !tags.is_empty() {
        a.set("tags", tags);
    }
    a.pii(&[("title", title.as_deref()), ("body", text.as_deref())]);
    let key = ident(&[
        text.as_deref().unwrap_or_default(),
        &media_ids.join("\u{1f}"),
        &links
            .iter()
            .filter_map(|l| l["url"].as_str())
            .collect::<Vec<_>>()
            .join("\u{1f}"),
    ]);
    out.leaf_event(Event {
        kind: "post".into(),
        start_ms: Some(at),
        title,
        body: text,
        attrs: a.into_json(),
        natural_key: Some(format!("post:{at}:{key}")),
        locator: Some(locator.to_string()),
        ..Default::default()
    })?;
    Ok(())
}
