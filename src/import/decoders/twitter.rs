//! X (Twitter) archives: `data/*.js` files of the form `window.YTD.<name>.partN = [ … ]`.
//!
//! Which data a file holds is read from its own assignment (`window.YTD.tweets.part1`), not
//! from its name, so renamed files (`tweet.js` in 2019–2021 archives, `tweets.js` since 2022,
//! `tweets-part1.js` in big ones) are all read. The array is streamed element by element
//! ([`super::jsonstream`]).
//!
//! * **Tweets** (`tweet`, `tweets`, `community_tweet`) → `post`, `reply` (it has
//!   `in_reply_to_status_id`) or `repost` (a retweet: the archive keeps them as `RT @user: …`
//!   text) events. Quote tweets are posts (or replies) with `quoted_status_id`, taken from the
//!   field newer archives write or, in older ones, from a link to a status in the tweet's URL
//!   entities. Entities go to attrs: `hashtags`, `mentions`, `urls` (t.co and expanded),
//!   `symbols`, `media` (type, URL and the file name the archive stores it under). Counts
//!   written as strings (`"favorite_count" : "3"`) are stored as numbers; ids stay strings
//!   (they exceed the integers JSON readers keep exactly). Text is HTML-unescaped (`&amp;`).
//!   Elements are `{"tweet": {…}}`, or the tweet itself in early 2019 archives.
//! * **Deleted tweets** (`deleted_tweets`) → the same, with `deleted: true` and `deleted_ms`.
//! * **Likes** (`like`) → `like` events without a time (the archive has none); the liked
//!   tweet's id, text and URL, and `tweet_time`, the liked tweet's creation time as its
//!   snowflake id encodes it.
//! * **Direct messages** (`direct_messages`, `direct_messages_group`) → a `conversation` event
//!   per conversation (participants, group name, first and last message time) and a `message`
//!   event per message, parented to it: sender, recipient, `direction` (sent/received,
//!   relative to the archive's account), URLs, media, reactions. Joins, leaves and renames of
//!   group conversations are read for the conversation and not imported on their own.
//! * **Media files** (only with `--with-media`) → the `media` table, linked to the tweet or
//!   message whose id starts the file name (`<id>-<key>.jpg`).
//!
//! The natural key of a tweet is `tweet:<id>` whatever its kind, so a tweet's classification
//! can never duplicate it. Every text gets PII markers ([`crate::pii`]).

use std::io::BufRead;

use serde_json::{Value as Json, json};

use super::jsonutil::{bool_at, excerpt, id_at, int_at, items, str_at};
use crate::error::Result;
use crate::import::DecodeContext;
use crate::import::decoders::jsonstream::{Item, MAX_RECORD, read_assignment, stream};
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::import::text::unescape_html;
use crate::model::{Attrs, Event, EventRef};
use crate::time::{Zone, parse_with};

/// X's snowflake epoch (2010-11-04T01:42:54.657Z): `id >> 22` is milliseconds since it.
const SNOWFLAKE_EPOCH_MS: i64 = 1_288_834_974_657;
const CREATED_AT: &str = "%a %b %d %H:%M:%S %z %Y";

pub struct Twitter {
    rule: String,
    member: String,
    size: u64,
    account_id: Option<String>,
}

