//! GDAL's command-line tools (`ogr2ogr`, `ogrinfo`, `gdal_translate`,
//! `gdalwarp`) and the datasets they name: a local file, a database
//! connection (`PG:"host=... dbname=..."`, `MYSQL:db,host=...`,
//! `MSSQL:server=...`) or a virtual file system path (`/vsis3/BUCKET/KEY`,
//! `/vsigs/`, `/vsicurl/URL`, wrapped in `/vsizip/` and the like).
//!
//! A conversion reads its sources and writes its destination, which
//! carries what went in: a bucket path is an upload of the sources to
//! it, a database destination a load into that server's tables (a write,
//! the sources' files sent), a local file a write. `-sql` runs its
//! statement on the source (`ogrinfo DATASET -sql ...` on the dataset);
//! `-sql @FILE` reads the statement from FILE.

use super::sql::{dsn_host, strip_port};
use super::transform::{Destination, emit, take_input};
use super::{Invocation, Outcome, request, url};
use crate::args::Arg;
use crate::{Effect, Payload, Sql};

pub(super) fn handle(inv: &Invocation<'_>) -> Option<Outcome> {
    let words = Words::read(inv.args);
    Some(match inv.program {
        "ogr2ogr" => convert(inv, &words, Order::DestinationFirst),
        "gdal_translate" | "gdalwarp" | "gdal_rasterize" | "gdal_grid" => {
            convert(inv, &words, Order::DestinationLast)
        }
        "ogrinfo" => info(inv, &words),
        _ => return None,
    })
}

/// Options whose value is not a number (numbers after any option are
/// skipped as its values: `-spat 1 2 3 4`, `-scale 0 255`, `-gcp ...`).
const VALUED: &[&str] = &[
    "f",
    "of",
    "ot",
    "if",
    "dsco",
    "lco",
    "co",
    "oo",
    "doo",
    "nln",
    "nlt",
    "sql",
    "dialect",
    "where",
    "select",
    "spat_srs",
    "geomfield",
    "a_srs",
    "t_srs",
    "s_srs",
    "ct",
    "clipsrcsql",
    "clipsrclayer",
    "clipsrcwhere",
    "clipdstsql",
    "clipdstlayer",
    "clipdstwhere",
    "fieldTypeToString",
    "mapFieldType",
    "fieldmap",
    "zfield",
    "mo",
    "dim",
    "r",
    "b",
    "mask",
    "expand",
    "projwin_srs",
    "colorinterp",
    "te_srs",
    "cutline",
    "cl",
    "cwhere",
    "csql",
    "wo",
    "wm",
    "wt",
    "to",
    "ovr",
    "a_nodata",
    "srcnodata",
    "dstnodata",
    "fid",
    "limit",
    "gt",
];

/// A GDAL tool's words: its datasets (in order) and its options' values.
struct Words<'a> {
    datasets: Vec<&'a Arg>,
    sql: Option<&'a Arg>,
}

