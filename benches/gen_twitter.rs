//! Writes a deterministic synthetic X archive for the social importer benchmark
//! (benches/twitter.sh). Not part of the trove binary: `cargo run --release --example
//! gen-twitter -- OUT_DIR TWEETS [LIKES]`.
//!
//! The archive has the shape of a 2019-2021 export, which both trove and twitter-to-sqlite
//! read: `data/account.js`, `data/tweet.js` (one part; twitter-to-sqlite reads no other name)
//! and `data/like.js`. Tweets look like real ones (see tests/fixtures/twitter): string-typed
//! counts and ids, HTML `source`, entities with hashtags, mentions, t.co URLs and photos,
//! replies, retweets and quote tweets, `&amp;` escapes, some emails, phone numbers and URLs
//! in the text. The same arguments always give the same bytes.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// SplitMix64: tiny, fast and stable across versions (the archive must not change when a
/// crate's generator does).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "data",
    "vault",
    "privacy",
    "export",
    "streaming",
    "parser",
    "weekend",
    "coffee",
    "train",
    "rust",
    "sqlite",
    "health",
    "steps",
    "sleep",
    "morning",
    "release",
    "bug",
    "fix",
    "thanks",
    "reading",
    "great",
    "thread",
    "today",
    "week",
    "idea",
    "question",
    "answer",
    "build",
];
const TAGS: &[&str] = &["rust", "privacy", "opendata", "sqlite", "quantifiedself"];
const USERS: &[&str] = &[
    "ferris",
    "someone_else",
    "river_otter_77",
    "maple_owl",
    "dogsheep",
];
const SOURCES: &[&str] = &[
    r#"<a href=\"http://twitter.com/download/iphone\" rel=\"nofollow\">Twitter for iPhone</a>"#,
    r#"<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>"#,
    r#"<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>"#,
];
const DAYS: &[&str] = &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Tue Jan 31 09:01:52 +0000 2017` for a Unix time (UTC).
fn created_at(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let weekday = (days + 4).rem_euclid(7) as usize; // 1970-01-01 was a Thursday
    format!(
        "{} {} {:02} {:02}:{:02}:{:02} +0000 {}",
        DAYS[(weekday + 6) % 7],
        MONTHS[(m - 1) as usize],
        d,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        y
    )
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(out), Some(n)) = (args.next(), args.next()) else {
        eprintln!("usage: gen-twitter OUT_DIR TWEETS [LIKES]");
        std::process::exit(2);
    };
    let n: u64 = n.parse().expect("TWEETS is a number");
    let likes: u64 = args
        .next()
        .map_or(n / 10, |l| l.parse().expect("LIKES is a number"));
    let data = PathBuf::from(out).join("data");
    fs::create_dir_all(&data)?;
    fs::write(
        data.join("account.js"),
        "window.YTD.account.part0 = [ {\n  \"account\" : {\n    \"email\" : \"bench@example.com\",\n    \"createdVia\" : \"web\",\n    \"username\" : \"bench_user\",\n    \"accountId\" : \"424242\",\n    \"createdAt\" : \"2012-01-01T00:00:00.000Z\",\n    \"accountDisplayName\" : \"Bench User\"\n  }\n} ]\n",
    )?;

    let mut rng = Rng(0x7472_6f76_6521);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(data.join("tweet.js"))?);
    write!(w, "window.YTD.tweet.part0 = [ ")?;
    // Snowflake ids from 2015 on, one tweet every ~50 minutes.
    let mut t: i64 = 1_420_070_400;
    for i in 0..n {
        t += 60 + rng.below(6000) as i64;
        let id = (((t * 1000 - 1_288_834_974_657) as u64) << 22) | (i & 0x3F_FFFF);
        let kind = rng.below(10);
        let mut text = String::new();
        let mut mentions = Vec::new();
        let mut hashtags = Vec::new();
        let mut urls = Vec::new();
        let mut media = false;
        let mut reply: Option<(u64, &str)> = None;
        if kind == 0 {
            let u = rng.pick(USERS);
            text.push_str(&format!("RT @{u}: "));
            mentions.push(u);
        } else if kind <= 2 {
            let u = rng.pick(USERS);
            text.push_str(&format!("@{u} "));
            mentions.push(u);
            reply = Some((id - 1_000_000 - rng.below(1 << 30), u));
        }
        for _ in 0..(4 + rng.below(14)) {
            text.push_str(rng.pick(WORDS));
            text.push(' ');
        }
        match rng.below(20) {
            0 => text.push_str("mail me at someone@example.com "),
            1 => text.push_str("call +1 555 010 9999 "),
            2 => text.push_str("&amp; more "),
            _ => {}
        }
        if rng.below(4) == 0 {
            let tag = rng.pick(TAGS);
            text.push_str(&format!("#{tag} "));
            hashtags.push(tag);
        }
        if rng.below(3) == 0 {
            let short = format!("https://t.co/{:010x}", rng.next() & 0xFF_FFFF_FFFF);
            let expanded = if kind == 3 {
                format!(
                    "https://twitter.com/{}/status/{}",
                    rng.pick(USERS),
                    id - 7_000_000
                )
            } else {
                format!(
                    "https://example.org/{}/{}",
                    rng.pick(WORDS),
                    rng.below(100_000)
                )
            };
            text.push_str(&short);
            text.push(' ');
            urls.push((short, expanded));
        }
        if kind != 0 && rng.below(8) == 0 {
            media = true;
            text.push_str("https://t.co/p1cture");
        }
        let text = text.trim_end();

        if i > 0 {
            write!(w, ", ")?;
        }
        write!(
            w,
            "{{\n  \"tweet\" : {{\n    \"retweeted\" : false,\n    \"source\" : \"{}\",\n    \"entities\" : {{\n      \"hashtags\" : [",
            rng.pick(SOURCES)
        )?;
        for (k, tag) in hashtags.iter().enumerate() {
            write!(
                w,
                "{} {{\n        \"text\" : \"{tag}\",\n        \"indices\" : [ \"0\", \"{}\" ]\n      }}",
                if k > 0 { "," } else { "" },
                tag.len() + 1
            )?;
        }
        write!(
            w,
            " ],\n      \"symbols\" : [ ],\n      \"user_mentions\" : ["
        )?;
        for (k, u) in mentions.iter().enumerate() {
            write!(
                w,
                "{} {{\n        \"name\" : \"{u}\",\n        \"screen_name\" : \"{u}\",\n        \"indices\" : [ \"0\", \"{}\" ],\n        \"id_str\" : \"{}\",\n        \"id\" : \"{}\"\n      }}",
                if k > 0 { "," } else { "" },
                u.len() + 1,
                1000 + u.len(),
                1000 + u.len()
            )?;
        }
        write!(w, " ],\n      \"urls\" : [")?;
        for (k, (short, expanded)) in urls.iter().enumerate() {
            write!(
                w,
                "{} {{\n        \"url\" : \"{short}\",\n        \"expanded_url\" : \"{expanded}\",\n        \"display_url\" : \"example.org/…\",\n        \"indices\" : [ \"0\", \"23\" ]\n      }}",
                if k > 0 { "," } else { "" }
            )?;
        }
        write!(w, " ]")?;
        let media_json = format!(
            "\"media\" : [ {{\n        \"expanded_url\" : \"https://twitter.com/bench_user/status/{id}/photo/1\",\n        \"indices\" : [ \"0\", \"23\" ],\n        \"url\" : \"https://t.co/p1cture\",\n        \"media_url\" : \"http://pbs.twimg.com/media/M{id:x}.jpg\",\n        \"id_str\" : \"{id}\",\n        \"id\" : \"{id}\",\n        \"media_url_https\" : \"https://pbs.twimg.com/media/M{id:x}.jpg\",\n        \"type\" : \"photo\",\n        \"display_url\" : \"pic.twitter.com/p1cture\"\n      }} ]"
        );
        if media {
            write!(w, ",\n      {media_json}")?;
        }
        write!(
            w,
            "\n    }},\n    \"display_text_range\" : [ \"0\", \"{}\" ],\n    \"favorite_count\" : \"{}\",\n",
            text.chars().count(),
            rng.below(50)
        )?;
        if let Some((to, user)) = reply {
            write!(
                w,
                "    \"in_reply_to_status_id_str\" : \"{to}\",\n    \"in_reply_to_status_id\" : \"{to}\",\n    \"in_reply_to_user_id\" : \"{0}\",\n    \"in_reply_to_user_id_str\" : \"{0}\",\n    \"in_reply_to_screen_name\" : \"{user}\",\n",
                1000 + user.len()
            )?;
        }
        write!(
            w,
            "    \"id_str\" : \"{id}\",\n    \"truncated\" : false,\n    \"retweet_count\" : \"{}\",\n    \"id\" : \"{id}\",\n    \"created_at\" : \"{}\",\n    \"favorited\" : false,\n    \"full_text\" : \"{text}\",\n    \"lang\" : \"en\"",
            rng.below(10),
            created_at(t)
        )?;
        if media {
            write!(
                w,
                ",\n    \"extended_entities\" : {{\n      {media_json}\n    }}"
            )?;
        }
        write!(w, "\n  }}\n}}")?;
    }
    writeln!(w, " ]")?;
    w.flush()?;

    let mut w = BufWriter::new(File::create(data.join("like.js"))?);
    write!(w, "window.YTD.like.part0 = [ ")?;
    for i in 0..likes {
        let id = 1_000_000_000_000_000_000u64 + i * 7919;
        if i > 0 {
            write!(w, ", ")?;
        }
        write!(
            w,
            "{{\n  \"like\" : {{\n    \"tweetId\" : \"{id}\",\n    \"fullText\" : \"{} {} {}\",\n    \"expandedUrl\" : \"https://twitter.com/i/web/status/{id}\"\n  }}\n}}",
            rng.pick(WORDS),
            rng.pick(WORDS),
            rng.pick(WORDS)
        )?;
    }
    writeln!(w, " ]")?;
    w.flush()?;
    eprintln!("wrote {n} tweets and {likes} likes to {}", data.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn created_at_format() {
        assert_eq!(super::created_at(0), "Thu Jan 01 00:00:00 +0000 1970");
        assert_eq!(
            super::created_at(1_485_853_312),
            "Tue Jan 31 09:01:52 +0000 2017"
        );
    }
}