pub fn create(ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    Ok(Box::new(Twitter {
        rule: ctx.rule.name.clone(),
        member: ctx.member.to_string(),
        size: ctx.size,
        account_id: ctx.account.attr("account_id").map(str::to_string),
    }))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Data {
    Tweets { community: bool, deleted: bool },
    Likes,
    DirectMessages { group: bool },
}

/// `window.YTD.tweets.part0` → what the file holds.
fn data_of(lhs: &str) -> Option<Data> {
    let name = lhs.strip_prefix("window.YTD.")?.split('.').next()?;
    Some(match name {
        "tweet" | "tweets" => Data::Tweets {
            community: false,
            deleted: false,
        },
        "community_tweet" | "community_tweets" => Data::Tweets {
            community: true,
            deleted: false,
        },
        "deleted_tweet" | "deleted_tweets" => Data::Tweets {
            community: false,
            deleted: true,
        },
        "like" | "likes" => Data::Likes,
        "direct_message" | "direct_messages" => Data::DirectMessages { group: false },
        "direct_message_group" | "direct_messages_group" => Data::DirectMessages { group: true },
        _ => return None,
    })
}

impl Decoder for Twitter {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        if self.rule == "media" {
            return self.media(input, out);
        }
        let lhs = read_assignment(input)?;
        let Some(data) = data_of(&lhs) else {
            return Err(DecodeError::fatal(
                "start of file",
                format!("{lhs} is not data the X importer reads"),
            ));
        };
        stream(input, None, MAX_RECORD, &mut |item| {
            let Item::Element(n, v) = item else {
                return Err(DecodeError::fatal(
                    "start of file",
                    format!("{lhs} is not assigned an array"),
                ));
            };
            let locator = format!("record {n}");
            match data {
                Data::Tweets { community, deleted } => tweet(&v, community, deleted, &locator, out),
                Data::Likes => like(&v, &locator, out),
                Data::DirectMessages { group } => {
                    conversation(&v, group, self.account_id.as_deref(), &locator, out)
                }
            }
        })?;
        Ok(())
    }
}

impl Twitter {
    /// `data/tweets_media/1234567890-AbCdEf.jpg` → the media table, linked to tweet or DM 1234….
    fn media(&self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let name = self
            .member
            .rsplit('/')
            .next()
            .unwrap_or(&self.member)
            .to_string();
        let event = name
            .split_once('-')
            .map(|(id, _)| id)
            .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            .map(|id| {
                EventRef::Fallback(
                    Box::new(EventRef::NaturalKey(format!("tweet:{id}"))),
                    Box::new(EventRef::NaturalKey(format!("message:{id}"))),
                )
            });
        out.media(
            name.clone(),
            self.member.clone(),
            mime_for(&name).map(str::to_string),
            self.size,
            event,
            input,
        )
    }
}

/// The MIME type of the media kinds X archives hold, by extension.
fn mime_for(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "m4a" => "audio/mp4",
        _ => return None,
    })
}

fn reject(out: &mut Emitter, locator: &str, message: String, v: &Json) -> DecodeResult {
    out.reject(locator, message, Some(excerpt(v)))
}

/// The client name inside X's `<a href="…">Twitter for iPhone</a>`.
fn client_name(source: &str) -> String {
    match (source.find('>'), source.rfind("</a>")) {
        (Some(a), Some(b)) if a < b => unescape_html(&source[a + 1..b]).into_owned(),
        _ => source.to_string(),
    }
}

/// A link to a status: `https://twitter.com/jack/status/20` → (`jack`, `20`).
fn status_link(url: &str) -> Option<(String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let host = host
        .trim_start_matches("www.")
        .trim_start_matches("mobile.");
    if host != "twitter.com" && host != "x.com" {
        return None;
    }
    let mut parts = path.split(['/', '?', '#']);
    let user = parts.next()?;
    let kind = parts.next()?;
    let id = parts.next()?;
    if (kind != "status" && kind != "statuses")
        || id.is_empty()
        || !id.bytes().all(|b| b.is_ascii_digit())
        || user.is_empty()
    {
        return None;
    }
    Some((user.to_string(), id.to_string()))
}

/// The last path segment of a URL, without its query (`…/media/AbC.jpg?x=1` → `AbC.jpg`).
fn url_file_name(url: &str) -> Option<&str> {
    let path = url.split(['?', '#']).next()?;
    path.rsplit('/').next().filter(|s| !s.is_empty())
}

