//! Store and web-application administration: platform CLIs that act at the
//! tenant the line names (a Shopify store by `--store`, `-s` or
//! `SHOPIFY_FLAG_STORE`; an Auth0 tenant; a Doppler API host; an Okta org)
//! rather than at their vendor's fixed host, and PHP applications' admin
//! CLIs (Magento's `bin/magento`, Laravel panels' `artisan`, and the
//! WordPress, Drupal and Nextcloud ones) run directly, as scripts of
//! `php`, or on another host over ssh, whose new admin accounts are grants
//! of access.

#![allow(clippy::panic)]

use serde_json::{Value, json};
use writ_shell::analyze;

use crate::common;
use common::{CTX, access_table, grant_named, no_access_changes};

/// The `(url, method)` of every request `command` makes.
fn requests(command: &str) -> Vec<(String, String)> {
    let analysis = analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    let effects = serde_json::to_value(&analysis.effects).unwrap_or_default();
    effects
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e.get("effect").and_then(Value::as_str) == Some("request"))
        .map(|e| {
            let url = e["target"]["url"].as_str().unwrap_or_default().to_owned();
            let method = e["method"].as_str().unwrap_or_default().to_owned();
            (url, method)
        })
        .collect()
}

/// Each command makes exactly the one request given beside it.
fn request_table(cases: &[(&str, &str, &str)]) {
    for (command, url, method) in cases {
        assert_eq!(
            requests(command),
            vec![((*url).to_owned(), (*method).to_owned())],
            "requests of: {command}"
        );
    }
}

/// Commands that make no request.
fn no_requests(commands: &[&str]) {
    for command in commands {
        assert_eq!(requests(command), vec![], "requests of: {command}");
    }
}

#[test]
fn shopify_commands_act_at_the_store_they_name() {
    const STORE: &str = "https://quillmoor.myshopify.com/";
    request_table(&[
        (
            "shopify theme push --unpublished --theme 'Holiday preview' --store quillmoor.myshopify.com --json",
            STORE,
            "POST",
        ),
        // A bare handle is a myshopify.com store; a URL and `/admin` too.
        ("shopify theme push -s quillmoor", STORE, "POST"),
        ("shopify theme push -squillmoor --allow-live", STORE, "POST"),
        ("shopify theme push --store=quillmoor", STORE, "POST"),
        (
            "shopify theme push --store https://Quillmoor.myshopify.com/admin",
            STORE,
            "POST",
        ),
        (
            "SHOPIFY_FLAG_STORE=quillmoor shopify theme push --theme 42",
            STORE,
            "POST",
        ),
        (
            "export SHOPIFY_FLAG_STORE=quillmoor.myshopify.com; shopify theme push",
            STORE,
            "POST",
        ),
        // The option wins over the variable.
        (
            "SHOPIFY_FLAG_STORE=other shopify theme push --store quillmoor",
            STORE,
            "POST",
        ),
        (
            "shopify theme publish --theme 42 --store quillmoor -f",
            STORE,
            "POST",
        ),
        ("shopify theme share --store quillmoor", STORE, "POST"),
        ("shopify theme duplicate -s quillmoor -t 42", STORE, "POST"),
        (
            "shopify theme rename --store quillmoor -t 42 --name Old",
            STORE,
            "POST",
        ),
        (
            "shopify theme delete -t 42 -s quillmoor -f",
            STORE,
            "DELETE",
        ),
        (
            "shopify app execute --store quillmoor --query 'mutation { tagsAdd(id: \"x\", tags: [\"a\"]) { node { id } } }'",
            STORE,
            "POST",
        ),
        (
            "shopify store execute --store quillmoor --allow-mutations --query-file m.graphql",
            STORE,
            "POST",
        ),
        // Another store is that store: a custom domain is not a store's
        // domain to the CLI, which puts it under myshopify.com.
        (
            "shopify theme push --store kestrel-dev",
            "https://kestrel-dev.myshopify.com/",
            "POST",
        ),
        (
            "shopify theme push --store quillmoor.com",
            "https://quillmoor.com.myshopify.com/",
            "POST",
        ),
        // No store named (or one writ cannot read): Shopify itself.
        ("shopify theme push", "https://shopify.com/", "POST"),
        (
            "shopify theme push --store \"$STORE\"",
            "https://shopify.com/",
            "POST",
        ),
        (
            "shopify app release --version v3",
            "https://shopify.com/",
            "POST",
        ),
    ]);
    no_requests(&[
        "shopify theme pull --store quillmoor",
        "shopify theme list -s quillmoor",
        "shopify theme info --store quillmoor",
        "shopify theme open -s quillmoor",
        "shopify app execute --store quillmoor --query '{ shop { name } }'",
        "shopify store execute --store quillmoor --query 'query { shop { name } }'",
    ]);
}

