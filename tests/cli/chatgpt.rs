//! The ChatGPT importer, end to end on tests/fixtures/chatgpt (see its README).

use serde_json::{Value, json};

use crate::common::*;
use crate::social_common::*;

const A: &str = "6761f0a2-0000-4c4e-9d3e-00000000000a";
const B: &str = "6761f0a2-0000-4c4e-9d3e-00000000000b";
const E: &str = "6761f0a2-0000-4c4e-9d3e-00000000000e";

fn msg(conv: &str, id: &str, start: Option<i64>, body: &str, attrs: Value) -> Value {
    let mut a = json!({"conversation_id": conv});
    a.as_object_mut()
        .unwrap()
        .extend(attrs.as_object().unwrap().clone());
    json!({"kind": "chat.message", "start_ms": start, "end_ms": null, "tz": null, "title": null,
        "body": body, "attrs": a, "original_id": id,
        "parent": format!("chat.conversation:{conv}"), "key": format!("chat.message:{id}"),
        "sensitive": 0})
}

fn conv(id: &str, start: i64, end: i64, title: Option<&str>, attrs: Value) -> Value {
    json!({"kind": "chat.conversation", "start_ms": start, "end_ms": end, "tz": null,
        "title": title, "body": null, "attrs": attrs, "original_id": id, "parent": null,
        "key": format!("chat.conversation:{id}"), "sensitive": 0})
}

fn a(n: u8) -> String {
    format!("aaaaaaaa-0000-0000-0000-00000000000{n}")
}
fn b(n: u8) -> String {
    format!("bbbbbbbb-0000-0000-0000-00000000000{n}")
}
fn e(n: u8) -> String {
    format!("eeeeeeee-0000-0000-0000-00000000000{n}")
}

fn expected() -> Vec<Value> {
    vec![
        conv(
            A,
            1717200000123,
            1717200600500,
            Some("Weekend in Lisbon"),
            json!({"conversation_id": A, "model": "gpt-4o", "turns": 4, "branch_turns": 3}),
        ),
        // The visible thread: the edited prompt's second version and the regenerated answer.
        msg(
            A,
            &a(4),
            Some(1717200100000),
            "Plan 3 days in Lisbon; mail the plan to jo@example.com",
            json!({"role": "user", "content_type": "text", "parent_message_id": a(1), "seq": 0,
                "pii": [{"field": "body", "kind": "email", "start": 40, "end": 54}]}),
        ),
        msg(
            A,
            &a(5),
            Some(1717200110000),
            "Day 1: Alfama. Day 2: Belém. Day 3: Sintra.",
            json!({"role": "assistant", "model": "gpt-4o", "content_type": "text",
                "parent_message_id": a(4), "seq": 1}),
        ),
        msg(
            A,
            &a(6),
            Some(1717200200000),
            "Thanks! Shorter please",
            json!({"role": "user", "content_type": "text", "parent_message_id": a(5), "seq": 2}),
        ),
        msg(
            A,
            &a(8),
            Some(1717200300000),
            "Alfama · Belém · Sintra",
            json!({"role": "assistant", "model": "gpt-4o-mini", "content_type": "text",
                "parent_message_id": a(6), "seq": 3}),
        ),
        // The edited branch (first version of the prompt and its answer) and the first answer
        // of the regeneration: kept, marked, in time order.
        msg(
            A,
            &a(2),
            Some(1717200010000),
            "Plan 3 days in Porto for me",
            json!({"role": "user", "content_type": "text", "parent_message_id": a(1),
                "branch": true}),
        ),
        msg(
            A,
            &a(3),
            Some(1717200020000),
            "Day 1: Ribeira. Day 2: Foz. Day 3: Douro valley.",
            json!({"role": "assistant", "model": "gpt-4o", "content_type": "text",
                "parent_message_id": a(2), "branch": true}),
        ),
        msg(
            A,
            &a(7),
            Some(1717200210000),
            "Alfama, Belém, Sintra.",
            json!({"role": "assistant", "model": "gpt-4o", "content_type": "text",
                "parent_message_id": a(6), "branch": true}),
        ),
        conv(
            B,
            1717300000000,
            1717300100000,
            Some("Plot a CSV"),
            json!({"conversation_id": B, "model": "gpt-4o", "gizmo_id": "g-abc123", "turns": 4,
                "branch_turns": 0, "archived": true}),
        ),
        msg(
            B,
            &b(2),
            Some(1717300010000),
            "What does this chart show? Call me at +49 30 1234567",
            json!({"role": "user", "content_type": "multimodal_text", "parent_message_id": b(1),
                "seq": 0, "attachments": [{"name": "chart.png", "mime": "image/png", "size": 48213}],
                "images": 1, "pii": [{"field": "body", "kind": "phone", "start": 38, "end": 52}]}),
        ),
        msg(
            B,
            &b(3),
            Some(1717300020000),
            "import pandas as pd\npd.read_csv('data.csv').plot()",
            json!({"role": "assistant", "model": "gpt-4o", "content_type": "code",
                "language": "python", "recipient": "python", "parent_message_id": b(2), "seq": 1}),
        ),
        msg(
            B,
            &b(4),
            None,
            "<Figure size 640x480 with 1 Axes>",
            json!({"role": "tool", "author_name": "python", "content_type": "execution_output",
                "parent_message_id": b(3), "seq": 2}),
        ),
        msg(
            B,
            &b(5),
            Some(1717300030000),
            "The chart shows a steady rise.",
            json!({"role": "assistant", "model": "gpt-4o", "content_type": "text",
                "parent_message_id": b(4), "seq": 3}),
        ),
        // No current_node: the thread ends at the latest leaf.
        conv(
            E,
            1717500000000,
            1717500020000,
            None,
            json!({"conversation_id": E, "model": "gpt-3.5-turbo", "turns": 2, "branch_turns": 1}),
        ),
        msg(
            E,
            &e(1),
            Some(1717500001000),
            "hi",
            json!({"role": "user", "content_type": "text", "seq": 0}),
        ),
        msg(
            E,
            &e(3),
            Some(1717500020000),
            "Hi there!",
            json!({"role": "assistant", "model": "gpt-3.5-turbo", "content_type": "text",
                "parent_message_id": e(1), "seq": 1}),
        ),
        msg(
            E,
            &e(2),
            Some(1717500010000),
            "Hello!",
            json!({"role": "assistant", "model": "gpt-3.5-turbo", "content_type": "text",
                "parent_message_id": e(1), "branch": true}),
        ),
    ]
}