fn tweet(
    v: &Json,
    community: bool,
    deleted: bool,
    locator: &str,
    out: &mut Emitter,
) -> DecodeResult {
    // Early 2019 archives list tweets bare; later ones wrap each in {"tweet": …}.
    let t = v.get("tweet").unwrap_or(v);
    let Some(id) = id_at(t, "id_str").or_else(|| id_at(t, "id")) else {
        return reject(out, locator, "a tweet without an id".into(), v);
    };
    let Some(created) = str_at(t, "created_at") else {
        return reject(out, locator, format!("tweet {id}: no created_at"), v);
    };
    let Some(at) = parse_with(created, CREATED_AT, &Zone::Utc) else {
        return reject(
            out,
            locator,
            format!(
                "tweet {id}: {created:?} is not a time like \"Tue Jan 31 09:01:52 +0000 2017\""
            ),
            v,
        );
    };
    let text = str_at(t, "full_text")
        .or_else(|| str_at(t, "text"))
        .map(|s| unescape_html(s).into_owned());

    let reply_to =
        id_at(t, "in_reply_to_status_id_str").or_else(|| id_at(t, "in_reply_to_status_id"));
    let retweeted = text
        .as_deref()
        .and_then(|s| s.strip_prefix("RT @"))
        .and_then(|s| s.split_once(':'))
        .map(|(name, _)| name.to_string())
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    let kind = if retweeted.is_some() {
        "repost"
    } else if reply_to.is_some() {
        "reply"
    } else {
        "post"
    };

    let entities = t.get("entities").unwrap_or(&Json::Null);
    let hashtags: Vec<Json> = items(entities, "hashtags")
        .iter()
        .filter_map(|h| str_at(h, "text"))
        .map(|s| json!(s))
        .collect();
    let symbols: Vec<Json> = items(entities, "symbols")
        .iter()
        .filter_map(|h| str_at(h, "text"))
        .map(|s| json!(s))
        .collect();
    let mentions: Vec<Json> = items(entities, "user_mentions")
        .iter()
        .filter_map(|m| {
            let name = str_at(m, "screen_name")?;
            let mut o = Attrs::new();
            o.set("screen_name", name)
                .set_opt("id", id_at(m, "id_str").or_else(|| id_at(m, "id")));
            Some(o.into_value())
        })
        .collect();
    let mut quoted: Option<(Option<String>, String)> = id_at(t, "quoted_status_id_str")
        .or_else(|| id_at(t, "quoted_status_id"))
        .map(|id| (None, id));
    let urls: Vec<Json> = items(entities, "urls")
        .iter()
        .filter_map(|u| {
            let expanded = str_at(u, "expanded_url");
            if retweeted.is_none()
                && quoted.is_none()
                && let Some((user, qid)) = expanded.and_then(status_link)
                && Some(&qid) != reply_to.as_ref()
            {
                quoted = Some((Some(user), qid));
            }
            let mut o = Attrs::new();
            o.set_opt("url", str_at(u, "url"))
                .set_opt("expanded_url", expanded);
            (!o.is_empty()).then(|| o.into_value())
        })
        .collect();
    let media_source = t
        .get("extended_entities")
        .filter(|e| !items(e, "media").is_empty())
        .unwrap_or(entities);
    let media: Vec<Json> = items(media_source, "media")
        .iter()
        .map(|m| {
            let kind = str_at(m, "type").unwrap_or("photo");
            let image = str_at(m, "media_url_https").or_else(|| str_at(m, "media_url"));
            // Videos and GIFs: the best MP4 variant (the archive stores that file).
            let video = m
                .get("video_info")
                .map(|vi| items(vi, "variants"))
                .unwrap_or_default()
                .iter()
                .filter(|var| str_at(var, "content_type") == Some("video/mp4"))
                .max_by_key(|var| int_at(var, "bitrate").unwrap_or(0))
                .and_then(|var| str_at(var, "url"));
            // Media of someone else's tweet (a retweet's) is not in the archive.
            let own = str_at(m, "source_status_id_str").is_none()
                && str_at(m, "source_status_id").is_none();
            let file = own
                .then(|| video.or(image).and_then(url_file_name))
                .flatten()
                .map(|f| format!("{id}-{f}"));
            let mut o = Attrs::new();
            o.set("type", kind)
                .set_opt("url", image)
                .set_opt("video_url", video)
                .set_opt("file", file);
            o.into_value()
        })
        .collect();

    let mut a = Attrs::new();
    a.set_opt("lang", str_at(t, "lang"))
        .set_opt("source", str_at(t, "source").map(client_name))
        .set_opt("favorite_count", int_at(t, "favorite_count"))
        .set_opt("retweet_count", int_at(t, "retweet_count"))
        .set_opt("in_reply_to_status_id", reply_to.clone())
        .set_opt(
            "in_reply_to_user_id",
            id_at(t, "in_reply_to_user_id_str").or_else(|| id_at(t, "in_reply_to_user_id")),
        )
        .set_opt(
            "in_reply_to_screen_name",
            str_at(t, "in_reply_to_screen_name"),
        )
        .set_opt("retweeted_screen_name", retweeted.clone());
    if let Some((user, qid)) = quoted {
        a.set("quoted_status_id", qid)
            .set_opt("quoted_screen_name", user);
    }
    for (key, list) in [
        ("hashtags", hashtags),
        ("mentions", mentions),
        ("urls", urls),
        ("symbols", symbols),
        ("media", media),
    ] {
        if !list.is_empty() {
            a.set(key, list);
        }
    }
    if let Some(edit) = t.get("edit_info") {
        // The first version of an edited tweet lists all versions; later ones name the first.
        let initial = edit
            .get("edit")
            .and_then(|e| id_at(e, "initialTweetId"))
            .filter(|i| *i != id);
        let versions: Vec<Json> = edit
            .get("initial")
            .or_else(|| edit.get("edit").and_then(|e| e.get("editControlInitial")))
            .map(|i| items(i, "editTweetIds"))
            .unwrap_or_default()
            .iter()
            .filter_map(|x| x.as_str().map(|s| json!(s)))
            .collect();
        a.set_opt("edit_of", initial);
        if versions.len() > 1 {
            a.set("edit_versions", versions);
        }
    }
    if let Some(sensitive) = bool_at(t, "possibly_sensitive").filter(|b| *b) {
        a.set("possibly_sensitive", sensitive);
    }
    if let Some(coords) = t
        .get("coordinates")
        .and_then(|c| c.get("coordinates"))
        .and_then(Json::as_array)
        .filter(|c| c.len() == 2)
    {
        // GeoJSON order: longitude first.
        let num = |x: &Json| x.as_f64().or_else(|| x.as_str()?.parse().ok());
        if let (Some(lon), Some(lat)) = (num(&coords[0]), num(&coords[1])) {
            a.set("coordinates", json!({"lat": lat, "lon": lon}));
        }
    }
    if let Some(place) = t.get("place").and_then(|p| str_at(p, "full_name")) {
        a.set("place", place);
    }
    if community {
        a.set("community", true);
    }
    if deleted {
        a.set("deleted", true).set_opt(
            "deleted_ms",
            str_at(t, "deleted_at")
                .and_then(|d| parse_with(d, CREATED_AT, &Zone::Utc))
                .map(|i| i.ms),
        );
    }
    a.pii(&[("body", text.as_deref())]);
    out.leaf_event(Event {
        kind: kind.into(),
        start_ms: Some(at.ms),
        tz_offset_min: at.offset_min,
        body: text,
        attrs: a.into_json(),
        natural_key: Some(format!("tweet:{id}")),
        original_id: Some(id),
        locator: Some(locator.to_string()),
        ..Default::default()
    })?;
    Ok(())
}