#[test]
fn tenant_options_move_other_platform_clis() {
    request_table(&[
        (
            "auth0 users create --tenant acme.eu.auth0.com --name Sam",
            "https://acme.eu.auth0.com/",
            "POST",
        ),
        (
            "auth0 apps delete app_1 --tenant=login.acme.com",
            "https://login.acme.com/",
            "DELETE",
        ),
        (
            "auth0 users create --name Sam",
            "https://auth0.com/",
            "POST",
        ),
        (
            "doppler secrets set K=V --api-host https://doppler.acme.internal:8443/v3",
            "https://doppler.acme.internal:8443/",
            "POST",
        ),
        (
            "DOPPLER_API_HOST=http://doppler.acme.internal doppler secrets set K=V",
            "http://doppler.acme.internal/",
            "POST",
        ),
        (
            "OKTA_CLIENT_ORGURL=https://acme.okta.com okta apps create web",
            "https://acme.okta.com/",
            "POST",
        ),
        // A value that is not a host leaves the vendor's.
        (
            "auth0 users create --tenant staging",
            "https://auth0.com/",
            "POST",
        ),
    ]);
    no_requests(&["auth0 users list --tenant acme.eu.auth0.com"]);
}

#[test]
fn magento_admin_accounts_are_grants() {
    let admin = |grantee: &str| json!([grant_named("magento admin", Some(grantee))]);
    access_table(&[
        (
            "php bin/magento admin:user:create --admin-user=sam --admin-email=sam@q.com --admin-firstname=Sam --admin-lastname=O --admin-password=\"$(openssl rand -base64 18)\"",
            admin("sam@q.com"),
        ),
        (
            "bin/magento admin:user:create --admin-user sam --admin-password x",
            admin("sam"),
        ),
        (
            "./bin/magento admin:user:create --admin-user=sam --admin-email=sam@q.com",
            admin("sam@q.com"),
        ),
        (
            "php -d memory_limit=-1 bin/magento admin:user:create --admin-user=sam",
            admin("sam"),
        ),
        (
            "php8.2 -dmemory_limit=2G -f bin/magento -- admin:user:unlock sam",
            admin("sam"),
        ),
        ("magento admin:user:unlock sam", admin("sam")),
        // On the server, over ssh, from its release directory.
        (
            "ssh deploy@web-1.q.internal 'cd /var/www/magento/current && php bin/magento admin:user:create --admin-user=sam --admin-email=sam@q.com --admin-password=\"$(openssl rand -base64 18)\"'",
            admin("sam@q.com"),
        ),
        (
            "sudo -u www-data php /var/www/m2/bin/magento admin:user:create --admin-user=sam",
            admin("sam"),
        ),
        (
            "bin/magento security:tfa:google:set-secret sam ABCDEF",
            json!([grant_named("magento admin two-factor google", Some("sam"))]),
        ),
        (
            "bin/magento security:tfa:reset sam google",
            json!([grant_named("magento admin two-factor google", Some("sam"))]),
        ),
    ]);
    no_access_changes(&[
        "bin/magento cache:flush",
        "php bin/magento cache:flush",
        "php bin/magento setup:upgrade --keep-generated",
        "php bin/magento config:set web/secure/base_url https://q.com/",
        "bin/magento customer:hash:upgrade",
        "bin/magento admin:user:list",
        "ssh deploy@web-1.q.internal 'cd /var/www/magento/current && php bin/magento indexer:reindex'",
        // A script of another name is not Magento's CLI.
        "php bin/console admin:user:create --admin-user=sam",
        // Code php runs itself is not a script.
        "php -r 'echo 1;' bin/magento admin:user:create --admin-user=sam",
    ]);
}

#[test]
fn php_admin_scripts_reach_their_handlers() {
    access_table(&[
        (
            "sudo -u www-data php occ user:add --group=admin bob",
            json!([grant_named("nextcloud group admin", Some("bob"))]),
        ),
        (
            "php wp-cli.phar user create sam sam@q.com --role=administrator",
            json!([grant_named(
                "wordpress role administrator",
                Some("sam@q.com")
            )]),
        ),
        (
            "php vendor/bin/drush user:role:add administrator sam",
            json!([grant_named("drupal role administrator", Some("sam"))]),
        ),
        (
            "php artisan make:filament-user --name=Sam --email=sam@q.com --password=x",
            json!([grant_named("filament panel", Some("sam@q.com"))]),
        ),
        (
            "./artisan make:filament-user --panel=admin --name=Sam",
            json!([grant_named("filament panel admin", Some("Sam"))]),
        ),
        (
            "php artisan nova:user",
            json!([grant_named("nova admin", None)]),
        ),
    ]);
    no_access_changes(&[
        "php occ files:scan --all",
        "php artisan migrate --force",
        "php artisan make:model User",
        "php artisan cache:clear",
    ]);
}

#[test]
fn a_php_admin_script_is_still_read() {
    let analysis =
        analyze("php bin/magento admin:user:unlock sam", &CTX).unwrap_or_else(|e| panic!("{e}"));
    let effects = serde_json::to_value(&analysis.effects).unwrap_or_default();
    assert_eq!(
        effects,
        json!([
            common::read(&common::at("bin/magento")),
            grant_named("magento admin", Some("sam"))
        ])
    );
}