impl<'a> Words<'a> {
    fn read(args: &'a [Arg]) -> Self {
        let mut words = Words {
            datasets: Vec::new(),
            sql: None,
        };
        let mut rest = args.iter().peekable();
        while let Some(arg) = rest.next() {
            let Some(name) = arg.text.strip_prefix('-').filter(|n| !n.is_empty()) else {
                words.datasets.push(arg);
                continue;
            };
            if is_number(name) {
                continue;
            }
            if name == "config" || name == "-config" {
                // `--config KEY VALUE`
                rest.next();
                rest.next();
                continue;
            }
            if VALUED.contains(&name) {
                let value = rest.next();
                if name == "sql" {
                    words.sql = value;
                }
            }
            while rest.peek().is_some_and(|next| is_number(&next.text)) {
                rest.next();
            }
        }
        words
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.parse::<f64>().is_ok()
}

/// Where a tool's destination is among its datasets.
#[derive(Clone, Copy)]
enum Order {
    /// `ogr2ogr DST SRC [LAYER...]`
    DestinationFirst,
    /// `gdal_translate SRC DST`, `gdalwarp SRC... DST`
    DestinationLast,
}

/// A dataset as GDAL reads its name.
#[derive(Debug, PartialEq)]
enum Dataset {
    /// A database server, by host, with the connection string as written.
    Database {
        host: Option<String>,
        dsn: String,
    },
    /// An object in a bucket or at a URL (`s3://b/k`, `https://...`).
    Remote(String),
    File(String),
}

impl Dataset {
    fn of(text: &str) -> Self {
        if let Some(conninfo) = strip_prefix_ignore_case(text, "PG:") {
            return Dataset::Database {
                host: dsn_host(conninfo),
                dsn: text.to_owned(),
            };
        }
        if let Some(spec) = strip_prefix_ignore_case(text, "MYSQL:") {
            return Dataset::Database {
                host: keyed(spec, ',', "host"),
                dsn: text.to_owned(),
            };
        }
        if let Some(spec) = strip_prefix_ignore_case(text, "MSSQL:") {
            return Dataset::Database {
                // `server=HOST[,PORT]` (or `HOST:PORT`, `HOST\INSTANCE`)
                host: keyed(spec, ';', "server").map(|server| {
                    let host = server.split([',', '\\']).next().unwrap_or_default();
                    strip_port(host)
                }),
                dsn: text.to_owned(),
            };
        }
        if text.starts_with("postgresql://") || text.starts_with("postgres://") {
            return Dataset::Database {
                host: dsn_host(text),
                dsn: text.to_owned(),
            };
        }
        let inner = virtual_inner(text);
        for (prefix, scheme) in [
            ("/vsis3/", "s3://"),
            ("/vsigs/", "gs://"),
            ("/vsioss/", "oss://"),
        ] {
            if let Some(path) = inner.strip_prefix(prefix) {
                return Dataset::Remote(format!("{scheme}{path}"));
            }
        }
        if let Some(address) = inner.strip_prefix("/vsicurl/") {
            return Dataset::Remote(address.to_owned());
        }
        if inner.contains("://") {
            return Dataset::Remote(inner.to_owned());
        }
        Dataset::File(inner.to_owned())
    }
}

/// A path without its archive and compression wrappers: `/vsizip//vsis3/b/a.zip/x.shp`
/// is in the bucket, `/vsigzip/f.gz` is the file.
fn virtual_inner(text: &str) -> &str {
    let mut inner = text;
    for wrapper in ["/vsizip/", "/vsigzip/", "/vsitar/", "/vsi7z/", "/vsirar/"] {
        if let Some(rest) = inner.strip_prefix(wrapper) {
            inner = rest
                .strip_prefix('{')
                .map_or(rest, |r| r.split('}').next().unwrap_or(r));
        }
    }
    inner
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..).unwrap_or_default())
}

/// `key=value` from a `separator`-separated connection spec.
fn keyed(spec: &str, separator: char, key: &str) -> Option<String> {
    spec.split(separator).find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().to_owned())
    })
}

/// The statement `-sql` gives (`@FILE` reads it from FILE).
fn statement(inv: &Invocation<'_>, outcome: &mut Outcome, sql: Option<&Arg>) -> Option<String> {
    let text = &sql?.text;
    match text.strip_prefix('@') {
        Some(file) => {
            outcome.read(inv.path(file), false);
            None
        }
        None => Some(text.clone()),
    }
}

fn query(program: &str, host: Option<String>, dsn: String, sql: Option<String>) -> Effect {
    Effect::Sql(Sql {
        client: program.to_owned(),
        host,
        dsn: Some(dsn),
        sql,
        files: Vec::new(),
        login: Payload::default(),
    })
}

