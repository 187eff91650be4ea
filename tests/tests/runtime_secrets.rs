//! Secrets are compared in constant time, and only there: a lint over the runtime's source, since
//! a comparison that leaks timing gives the same answers as one that does not, and no test of
//! behaviour can tell them apart.

use std::path::{Path, PathBuf};

fn runtime_sources() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
    let mut sources: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect();
    sources.sort();
    assert!(sources.len() > 5, "the runtime sources are in {}", dir.display());
    sources
}

/// The text of the function or impl that starts at the first line containing `start`, up to the
/// line that closes it (at the same indentation).
fn item_at<'a>(source: &'a str, start: &str) -> &'a str {
    let begin = source.find(start).unwrap_or_else(|| panic!("no `{start}`"));
    let indent = source[..begin].rsplit('\n').next().unwrap().len();
    let close = format!("\n{}}}", " ".repeat(indent));
    let end = source[begin..].find(&close).map_or(source.len(), |n| begin + n + close.len());
    &source[begin..end]
}

#[test]
fn no_exposed_secret_is_compared_with_eq() {
    for (path, source) in runtime_sources() {
        for (number, line) in source.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            if code.contains("expose_secret()") && (code.contains("==") || code.contains("!=")) {
                panic!("{}:{}: a secret compared with `==`: {line}", path.display(), number + 1);
            }
        }
    }
}

#[test]
fn secret_strings_and_so_oauth_states_compare_in_constant_time() {
    let sources = runtime_sources();
    let secret = &sources.iter().find(|(path, _)| path.ends_with("secret.rs")).unwrap().1;
    let eq = item_at(secret, "impl PartialEq for SecretString");
    assert!(eq.contains("constant_time_eq(self.expose_secret().as_bytes(), other.expose_secret().as_bytes())"), "{eq}");
    let compare = item_at(secret, "pub(crate) fn constant_time_eq");
    let body = &compare[compare.find('{').unwrap()..];
    let after_length_check = &body[body.find("return false;").expect("unequal lengths return at once")..];
    for early_exit in ["return", "break", "==", ".any(", ".all(", ".position(", "starts_with", "eq("] {
        let rest = &after_length_check["return false;".len()..];
        let rest = rest.replace("black_box(difference) == 0", "");
        assert!(!rest.contains(early_exit), "`{early_exit}` would stop at the first difference:\n{compare}");
    }
    // `State` (the OAuth CSRF check) is a `SecretString`, compared by that impl.
    let oauth = &sources.iter().find(|(path, _)| path.ends_with("oauth.rs")).unwrap().1;
    assert!(oauth.contains("#[derive(Clone, Debug, PartialEq, Eq)]\npub struct State(SecretString);"));
    assert!(item_at(oauth, "pub fn callback(").contains("if state != *expected_state {"));
}

#[test]
fn event_callback_signatures_are_checked_by_the_hmac_crates_constant_time_verify() {
    let sources = runtime_sources();
    let webhook = &sources.iter().find(|(path, _)| path.ends_with("webhook.rs")).unwrap().1;
    let verify = item_at(webhook, "pub fn verify<");
    assert!(verify.contains("mac.verify_slice(&signature)"), "the signature goes through `verify_slice`");
    assert!(!verify.contains("finalize"), "no MAC is computed to be compared by hand");
    // Only the mock's `sign`, which makes a signature for tests, computes one.
    assert_eq!(webhook.matches("finalize").count(), item_at(webhook, "pub fn sign<").matches("finalize").count());
}
