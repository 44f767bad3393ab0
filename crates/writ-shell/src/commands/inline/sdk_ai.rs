//! Sends to AI vendors' APIs through their SDKs (OpenAI's and Anthropic's,
//! Python's and JavaScript's), read as uploads there:
//! - a file handed to a file API (`client.files.create(file=open(path,
//!   "rb"), purpose=...)`, `audio.transcriptions.create(file=...)`,
//!   Anthropic's `beta.files.upload(file=...)`; JavaScript's `{ file:
//!   fs.createReadStream(path) }`) sends that file;
//! - a prompt (`client.messages.create(...)`,
//!   `client.chat.completions.create(...)`, `responses.create`,
//!   `embeddings.create`, the legacy `openai.ChatCompletion.create`) sends
//!   what the code read (a file's text pasted into the messages).
//!
//! Each goes to the vendor's API: OpenAI's `https://api.openai.com/v1`,
//! Anthropic's `https://api.anthropic.com`, unless the client is given
//! another (`base_url=`, `baseURL:`, Azure's `azure_endpoint=`). A call
//! counts only in code that uses that vendor's SDK (`from openai import
//! OpenAI`, `import anthropic`, `@anthropic-ai/sdk`): Twilio's
//! `client.messages.create(...)` is no prompt.

use super::Literal;
use super::storage::{self, Body, Upload, is_ident, keyword_before};

/// An AI vendor's SDK.
struct Vendor {
    /// What code that uses its SDK writes.
    markers: &'static [&'static str],
    /// Its API's base URL.
    base: &'static str,
    /// Keys a client is given another base URL with.
    base_keys: &'static [&'static str],
}

const OPENAI: Vendor = Vendor {
    markers: &[
        "from openai",
        "import openai",
        "OpenAI(",
        "\"openai\"",
        "'openai'",
    ],
    base: "https://api.openai.com/v1",
    base_keys: &["base_url", "baseURL", "api_base", "azure_endpoint"],
};

const ANTHROPIC: Vendor = Vendor {
    markers: &[
        "import anthropic",
        "from anthropic",
        "Anthropic(",
        "@anthropic-ai/sdk",
    ],
    base: "https://api.anthropic.com",
    base_keys: &["base_url", "baseURL"],
};

/// What a call sends.
#[derive(Clone, Copy)]
enum Sent {
    /// The file its `file` argument gives.
    File,
    /// What the code read (its prompt).
    Read,
}

/// The SDKs' sending calls: the chain the call ends in, its vendor, the
/// path it posts to under the vendor's base and what it sends.
const CALLS: &[(&str, &Vendor, &str, Sent)] = &[
    ("files.create", &OPENAI, "/files", Sent::File),
    (
        "audio.transcriptions.create",
        &OPENAI,
        "/audio/transcriptions",
        Sent::File,
    ),
    (
        "audio.translations.create",
        &OPENAI,
        "/audio/translations",
        Sent::File,
    ),
    (
        "vector_stores.files.upload_and_poll",
        &OPENAI,
        "/files",
        Sent::File,
    ),
    (
        "chat.completions.create",
        &OPENAI,
        "/chat/completions",
        Sent::Read,
    ),
    (
        "chat.completions.parse",
        &OPENAI,
        "/chat/completions",
        Sent::Read,
    ),
    (
        "chat.completions.stream",
        &OPENAI,
        "/chat/completions",
        Sent::Read,
    ),
    (
        "threads.messages.create",
        &OPENAI,
        "/threads/messages",
        Sent::Read,
    ),
    ("responses.create", &OPENAI, "/responses", Sent::Read),
    ("embeddings.create", &OPENAI, "/embeddings", Sent::Read),
    (
        "ChatCompletion.create",
        &OPENAI,
        "/chat/completions",
        Sent::Read,
    ),
    ("Completion.create", &OPENAI, "/completions", Sent::Read),
    ("File.create", &OPENAI, "/files", Sent::File),
    ("beta.files.upload", &ANTHROPIC, "/v1/files", Sent::File),
    ("messages.create", &ANTHROPIC, "/v1/messages", Sent::Read),
    ("messages.stream", &ANTHROPIC, "/v1/messages", Sent::Read),
    (
        "messages.count_tokens",
        &ANTHROPIC,
        "/v1/messages/count_tokens",
        Sent::Read,
    ),
    (
        "messages.batches.create",
        &ANTHROPIC,
        "/v1/messages/batches",
        Sent::Read,
    ),
];

/// Keys a file API's call is given its file with.
const FILE_KEYS: &[&str] = &["file", "files"];