/// A conversion: the sources are read (a `-sql` statement runs on a
/// database source), the destination receives what they held.
fn convert(inv: &Invocation<'_>, words: &Words<'_>, order: Order) -> Outcome {
    let mut outcome = Outcome::default();
    let (destination, sources) = match order {
        Order::DestinationFirst => match words.datasets.split_first() {
            // ogr2ogr's words after the source are layer names.
            Some((dst, rest)) => (
                Some(*dst),
                rest.first().map(|s| vec![*s]).unwrap_or_default(),
            ),
            None => (None, Vec::new()),
        },
        Order::DestinationLast => match words.datasets.split_last() {
            Some((dst, rest)) => (Some(*dst), rest.to_vec()),
            None => (None, Vec::new()),
        },
    };
    let Some(destination) = destination else {
        return outcome;
    };
    let sql = statement(inv, &mut outcome, words.sql);
    let mut carried = Payload::default();
    for source in &sources {
        match Dataset::of(&source.text) {
            Dataset::Database { host, dsn } => {
                let select = sql.clone().or_else(|| Some("SELECT *".to_owned()));
                outcome.effects.push(query(inv.program, host, dsn, select));
            }
            Dataset::Remote(address) => {
                outcome.effects.push(request(
                    inv.program,
                    url(&address),
                    "GET",
                    Payload::default(),
                    false,
                ));
            }
            Dataset::File(path) => take_input(inv, &mut outcome, &mut carried, &path, false),
        }
    }
    match Dataset::of(&destination.text) {
        Dataset::Database { host, dsn } => {
            let table = layer_name(&sources);
            outcome.effects.push(Effect::Sql(Sql {
                client: inv.program.to_owned(),
                host,
                dsn: Some(dsn),
                sql: Some(format!("INSERT INTO {table}")),
                files: carried.files.iter().map(|f| f.path.clone()).collect(),
                login: Payload::default(),
            }));
        }
        Dataset::Remote(address) => {
            outcome.effects.push(request(
                inv.program,
                url(&address),
                "UPLOAD",
                carried,
                false,
            ));
        }
        Dataset::File(path) => emit(&mut outcome, Destination::named(inv, &path), carried),
    }
    outcome
}

/// The table a load into a database fills: the source file's name.
fn layer_name(sources: &[&Arg]) -> String {
    sources
        .first()
        .and_then(|s| s.text.rsplit('/').next())
        .and_then(|name| name.split('.').next())
        .filter(|name| !name.is_empty())
        .unwrap_or("layer")
        .to_owned()
}

/// `ogrinfo DATASET [-sql STATEMENT]`: the statement runs on the dataset;
/// otherwise the dataset is read.
fn info(inv: &Invocation<'_>, words: &Words<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(dataset) = words.datasets.first() else {
        return outcome;
    };
    let sql = statement(inv, &mut outcome, words.sql);
    match Dataset::of(&dataset.text) {
        Dataset::Database { host, dsn } => {
            if sql.is_some() {
                outcome.effects.push(query(inv.program, host, dsn, sql));
            }
        }
        Dataset::Remote(address) => outcome.effects.push(request(
            inv.program,
            url(&address),
            "GET",
            Payload::default(),
            false,
        )),
        Dataset::File(path) => outcome.read(inv.path(&path), false),
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datasets_by_their_names() {
        let db = |host: &str, dsn: &str| Dataset::Database {
            host: Some(host.to_owned()),
            dsn: dsn.to_owned(),
        };
        for (text, dataset) in [
            (
                "PG:dbname=gis host=db.example.net port=5432",
                db(
                    "db.example.net",
                    "PG:dbname=gis host=db.example.net port=5432",
                ),
            ),
            (
                "MYSQL:gis,host=my.example.net,user=u",
                db("my.example.net", "MYSQL:gis,host=my.example.net,user=u"),
            ),
            (
                "MSSQL:server=sql.example.net,1433;database=gis",
                db(
                    "sql.example.net",
                    "MSSQL:server=sql.example.net,1433;database=gis",
                ),
            ),
            (
                "/vsis3/bucket/a/b.csv",
                Dataset::Remote("s3://bucket/a/b.csv".into()),
            ),
            (
                "/vsizip//vsigs/b/a.zip/x.shp",
                Dataset::Remote("gs://b/a.zip/x.shp".into()),
            ),
            (
                "/vsicurl/https://example.org/a.tif",
                Dataset::Remote("https://example.org/a.tif".into()),
            ),
            ("/vsigzip/data/a.gz", Dataset::File("data/a.gz".into())),
            ("parcels.shp", Dataset::File("parcels.shp".into())),
        ] {
            assert_eq!(Dataset::of(text), dataset, "{text}");
        }
    }

    #[test]
    fn numbers_after_options_are_values_not_datasets() {
        let args: Vec<Arg> = [
            "-spat", "1", "2", "3", "4", "-f", "CSV", "out.csv", "in.shp",
        ]
        .iter()
        .map(|w| Arg::literal(w))
        .collect();
        let words = Words::read(&args);
        let names: Vec<&str> = words.datasets.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(names, ["out.csv", "in.shp"]);
    }
}
