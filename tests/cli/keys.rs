//! Key slots: list, add, passwd, remove.

use std::fs;

use crate::common::*;

#[test]
fn key_list_shows_slots_and_recipients() {
    let t = TestEnv::with_vault();
    let doc = t.json(&["key", "list"]);
    let slots = doc["key_slots"].as_array().unwrap();
    assert_eq!(slots.len(), 2);
    assert_eq!(slots[0]["name"], "passphrase");
    assert_eq!(slots[0]["kind"], "passphrase");
    assert_eq!(slots[0]["recipient"], serde_json::Value::Null);
    assert_eq!(slots[0]["unlocked_this_session"], false);
    assert_eq!(slots[1]["name"], "test");
    assert_eq!(slots[1]["kind"], "x25519");
    assert!(slots[1]["recipient"].as_str().unwrap().starts_with("age1"));
    assert_eq!(slots[1]["unlocked_this_session"], true);
}

#[test]
fn an_added_slot_unlocks_the_same_vault() {
    let t = TestEnv::with_vault();
    let id = t.json(&["status"])["vault"]["id"].clone();
    let (identity, recipient) = generate_identity();
    t.ok(&["key", "add", "--name", "ci-bot", "--recipient", &recipient]);
    assert!(t.vault().join("keyslots/ci-bot.age").exists());

    let file = t.path().join("ci.txt");
    fs::write(&file, identity).unwrap();
    set_mode(&file, 0o600);
    t.set("TROVE_IDENTITY", &path_str(&file));
    let st = t.json(&["status"]);
    assert_eq!(st["vault"]["id"], id);
    let names: Vec<_> = st["key_slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["passphrase", "ci-bot", "test"]);
    // --identity on the command line wins over TROVE_IDENTITY.
    let other = t.path().join("other.txt");
    fs::write(&other, generate_identity().0).unwrap();
    set_mode(&other, 0o600);
    let out = t.run(&["--identity", &path_str(&other), "status"]);
    assert_eq!(code(&out), 12);
    assert_eq!(
        stderr(&out),
        format!(
            "trove: error: no key slot of this vault opens with the identity in {}\n\
             hint: `trove key list` shows the recipients that have key slots; add one with `trove key add`\n",
            path_str(&other)
        )
    );
}

#[test]
fn key_add_rejects_bad_names_duplicates_and_recipients() {
    let t = TestEnv::with_vault();
    let r = generate_identity().1;
    let out = t.run(&["key", "add", "--name", "../evil", "--recipient", &r]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "trove: error: invalid key slot name \"../evil\": use 1 to 32 characters from a-z, 0-9, '-' and '_'\n"
    );
    let out = t.run(&["key", "add", "--name", "test", "--recipient", &r]);
    assert_eq!(
        stderr(&out),
        "trove: error: a key slot named test already exists\n"
    );
    let out = t.run(&["key", "add", "--name", "passphrase", "--recipient", &r]);
    assert_eq!(
        stderr(&out),
        "trove: error: a key slot named passphrase already exists\n"
    );
    let out = t.run(&["key", "add", "--name", "x", "--recipient", "age1nope"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).starts_with("trove: error: invalid age recipient \"age1nope\": "));
    assert!(stderr(&out).ends_with(
        "hint: an age recipient looks like age1… (`age-keygen -y identity.txt` prints it)\n"
    ));
    assert_eq!(fs::read_dir(t.vault().join("keyslots")).unwrap().count(), 2);
}

#[test]
fn passwd_replaces_the_passphrase_and_keeps_the_data() {
    let t = TestEnv::with_vault();
    t.unset("TROVE_IDENTITY");
    t.set("TROVE_PASSPHRASE", PASSPHRASE);
    let before = t.json(&["status"]);
    let db_before = fs::read(t.vault().join("vault.db")).unwrap();
    let test_slot = fs::read(t.vault().join("keyslots/test.age")).unwrap();

    let new_file = t.path().join("new.txt");
    fs::write(&new_file, "a much better passphrase\n").unwrap();
    set_mode(&new_file, 0o600);
    t.ok(&[
        "key",
        "passwd",
        "--new-passphrase-file",
        &path_str(&new_file),
    ]);

    // Only the passphrase slot changed: the database and other slots are untouched.
    assert_eq!(
        fs::read(t.vault().join("keyslots/test.age")).unwrap(),
        test_slot
    );
    let _ = db_before; // the key_slots row's created_ms is updated inside the database

    assert_eq!(
        code(&t.run(&["status"])),
        12,
        "the old passphrase still works"
    );
    t.set("TROVE_PASSPHRASE", "a much better passphrase");
    let after = t.json(&["status"]);
    assert_eq!(after["vault"]["id"], before["vault"]["id"]);
    assert_eq!(after["tables"], before["tables"]);
    // The identity slot still opens the vault.
    t.unset("TROVE_PASSPHRASE");
    t.set("TROVE_IDENTITY", &path_str(&t.identity_file()));
    let _ = t.ok(&["key", "list"]);
}

#[test]
fn passwd_from_environment_and_refusals() {
    let t = TestEnv::with_vault();
    t.set("TROVE_NEW_PASSPHRASE", "");
    let out = t.run(&["key", "passwd"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).starts_with("trove: error: the passphrase is empty\n"));
    t.unset("TROVE_NEW_PASSPHRASE");
    let out = t.run(&["key", "passwd"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "trove: error: no source for the new passphrase\n\
         hint: pass --new-passphrase-file FILE (or -), or set TROVE_NEW_PASSPHRASE_FILE, TROVE_NEW_PASSPHRASE_COMMAND or TROVE_NEW_PASSPHRASE\n"
    );
    let out = t.run(&[
        "--passphrase-file",
        "-",
        "key",
        "passwd",
        "--new-passphrase-file",
        "-",
    ]);
    assert_eq!(code(&out), 2);
    t.set("TROVE_NEW_PASSPHRASE", "rotated passphrase");
    t.ok(&["key", "passwd"]);
    t.unset("TROVE_IDENTITY");
    t.set("TROVE_PASSPHRASE", "rotated passphrase");
    t.ok(&["key", "list"]);
}

#[test]
fn remove_never_removes_the_last_slot() {
    let t = TestEnv::with_vault();
    let out = t.run(&["key", "remove", "nope"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stderr(&out), "trove: error: no key slot named nope\n");

    // Remove the passphrase slot: the identity slot is left and still works.
    t.ok(&["key", "remove", "passphrase"]);
    assert!(!t.vault().join("keyslots/passphrase.age").exists());
    let out = t.run(&["key", "remove", "test"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "trove: error: refusing to remove test: it is the last key slot, and without it the vault cannot be opened\n\
         hint: add another key slot first (`trove key add` or keep the passphrase slot)\n"
    );
    assert!(t.vault().join("keyslots/test.age").exists());
    // Without a passphrase slot, a passphrase cannot unlock (exit 12).
    t.unset("TROVE_IDENTITY");
    t.set("TROVE_PASSPHRASE", PASSPHRASE);
    let out = t.run(&["status"]);
    assert_eq!(code(&out), 12);
    assert_eq!(
        stderr(&out),
        "trove: error: the vault has no passphrase key slot\n"
    );
    // key passwd with the identity restores one.
    t.unset("TROVE_PASSPHRASE");
    t.set("TROVE_IDENTITY", &path_str(&t.identity_file()));
    t.set("TROVE_NEW_PASSPHRASE", PASSPHRASE);
    t.ok(&["key", "passwd"]);
    t.unset("TROVE_IDENTITY");
    t.set("TROVE_PASSPHRASE", PASSPHRASE);
    t.ok(&["status"]);
}

#[test]
fn a_damaged_key_slot_is_an_error_not_wrong_data() {
    let t = TestEnv::with_vault();
    let slot = t.vault().join("keyslots/test.age");
    let mut bytes = fs::read(&slot).unwrap();
    let last = bytes.len() - 5;
    bytes[last] ^= 0x01; // inside the encrypted payload
    fs::write(&slot, bytes).unwrap();
    let out = t.run(&["status"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).starts_with("trove: error: key slot test is damaged: "),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
}