/// The creation time a snowflake id encodes (ids from before November 2010 encode none).
fn snowflake_ms(id: &str) -> Option<i64> {
    let n: u64 = id.parse().ok()?;
    let ms = (n >> 22) as i64 + SNOWFLAKE_EPOCH_MS;
    // Pre-snowflake ids are sequential numbers below 3·10¹⁰: they would decode to the first
    // seconds after the epoch. Real snowflakes are far past it.
    (n >> 22 >= 1_000_000).then_some(ms)
}

fn like(v: &Json, locator: &str, out: &mut Emitter) -> DecodeResult {
    let l = v.get("like").unwrap_or(v);
    let Some(id) = id_at(l, "tweetId") else {
        return reject(out, locator, "a like without a tweetId".into(), v);
    };
    let text = str_at(l, "fullText").map(|s| unescape_html(s).into_owned());
    let mut a = Attrs::new();
    a.set("tweet_id", id.as_str())
        .set_opt("url", str_at(l, "expandedUrl"))
        .set_opt(
            "tweet_time",
            snowflake_ms(&id).map(crate::output::rfc3339_ms),
        );
    a.pii(&[("body", text.as_deref())]);
    out.leaf_event(Event {
        kind: "like".into(),
        body: text,
        attrs: a.into_json(),
        natural_key: Some(format!("like:{id}")),
        original_id: Some(id),
        locator: Some(locator.to_string()),
        ..Default::default()
    })?;
    Ok(())
}

