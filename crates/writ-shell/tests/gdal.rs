//! GDAL's tools: the datasets they read and write, a database connection
//! or a bucket path as the destination of what the sources held.

use serde_json::json;

use crate::common;
use common::*;

#[test]
fn ogr2ogr_and_gdal_translate() {
    let roll = at("data/roll.csv");
    run_table(&[
        // A bucket path is an upload of the source.
        (
            "ogr2ogr -f CSV /vsis3/dropbox-bucket/h/roll.csv data/roll.csv",
            json!([
                read(&roll),
                url_request(
                    "ogr2ogr",
                    "s3://dropbox-bucket/h/roll.csv",
                    "UPLOAD",
                    payload(&[], &[(&roll, false)], &[])
                )
            ]),
        ),
        // A database destination is a load into that server, the source
        // sent; numbers after -spat are its values, not datasets.
        (
            "ogr2ogr -spat 1 2 3 4 -nln parcels -f PostgreSQL PG:\"host=gis.example.net dbname=gis\" data/roll.csv",
            json!([
                read(&roll),
                sql(
                    "ogr2ogr",
                    Some("gis.example.net"),
                    Some("PG:host=gis.example.net dbname=gis"),
                    Some("INSERT INTO roll"),
                    &[&roll]
                )
            ]),
        ),
        // A database source runs -sql there; a local output is written.
        (
            "ogr2ogr -f GeoJSON out.geojson PG:'host=gis.example.net dbname=gis' -sql 'SELECT * FROM parcels'",
            json!([
                sql(
                    "ogr2ogr",
                    Some("gis.example.net"),
                    Some("PG:host=gis.example.net dbname=gis"),
                    Some("SELECT * FROM parcels"),
                    &[]
                ),
                write(&at("out.geojson"))
            ]),
        ),
        (
            "gdal_translate -of COG -co COMPRESS=DEFLATE /vsicurl/https://data.example.org/dem.tif /vsigs/maps/dem.tif",
            json!([
                url_request(
                    "gdal_translate",
                    "https://data.example.org/dem.tif",
                    "GET",
                    empty()
                ),
                url_request("gdal_translate", "gs://maps/dem.tif", "UPLOAD", empty())
            ]),
        ),
    ]);
}

#[test]
fn ogrinfo_runs_its_statement_on_the_dataset() {
    run_table(&[
        (
            "ogrinfo PG:\"host=gisdb.example.net dbname=gis\" -sql \"ALTER TABLE parcels ADD COLUMN z int\"",
            json!([sql(
                "ogrinfo",
                Some("gisdb.example.net"),
                Some("PG:host=gisdb.example.net dbname=gis"),
                Some("ALTER TABLE parcels ADD COLUMN z int"),
                &[]
            )]),
        ),
        // Without a statement it only reads.
        (
            "ogrinfo -so -al PG:'host=gisdb.example.net dbname=gis'",
            json!([]),
        ),
        (
            "ogrinfo -so data/parcels.shp",
            json!([read(&at("data/parcels.shp"))]),
        ),
        (
            "ogrinfo data/parcels.gpkg -sql @queries/drop.sql",
            json!([
                read(&at("queries/drop.sql")),
                read(&at("data/parcels.gpkg"))
            ]),
        ),
    ]);
}