#[test]
fn conversation_trees_with_edited_branches_import_as_exact_rows() {
    let t = TestEnv::with_vault();
    let dir = fixture("chatgpt/export");
    let doc = t.json(&["import", &path_str(&dir)]);
    assert_rows(&events(&t, ""), &expected());
    assert_eq!(
        t.sql("SELECT importer, account, display_name, attrs FROM sources"),
        [[
            json!("chatgpt"),
            json!("jo@example.com"),
            json!(null),
            json!(r#"{"user_id":"user-AbCdEf123"}"#)
        ]]
    );
    assert_eq!(
        t.sql("SELECT locator, message FROM import_errors ORDER BY id"),
        [
            [
                json!("conversation 3"),
                json!(
                    "conversation 6761f0a2-0000-4c4e-9d3e-00000000000c: no `mapping` of messages"
                )
            ],
            [
                json!("conversation 4"),
                json!("a conversation without an id")
            ],
        ]
    );
    // The hidden system prompt and custom instructions are read and not imported.
    assert_eq!(doc["files"][0]["skipped"], 2, "{doc}");
    assert_eq!(doc["totals"]["rejected"], 2);
    // The main thread of a conversation, as a query reads it.
    let thread = t.sql(&format!(
        "SELECT m.body FROM events m JOIN events c ON c.id = m.parent_id
         WHERE c.original_id = '{A}' AND json_extract(m.attrs, '$.branch') IS NULL
         ORDER BY json_extract(m.attrs, '$.seq')"
    ));
    assert_eq!(
        thread,
        [
            [json!(
                "Plan 3 days in Lisbon; mail the plan to jo@example.com"
            )],
            [json!("Day 1: Alfama. Day 2: Belém. Day 3: Sintra.")],
            [json!("Thanks! Shorter please")],
            [json!("Alfama · Belém · Sintra")],
        ]
    );
    // Again, zipped as OpenAI ships it: the same content is recognized, nothing is added.
    let zip = t.path().join("chatgpt-export.zip");
    zip_dir(&dir, &zip, "");
    let doc = t.json(&["import", &path_str(&zip)]);
    assert_eq!(doc["totals"]["added"], 0, "{doc}");
    assert_eq!(t.count("SELECT count(*) FROM events"), 17);
}

#[test]
fn a_conversation_file_cut_short_keeps_whole_conversations_before_the_cut() {
    let t = TestEnv::with_vault();
    let text = std::fs::read_to_string(fixture("chatgpt/export/conversations.json")).unwrap();
    // Cut in the middle of the second conversation.
    let cut = text.find("Plot a CSV").unwrap() + 200;
    let file = t.path().join("conversations.json");
    std::fs::write(&file, &text[..cut]).unwrap();
    let out = t.run(&["import", &path_str(&file)]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_rows(&events(&t, ""), &expected()[..8]);
}