fn iso_ms(v: &Json, key: &str) -> Option<(i64, Option<i32>)> {
    let i = parse_with(str_at(v, key)?, "rfc3339", &Zone::Utc)?;
    Some((i.ms, i.offset_min))
}

fn conversation(
    v: &Json,
    group: bool,
    account_id: Option<&str>,
    locator: &str,
    out: &mut Emitter,
) -> DecodeResult {
    let c = v.get("dmConversation").unwrap_or(v);
    let Some(cid) = id_at(c, "conversationId") else {
        return reject(
            out,
            locator,
            "a conversation without a conversationId".into(),
            v,
        );
    };
    let messages = items(c, "messages");
    // What the whole conversation says about itself: participants, name, time span.
    let mut participants: Vec<String> = Vec::new();
    let mut add = |id: Option<String>| {
        if let Some(id) = id
            && !participants.contains(&id)
        {
            participants.push(id);
        }
    };
    if !group && let Some((a, b)) = cid.split_once('-') {
        add(Some(a.to_string()));
        add(Some(b.to_string()));
    }
    let mut name: Option<(i64, String)> = None;
    let mut first: Option<i64> = None;
    let mut last: Option<i64> = None;
    for m in messages {
        let Some((kind, body)) = m.as_object().and_then(|o| o.iter().next()) else {
            continue;
        };
        add(id_at(body, "senderId"));
        add(id_at(body, "recipientId"));
        add(id_at(body, "initiatingUserId"));
        for list in ["participantsSnapshot", "userIds"] {
            for p in items(body, list) {
                add(p.as_str().map(str::to_string));
            }
        }
        let at = iso_ms(body, "createdAt").map(|t| t.0);
        if kind == "messageCreate"
            && let Some(t) = at
        {
            first = Some(first.map_or(t, |f| f.min(t)));
            last = Some(last.map_or(t, |l| l.max(t)));
        }
        if kind == "conversationNameUpdate"
            && let Some(n) = str_at(body, "name")
        {
            let t = at.unwrap_or(i64::MIN);
            if name.as_ref().is_none_or(|(nt, _)| t >= *nt) {
                name = Some((t, n.to_string()));
            }
        }
    }
    let title = name.map(|(_, n)| n);
    let mut a = Attrs::new();
    a.set("conversation_id", cid.as_str())
        .set("group", group)
        .set("participants", participants.clone());
    a.pii(&[("title", title.as_deref())]);
    let handle = out.event(Event {
        kind: "conversation".into(),
        start_ms: first,
        end_ms: last.filter(|l| Some(*l) != first),
        tz_offset_min: first.map(|_| 0),
        title,
        attrs: a.into_json(),
        natural_key: Some(format!("conversation:{cid}")),
        original_id: Some(cid.clone()),
        locator: Some(locator.to_string()),
        ..Default::default()
    })?;
    for (i, m) in messages.iter().enumerate() {
        let mlocator = format!("{locator} message {}", i + 1);
        let Some(mc) = m.get("messageCreate") else {
            // Joins, leaves and renames: read above for the conversation.
            out.skip()?;
            continue;
        };
        let Some(id) = id_at(mc, "id") else {
            reject(out, &mlocator, "a message without an id".into(), m)?;
            continue;
        };
        let Some((at, offset)) = iso_ms(mc, "createdAt") else {
            reject(
                out,
                &mlocator,
                format!("message {id}: no readable createdAt"),
                m,
            )?;
            continue;
        };
        let sender = id_at(mc, "senderId");
        let text = str_at(mc, "text").map(str::to_string);
        let mut a = Attrs::new();
        a.set("conversation_id", cid.as_str())
            .set_opt("sender_id", sender.clone())
            .set_opt("recipient_id", id_at(mc, "recipientId"));
        if let (Some(me), Some(s)) = (account_id, sender.as_deref()) {
            a.set("direction", if me == s { "sent" } else { "received" });
        }
        let urls: Vec<Json> = items(mc, "urls")
            .iter()
            .filter_map(|u| {
                let mut o = Attrs::new();
                o.set_opt("url", str_at(u, "url"))
                    .set_opt("expanded_url", str_at(u, "expanded"));
                (!o.is_empty()).then(|| o.into_value())
            })
            .collect();
        if !urls.is_empty() {
            a.set("urls", urls);
        }
        let media: Vec<Json> = items(mc, "mediaUrls")
            .iter()
            .filter_map(Json::as_str)
            .map(|u| {
                let mut o = Attrs::new();
                o.set("url", u)
                    .set_opt("file", url_file_name(u).map(|f| format!("{id}-{f}")));
                o.into_value()
            })
            .collect();
        if !media.is_empty() {
            a.set("media", media);
        }
        let reactions: Vec<Json> = items(mc, "reactions")
            .iter()
            .map(|r| {
                let mut o = Attrs::new();
                o.set_opt("sender_id", id_at(r, "senderId"))
                    .set_opt("reaction", str_at(r, "reactionKey"))
                    .set_opt("emoji", str_at(r, "emoji"))
                    .set_opt(
                        "time",
                        iso_ms(r, "createdAt").map(|t| crate::output::rfc3339_ms(t.0)),
                    );
                o.into_value()
            })
            .collect();
        if !reactions.is_empty() {
            a.set("reactions", reactions);
        }
        a.pii(&[("body", text.as_deref())]);
        out.leaf_event(Event {
            kind: "message".into(),
            start_ms: Some(at),
            tz_offset_min: offset,
            body: text,
            attrs: a.into_json(),
            natural_key: Some(format!("message:{id}")),
            original_id: Some(id),
            parent: Some(EventRef::Handle(handle)),
            locator: Some(mlocator),
            ..Default::default()
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_kinds_come_from_the_assignment() {
        assert!(matches!(
            data_of("window.YTD.tweets.part3"),
            Some(Data::Tweets {
                community: false,
                deleted: false
            })
        ));
        assert!(matches!(
            data_of("window.YTD.tweet.part0"),
            Some(Data::Tweets { .. })
        ));
        assert!(matches!(
            data_of("window.YTD.deleted_tweets.part0"),
            Some(Data::Tweets { deleted: true, .. })
        ));
        assert!(matches!(
            data_of("window.YTD.direct_messages_group.part0"),
            Some(Data::DirectMessages { group: true })
        ));
        assert!(data_of("window.YTD.follower.part0").is_none());
        assert!(data_of("window.__THAR_CONFIG").is_none());
    }

    #[test]
    fn helpers() {
        assert_eq!(
            client_name(
                r#"<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>"#
            ),
            "Twitter for iPhone"
        );
        assert_eq!(client_name("web"), "web");
        assert_eq!(
            status_link("https://twitter.com/jack/status/20?s=1"),
            Some(("jack".into(), "20".into()))
        );
        assert_eq!(
            status_link("https://x.com/jack/status/20/photo/1"),
            Some(("jack".into(), "20".into()))
        );
        assert_eq!(status_link("https://twitter.com/i/web/status/x"), None);
        assert_eq!(status_link("https://example.com/jack/status/20"), None);
        assert_eq!(
            url_file_name("https://video.twimg.com/tweet_video/CB_jhR.mp4?tag=1"),
            Some("CB_jhR.mp4")
        );
        // (1212092628029698048 >> 22) + 1288834974657 ms, checked with Python's datetime.
        assert_eq!(
            snowflake_ms("1212092628029698048").map(crate::output::rfc3339_ms),
            Some("2019-12-31T19:26:16.771Z".to_string())
        );
        assert_eq!(snowflake_ms("12345"), None);
        assert_eq!(snowflake_ms("29700859247"), None);
        assert_eq!(mime_for("1-a.JPG"), Some("image/jpeg"));
        assert_eq!(mime_for("1-a"), None);
    }
}