/// True when the code uses `vendor`'s SDK.
fn uses(code: &str, vendor: &Vendor) -> bool {
    vendor.markers.iter().any(|marker| code.contains(marker))
}

/// The chain of names a call whose `(` is at `open` is made through
/// (`client.beta.threads.messages.create`).
fn chain_before(code: &str, open: usize) -> &str {
    let head = code.get(..open).unwrap_or_default();
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| !is_ident(*c) && *c != '.')
        .map_or(0, |(at, c)| at + c.len_utf8());
    head.get(start..).unwrap_or_default()
}

/// The sends to AI vendors' APIs the code makes, as uploads; the literals
/// naming another base URL are marked used.
pub(super) fn sends(
    code: &str,
    literals: &[Literal],
    used: &mut Vec<usize>,
    out: &mut Vec<Upload>,
) {
    let vendors = [&OPENAI, &ANTHROPIC];
    if !vendors.iter().any(|vendor| uses(code, vendor)) {
        return;
    }
    for (open, _) in code.match_indices('(') {
        if literals.iter().any(|l| l.start < open && open < l.end) {
            continue;
        }
        let chain = chain_before(code, open);
        // The longest call the chain ends in (`threads.messages.create`
        // before `messages.create`).
        let call = CALLS
            .iter()
            .filter(|(name, _, _, _)| {
                chain
                    .strip_suffix(name)
                    .is_some_and(|head| head.is_empty() || head.ends_with('.'))
            })
            .max_by_key(|(name, _, _, _)| name.len());
        let Some((_, vendor, path, sent)) = call else {
            continue;
        };
        if !uses(code, vendor) {
            continue;
        }
        let base = keyword_before(code, literals, open, vendor.base_keys)
            .filter(|(url, _)| url.starts_with("http"))
            .map(|(url, index)| {
                used.push(index);
                url.trim_end_matches('/').to_owned()
            })
            .unwrap_or_else(|| vendor.base.to_owned());
        let Some(mut args) = storage::args_at(code, literals, open) else {
            continue;
        };
        let body = match sent {
            Sent::File => args.file(FILE_KEYS, Some(0)).unwrap_or(Body::Other),
            Sent::Read => Body::Other,
        };
        used.append(&mut args.used);
        out.push(Upload {
            target: Some(format!("{base}{path}")),
            body,
            public: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::inline::literals;

    fn sent(code: &str) -> Vec<(Option<String>, Option<String>)> {
        let mut out = Vec::new();
        sends(code, &literals(code), &mut Vec::new(), &mut out);
        out.into_iter()
            .map(|u| {
                let file = match u.body {
                    Body::File(f) => Some(f),
                    _ => None,
                };
                (u.target, file)
            })
            .collect()
    }

    #[test]
    fn file_uploads_send_the_file() {
        assert_eq!(
            sent(
                "from openai import OpenAI\nclient = OpenAI()\n\
                 with open('d.jsonl', 'rb') as fh:\n    client.files.create(file=fh, purpose='fine-tune')"
            ),
            [(
                Some("https://api.openai.com/v1/files".to_owned()),
                Some("d.jsonl".to_owned())
            )]
        );
        assert_eq!(
            sent(
                "import OpenAI from 'openai';\nconst o = new OpenAI({ baseURL: 'https://llm.example.com/v1' });\n\
                 await o.files.create({ file: fs.createReadStream('x.csv'), purpose: 'assistants' });"
            ),
            [(
                Some("https://llm.example.com/v1/files".to_owned()),
                Some("x.csv".to_owned())
            )]
        );
    }

    #[test]
    fn prompts_send_what_the_code_read() {
        assert_eq!(
            sent(
                "import anthropic\ntext = open('k.json').read()\n\
                 anthropic.Anthropic().messages.create(model='m', messages=[{'content': text}])"
            ),
            [(
                Some("https://api.anthropic.com/v1/messages".to_owned()),
                None
            )]
        );
        assert_eq!(
            sent(
                "from openai import OpenAI\nOpenAI().beta.threads.messages.create(t, role='user', content='hi')"
            ),
            [(
                Some("https://api.openai.com/v1/threads/messages".to_owned()),
                None
            )]
        );
    }

    #[test]
    fn other_sdks_calls_are_no_sends() {
        assert!(
            sent("from twilio.rest import Client\nClient().messages.create(to='+1', body='x')")
                .is_empty()
        );
        assert!(sent("import anthropic\nclient.files.create(file=open('x'))").is_empty());
    }
}
