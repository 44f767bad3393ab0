//! The database a migration runner changes and what it logs in with: the
//! connection string on the line (with the password it carries, as psql
//! given the same string sends it), else the configuration file written
//! earlier for the environment the run uses (`config/database.yml`'s
//! `production:` block for `RAILS_ENV=production`); and a run that undoes
//! every migration drops every table they made.

#![allow(clippy::panic)]

use crate::common;

use common::*;
use serde_json::{Value, json};
use writ_shell::{ShellContext, WrittenFile, analyze};

fn data(client: &str, host: &str, class: &str) -> Value {
    json!({"effect": "data_command", "client": client, "host": host, "command": null, "class": class})
}

fn data_login(client: &str, host: &str, class: &str, text: &[&str], env: &[&str]) -> Value {
    let mut effect = data(client, host, class);
    effect["login"] = payload(text, &[], env);
    effect
}

fn environment(program: &str, environment: &str) -> Value {
    json!({"effect": "deploy", "program": program, "environment": environment, "service": null, "production": false})
}

#[test]
fn a_connection_string_carries_its_password_to_its_host() {
    run_table(&[
        (
            "DATABASE_URL=\"postgresql://notify:${PROD_PG_PASSWORD}@pg.example.net:5432/notify\" npx prisma migrate deploy",
            json!([data_login(
                "prisma",
                "pg.example.net",
                "write",
                &["notify:${PROD_PG_PASSWORD}"],
                &["PROD_PG_PASSWORD"]
            )]),
        ),
        // Exported earlier on the line.
        (
            "export DATABASE_URL=\"postgres://u:$PW@pg.example.net/x\"; npx prisma migrate deploy",
            json!([data_login(
                "prisma",
                "pg.example.net",
                "write",
                &["u:$PW"],
                &["PW"]
            )]),
        ),
        (
            "GOOSE_DBSTRING=\"host=pg.example.net user=u password=$PW dbname=x\" goose up",
            json!([data_login(
                "goose",
                "pg.example.net",
                "write",
                &["$PW"],
                &["PW"]
            )]),
        ),
        (
            "atlas migrate apply --url \"mysql://root:$PW@db.example.net:3306/x\"",
            json!([data_login(
                "atlas",
                "db.example.net",
                "write",
                &["root:$PW"],
                &["PW"]
            )]),
        ),
        (
            "flyway -url='jdbc:sqlserver://db.example.net;databaseName=x' -user=u -password=$PW migrate",
            json!([data_login(
                "flyway",
                "db.example.net",
                "write",
                &["$PW"],
                &["PW"]
            )]),
        ),
        (
            "FLYWAY_PASSWORD=$PW flyway -url=jdbc:postgresql://db.example.net/x migrate",
            json!([data_login(
                "flyway",
                "db.example.net",
                "write",
                &["$PW"],
                &["PW"]
            )]),
        ),
        // No password in it: nothing but the change.
        (
            "dbmate --url postgres://u@db.example.net/x up",
            json!([data("dbmate", "db.example.net", "write")]),
        ),
    ]);
}

#[test]
fn undoing_every_migration_drops_their_tables() {
    const URL: &str = "postgres://u@pg.prod.acme.internal/app";
    let host = "pg.prod.acme.internal";
    for (command, client, class) in [
        (
            format!("npx sequelize-cli db:migrate:undo:all --url {URL}"),
            "sequelize",
            "destroy",
        ),
        // Down to a named migration: those after it only.
        (
            format!("npx sequelize-cli db:migrate:undo:all --to 2024-add-x.js --url {URL}"),
            "sequelize",
            "write",
        ),
        (
            format!("DATABASE_URL={URL} npx knex migrate:rollback --all"),
            "knex",
            "destroy",
        ),
        (
            format!("DATABASE_URL={URL} npx knex migrate:rollback"),
            "knex",
            "write",
        ),
        (
            format!("DATABASE_URL={URL} bundle exec rake db:migrate VERSION=0"),
            "rake",
            "destroy",
        ),
        (
            format!("DATABASE_URL={URL} python manage.py migrate billing zero"),
            "manage.py",
            "destroy",
        ),
        (
            format!("DATABASE_URL={URL} python manage.py migrate billing 0003"),
            "manage.py",
            "write",
        ),
        (
            format!("migrate -database {URL} -path db/migrations down -all"),
            "migrate",
            "destroy",
        ),
        (
            format!("goose postgres {URL} down-to 0"),
            "goose",
            "destroy",
        ),
        (format!("goose postgres {URL} down"), "goose", "write"),
        (
            format!("DATABASE_URL={URL} mix ecto.rollback --all"),
            "mix",
            "destroy",
        ),
        (
            format!("DATABASE_URL={URL} diesel migration revert --all"),
            "diesel",
            "destroy",
        ),
        (
            format!("DATABASE_URL={URL} npx mikro-orm migration:down --to 0"),
            "mikro-orm",
            "destroy",
        ),
    ] {
        check(&command, json!([data(client, host, class)]));
    }
}

