//! Records, pages, tickets and gists written through SaaS vendors' SDKs
//! (HubSpot, Notion, Airtable, Jira, Salesforce, GitHub gists) from
//! inline Python and Node code: each write is a request to the vendor's
//! API (or the server the client is pointed at) carrying what it is
//! given; reads are no requests. And a blob client made with a SAS URL the
//! script is given as its argument uploads to that URL.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::Value;

/// The requests among `command`'s effects.
fn requests(command: &str) -> Vec<Value> {
    of_kind(&effects(command), "request")
}

/// The one request among `command`'s effects that sends to `url` (a URL
/// the code writes out is fetched besides).
fn request_to(command: &str, url: &str) -> Value {
    let found: Vec<Value> = requests(command)
        .into_iter()
        .filter(|r| r["target"]["url"] == url && r["method"] != "GET")
        .collect();
    match found.as_slice() {
        [one] => one.clone(),
        _ => panic!("{command}: one request to {url}, found {found:?}"),
    }
}

/// The texts a request's payload carries.
fn texts(request: &Value) -> Vec<String> {
    request["payload"]["text"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect()
}

/// The paths of the files a request's payload carries.
fn files(request: &Value) -> Vec<String> {
    request["payload"]["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["path"].as_str().map(str::to_owned))
        .collect()
}

fn carries_text(request: &Value, needle: &str) -> bool {
    texts(request).iter().any(|t| t.contains(needle))
}

#[test]
fn crm_records_created_are_posted_to_the_vendor() {
    let python = "python3 - <<'EOF'\nimport os\nfrom hubspot import HubSpot\nfrom hubspot.crm.contacts import SimplePublicObjectInputForCreate\napi = HubSpot(access_token=os.environ[\"HUBSPOT_ACCESS_TOKEN\"])\nc = api.crm.contacts.basic_api.create(simple_public_object_input_for_create=SimplePublicObjectInputForCreate(properties={\"email\": \"jo@lumen.example\", \"company\": \"Lumen Freight\"}))\nprint(c.id)\nEOF";
    let sent = request_to(python, "https://api.hubapi.com");
    assert_eq!(sent["method"], "POST");
    assert!(carries_text(&sent, "jo@lumen.example"), "{sent}");
    assert!(carries_text(&sent, "Lumen Freight"), "{sent}");
    let node = "node -e 'const hubspot = require(\"@hubspot/api-client\"); new hubspot.Client({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN }).crm.contacts.basicApi.create({ properties: {\"email\": \"jo@lumen.example\"}, associations: [] }).then(r => console.log(r.id))'";
    let sent = request_to(node, "https://api.hubapi.com");
    assert!(carries_text(&sent, "jo@lumen.example"), "{sent}");
}

#[test]
fn rows_read_from_a_file_ride_with_the_batch() {
    let command = "python3 -c \"import csv, os; from hubspot import HubSpot; api = HubSpot(access_token=os.environ['HUBSPOT_ACCESS_TOKEN']); rows = list(csv.DictReader(open('exports/customers.csv'))); api.crm.contacts.batch_api.create({'inputs': [{'properties': {'email': r['contact_email']}} for r in rows[:100]]})\"";
    let sent = request_to(command, "https://api.hubapi.com");
    assert_eq!(files(&sent), [at("exports/customers.csv")]);
    let node = "node --input-type=module -e 'import { Client } from \"@hubspot/api-client\"; import { parse } from \"csv-parse/sync\"; import { readFileSync } from \"node:fs\"; const rows = parse(readFileSync(\"exports/customers.csv\"), { columns: true }); const hs = new Client({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN }); await hs.crm.contacts.batchApi.create({ inputs: rows.map(r => ({ properties: { email: r.contact_email } })) });'";
    let sent = request_to(node, "https://api.hubapi.com");
    assert_eq!(files(&sent), [at("exports/customers.csv")]);
}

#[test]
fn notion_pages_and_blocks_carry_their_text() {
    let created = "python3 - <<'EOF'\nimport os\nfrom notion_client import Client\nnotion = Client(auth=os.environ[\"NOTION_TOKEN\"])\nnotion.pages.create(parent={\"database_id\": \"8e3b\"}, properties={\"Name\": {\"title\": [{\"text\": {\"content\": \"Postmortem: checksum failures\"}}]}})\nEOF";
    let sent = request_to(created, "https://api.notion.com");
    assert_eq!(sent["method"], "POST");
    assert!(
        carries_text(&sent, "Postmortem: checksum failures"),
        "{sent}"
    );
    let appended = "python3 -c 'from notion_client import Client; Client(auth=\"t\").blocks.children.append(block_id=\"2c81\", children=[{\"paragraph\": {\"rich_text\": [{\"text\": {\"content\": \"boto3 pinned\"}}]}}])'";
    let sent = request_to(appended, "https://api.notion.com");
    assert!(carries_text(&sent, "boto3 pinned"), "{sent}");
    // The page given as the script's argument (Node's `-e`: `process.argv[1]`).
    let from_argv = "node -e 'const { Client } = require(\"@notionhq/client\"); new Client({ auth: process.env.NOTION_TOKEN }).pages.create(JSON.parse(process.argv[1])).then(p => console.log(p.id))' '{\"children\": [{\"text\": {\"content\": \"4 accounts at risk\"}}]}'";
    let sent = request_to(from_argv, "https://api.notion.com");
    assert!(carries_text(&sent, "4 accounts at risk"), "{sent}");
}

#[test]
fn reads_through_the_sdks_are_no_requests() {
    for command in [
        "python3 -c 'from notion_client import Client; n = Client(auth=\"t\"); print(n.pages.retrieve(page_id=\"1497\")); print(n.blocks.children.list(block_id=\"1497\"))'",
        "python3 -c 'import os; from pyairtable import Api; print(len(Api(os.environ[\"AIRTABLE_PAT\"]).table(\"appQ3\", \"Vendors\").all(view=\"Active\")))'",
        "python3 -c 'import os; from hubspot import HubSpot; api = HubSpot(access_token=os.environ[\"T\"]); print(api.crm.contacts.basic_api.get_page(limit=100))'",
        // A list's `append`, building blocks from a listing.
        "python3 -c 'from notion_client import Client; n = Client(auth=\"t\"); children = []; children.append(n.blocks.children.list(block_id=\"1497\")); print(children)'",
        // A string's `replace`, with a token (not a server) given first.
        "python3 -c 'from pyairtable import Api; t = Api(\"patW3.8d1c\").table(\"app\", \"T\"); print([r[\"id\"].replace(\"rec\", \"\") for r in t.all()])'",
        // `.create(` of code that imports no SaaS SDK.
        "python3 -c 'import jira_helpers; jira_helpers.tickets.create(title=\"x\")'",
    ] {
        assert_eq!(requests(command), Vec::<Value>::new(), "{command}");
    }
}

#[test]
fn airtable_rows_are_posted() {
    let python = "python3 - <<'EOF'\nimport os\nfrom pyairtable import Api\ntable = Api(os.environ[\"AIRTABLE_PAT\"]).table(\"appQ3\", \"Vendors\")\nrec = table.create({\"Name\": \"Backblaze B2\", \"Status\": \"Evaluating\"}, typecast=True)\nEOF";
    let sent = request_to(python, "https://api.airtable.com");
    assert!(carries_text(&sent, "Backblaze B2"), "{sent}");
    let token_first = "python3 -c 'from pyairtable import Api; Api(\"patW3.8d1c\").table(\"app\", \"T\").batch_create([{\"Name\": \"Wasabi\"}])'";
    let sent = request_to(token_first, "https://api.airtable.com");
    assert!(carries_text(&sent, "Wasabi"), "{sent}");
    let node = "node -e 'const Airtable = require(\"airtable\"); new Airtable({ apiKey: process.env.AIRTABLE_PAT }).base(\"appQ3\")(\"Vendors\").create([{ fields: { Name: \"Backblaze B2\" } }])'";
    let sent = request_to(node, "https://api.airtable.com");
    assert!(carries_text(&sent, "Backblaze B2"), "{sent}");
}

#[test]
fn tickets_go_to_the_server_the_client_names() {
    let python = "python3 - <<'EOF'\nimport os\nfrom jira import JIRA\nvendor = JIRA(server=\"https://vendor-support.atlassian.net\", token_auth=os.environ[\"PAT\"])\nvendor.create_issue(project=\"SUP\", summary=\"502s\", description=\"affected: jo@lumen.example\")\nEOF";
    let sent = request_to(python, "https://vendor-support.atlassian.net");
    assert_eq!(sent["method"], "POST");
    assert!(carries_text(&sent, "affected: jo@lumen.example"), "{sent}");
    // jira.js, the description given as the script's argument.
    let node = "node -e 'const { Version2Client } = require(\"jira.js\"); const c = new Version2Client({ host: \"https://vendor-support.atlassian.net\", authentication: { oauth2: { accessToken: process.env.PAT } } }); c.issues.createIssue({ fields: { project: { key: \"SUP\" }, summary: \"502s\", description: process.argv[1] } })' 'affected: jo@lumen.example'";
    let sent = request_to(node, "https://vendor-support.atlassian.net");
    assert!(carries_text(&sent, "affected: jo@lumen.example"), "{sent}");
    // Salesforce's instance, given as a bare host.
    let salesforce = "python3 -c 'from simple_salesforce import Salesforce; sf = Salesforce(instance=\"acme.my.salesforce.com\", session_id=\"s\"); sf.Contact.create({\"LastName\": \"Okafor\"})'";
    let sent = request_to(salesforce, "https://acme.my.salesforce.com");
    assert!(carries_text(&sent, "Okafor"), "{sent}");
}

#[test]
fn public_gists_are_public_and_carry_the_files_read() {
    let python = "python3 - <<'EOF'\nimport os, pathlib\nfrom github import Auth, Github, InputFileContent\ngh = Github(auth=Auth.Token(os.environ[\"GH_TOKEN\"]))\ngh.get_user().create_gist(True, {\"staging.env\": InputFileContent(pathlib.Path(\".env\").read_text())}, \"repro\")\nEOF";
    let sent = request_to(python, "https://gist.github.com");
    assert_eq!(sent["public"], true);
    assert_eq!(files(&sent), [at(".env")]);
    let node = "node -e 'const { Octokit } = require(\"@octokit/rest\"); const fs = require(\"fs\"); new Octokit({ auth: process.env.GH_TOKEN }).rest.gists.create({ public: true, files: { \"staging.env\": { content: fs.readFileSync(\".env\", \"utf8\") } } })'";
    let sent = request_to(node, "https://gist.github.com");
    assert_eq!(sent["public"], true);
    assert_eq!(files(&sent), [at(".env")]);
    let secret = "python3 -c 'from github import Github, InputFileContent; Github(\"t\").get_user().create_gist(public=False, files={\"notes.txt\": InputFileContent(\"hello\")})'";
    let sent = request_to(secret, "https://gist.github.com");
    assert_eq!(sent["public"], false);
    assert!(carries_text(&sent, "hello"), "{sent}");
}

#[test]
fn blob_clients_made_with_the_scripts_argument_upload_to_it() {
    let command = "node -e 'const { BlockBlobClient } = require(\"@azure/storage-blob\"); new BlockBlobClient(process.argv[1]).uploadFile(\"data/customers.csv\").then(r => console.log(r.etag))' 'https://partnerx.blob.core.windows.net/intake/customers.csv?sv=2024&sig=abc'";
    let sent = request_to(
        command,
        "https://partnerx.blob.core.windows.net/intake/customers.csv",
    );
    assert_eq!(sent["method"], "UPLOAD");
    assert_eq!(files(&sent), [at("data/customers.csv")]);
}