fn after(written: &[WrittenFile], cwd: &str, command: &str) -> Value {
    let ctx = ShellContext {
        cwd,
        written,
        ..CTX
    };
    analyze(command, &ctx)
        .map(|a| serde_json::to_value(&a.effects).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{command}: {e}"))
}

const DATABASE_YML: &str = "default: &default\n  adapter: postgresql\n  pool: <%= ENV.fetch(\"RAILS_MAX_THREADS\") { 5 } %>\n\ndevelopment:\n  <<: *default\n  host: localhost\n  database: shop_dev\n\nstaging:\n  <<: *default\n  host: <%= ENV[\"STAGING_DB_HOST\"] %>\n\nproduction:\n  <<: *default\n  host: pg.prod.acme.internal # primary\n  database: shop\n  password: <%= ENV[\"PROD_PG_PASSWORD\"] %>\n";

#[test]
fn rails_reads_the_block_of_its_environment_in_database_yml() {
    let app = at("apps/shop");
    let written = [text_file(
        &at("apps/shop/config/database.yml"),
        DATABASE_YML,
    )];
    let production = data_login(
        "rake",
        "pg.prod.acme.internal",
        "destroy",
        &[],
        &["PROD_PG_PASSWORD"],
    );
    assert_eq!(
        after(
            &written,
            W,
            "cd apps/shop && RAILS_ENV=production bundle exec rake db:reset"
        ),
        json!([production, environment("rake", "production")])
    );
    // From a directory inside the app, and with the environment as an argument.
    assert_eq!(
        after(
            &written,
            &format!("{app}/db"),
            "bin/rails db:drop RAILS_ENV=production"
        )[0]["host"],
        json!("pg.prod.acme.internal")
    );
    // The default environment is development.
    assert_eq!(
        after(&written, &app, "bin/rails db:reset"),
        json!([data("rails", "localhost", "destroy")])
    );
    // A host the line's environment does not give is unknown.
    assert_eq!(
        after(&written, &app, "RAILS_ENV=staging bin/rails db:migrate"),
        json!([environment("rails", "staging")])
    );
    assert_eq!(
        after(
            &written,
            &app,
            "RAILS_ENV=staging STAGING_DB_HOST=pg.stage.acme.internal bin/rails db:migrate"
        ),
        json!([
            data("rails", "pg.stage.acme.internal", "write"),
            environment("rails", "staging")
        ])
    );
    // The line's own connection wins; a read or a dry run reports nothing.
    assert_eq!(
        after(
            &written,
            &app,
            "RAILS_ENV=production DATABASE_URL=postgres://u@db.example.net/x bin/rails db:migrate"
        )[0]["host"],
        json!("db.example.net")
    );
    assert_eq!(
        after(
            &written,
            &app,
            "RAILS_ENV=production bin/rails db:migrate:status"
        ),
        json!([])
    );
    // A multi-database block: its primary.
    let multi = [text_file(
        &at("config/database.yml"),
        "production:\n  primary:\n    adapter: postgresql\n    url: postgres://app:s3cret@pg.prod.acme.internal/app\n  cache:\n    host: cache.prod.acme.internal\n",
    )];
    assert_eq!(
        after(&multi, W, "RAILS_ENV=production rails db:migrate"),
        json!([
            data_login(
                "rails",
                "pg.prod.acme.internal",
                "write",
                &["app:s3cret"],
                &[]
            ),
            environment("rails", "production")
        ])
    );
}

#[test]
fn node_runners_read_their_config_for_the_environment() {
    let knexfile = text_file(
        &at("knexfile.js"),
        "module.exports = {\n  test: { client: 'pg', connection: { host: '127.0.0.1', database: 'x_test' } },\n  production: {\n    client: 'pg',\n    connection: { host: 'pg.prod.acme.internal', password: process.env.PROD_PG_PASSWORD },\n  },\n};\n",
    );
    let knex = [knexfile];
    assert_eq!(
        after(&knex, W, "NODE_ENV=production npx knex migrate:latest"),
        json!([
            data_login(
                "knex",
                "pg.prod.acme.internal",
                "write",
                &[],
                &["PROD_PG_PASSWORD"]
            ),
            environment("knex", "production")
        ])
    );
    assert_eq!(
        after(
            &knex,
            W,
            "npx knex migrate:rollback --all --knexfile knexfile.js --env test"
        ),
        json!([
            data("knex", "127.0.0.1", "destroy"),
            environment("knex", "test")
        ])
    );
    let sequelize = [text_file(
        &at("config/config.json"),
        r#"{"development": {"host": "127.0.0.1", "dialect": "postgres"}, "production": {"use_env_variable": "DATABASE_URL"}, "staging": {"host": "pg.stage.acme.internal", "password": "pw1"}}"#,
    )];
    assert_eq!(
        after(
            &sequelize,
            W,
            "npx sequelize-cli db:migrate:undo:all --env staging"
        ),
        json!([
            data_login(
                "sequelize",
                "pg.stage.acme.internal",
                "destroy",
                &["pw1"],
                &[]
            ),
            environment("sequelize", "staging")
        ])
    );
    // `use_env_variable` names a variable the line does not set.
    assert_eq!(
        after(
            &sequelize,
            W,
            "NODE_ENV=production npx sequelize-cli db:migrate"
        ),
        json!([environment("sequelize", "production")])
    );
}

#[test]
fn tools_read_their_own_settings_files() {
    let env_file = text_file(
        &at(".env"),
        "# local\nDATABASE_URL=\"postgresql://app:${PROD_PG_PASSWORD}@pg.example.net:5432/app\"\n",
    );
    let prisma_login = |client: &str| {
        data_login(
            client,
            "pg.example.net",
            "write",
            &["app:${PROD_PG_PASSWORD}"],
            &["PROD_PG_PASSWORD"],
        )
    };
    // Prisma: the schema's `env("...")`, from `.env`.
    let schema = text_file(
        &at("prisma/schema.prisma"),
        "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n",
    );
    assert_eq!(
        after(&[env_file.clone(), schema], W, "npx prisma migrate deploy"),
        json!([prisma_login("prisma")])
    );
    assert_eq!(
        after(
            std::slice::from_ref(&env_file),
            W,
            "npx prisma migrate deploy"
        ),
        json!([prisma_login("prisma")])
    );
    assert_eq!(
        after(std::slice::from_ref(&env_file), W, "dbmate up"),
        json!([prisma_login("dbmate")])
    );
    // Laravel's `.env`: its host and password variable.
    let laravel = text_file(
        &at(".env"),
        "APP_ENV=production\nDB_CONNECTION=mysql\nDB_HOST=mysql.prod.acme.internal\nDB_PASSWORD=${PROD_DB_PASSWORD}\n",
    );
    assert_eq!(
        after(&[laravel], W, "php artisan migrate:fresh --force"),
        json!([data_login(
            "artisan",
            "mysql.prod.acme.internal",
            "destroy",
            &["${PROD_DB_PASSWORD}"],
            &["PROD_DB_PASSWORD"]
        )])
    );
    let alembic = text_file(
        &at("alembic.ini"),
        "[alembic]\nscript_location = migrations\nsqlalchemy.url = postgresql://a:p%%40ss@pg.prod.acme.internal/app\n\n[loggers]\nkeys = root\n",
    );
    assert_eq!(
        after(&[alembic], W, "alembic downgrade base"),
        json!([data_login(
            "alembic",
            "pg.prod.acme.internal",
            "destroy",
            &["a:p%40ss"],
            &[]
        )])
    );
    let flyway = text_file(
        &at("conf/flyway.conf"),
        "flyway.url=jdbc:postgresql://pg.prod.acme.internal:5432/app\nflyway.user=app\nflyway.password=${env.PROD_PG_PASSWORD}\n",
    );
    assert_eq!(
        after(&[flyway], W, "flyway clean"),
        json!([data_login(
            "flyway",
            "pg.prod.acme.internal",
            "destroy",
            &[],
            &["PROD_PG_PASSWORD"]
        )])
    );
    let liquibase = text_file(
        &at("liquibase.properties"),
        "changeLogFile: changelog.xml\nurl: jdbc:mysql://mysql.prod.acme.internal:3306/app\nusername: app\n",
    );
    assert_eq!(
        after(&[liquibase], W, "liquibase update"),
        json!([data("liquibase", "mysql.prod.acme.internal", "write")])
    );
}
