//! Access grants, public exposure and destruction by cloud and application
//! CLIs: application admin CLIs (Keycloak, WordPress, Drupal, Nextcloud),
//! Key Vault access policies, AWS resource policies and IAM policy
//! versions, GCS ACL updates, glab's project changes and pipeline
//! variables, moves between buckets, and the deletes of s5cmd and rclone.
//! Each case is a command line and every effect `analyze` must report for
//! it. Run in `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

fn grant(resource: &str, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": resource}, "grantee": grantee})
}

fn grant_bucket(scheme: &str, name: &str, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": bucket(scheme, name), "grantee": grantee})
}

fn repo(host: &str, slug: Option<&str>) -> Value {
    json!({"kind": "repo", "host": host, "slug": slug})
}

fn other(name: &str) -> Value {
    json!({"kind": "other", "name": name})
}

fn post(url: &str, payload: Value) -> Value {
    url_request("glab", url, "POST", payload)
}

#[test]
fn keycloak_role_and_group_changes() {
    run_table(&[
        // The user name is a grantee, not a file read.
        (
            "kcadm.sh add-roles -r clinical --uusername jl.contractor --rolename ehr-prod-admin",
            json!([grant(
                "keycloak realm clinical role ehr-prod-admin",
                Some("user jl.contractor")
            )]),
        ),
        (
            "/opt/keycloak/bin/kcadm.sh remove-roles -r demo --gname Ops --cclientid realm-management --rolename view-users --rolename manage-users",
            json!([grant(
                "keycloak realm demo client realm-management role view-users, manage-users",
                Some("group Ops")
            )]),
        ),
        (
            "kcadm.sh add-roles -r demo --rname composite-admin --rolename user",
            json!([grant(
                "keycloak realm demo role user",
                Some("role composite-admin")
            )]),
        ),
        (
            "kcadm.sh create users/6e1c/role-mappings/realm -r demo -b '[{\"name\":\"admin\"}]'",
            json!([grant(
                "keycloak realm demo role mappings realm",
                Some("user 6e1c")
            )]),
        ),
        (
            "kcadm.sh update users/6e1c/groups/a7f0 -r demo -s realm=demo -n",
            json!([grant("keycloak realm demo group a7f0", Some("user 6e1c"))]),
        ),
        (
            "kcadm.sh create realms/demo/groups/a7f0/role-mappings/clients/c1 -b '[]'",
            json!([grant(
                "keycloak realm demo role mappings clients/c1",
                Some("group a7f0")
            )]),
        ),
        (
            "kcadm.sh create users -r demo -s username=temp.vendor -s enabled=true",
            json!([grant("keycloak realm demo account", Some("temp.vendor"))]),
        ),
        // Reads and other changes are no access change; endpoints are no
        // files, and only a body file is read.
        ("kcadm.sh get-roles -r demo --uusername alice", json!([])),
        (
            "kcadm.sh update clients/c1 -r demo -s enabled=false",
            json!([]),
        ),
        (
            "kcadm.sh create realms -f realm.json",
            json!([read(&at("realm.json"))]),
        ),
    ]);
}

#[test]
fn wordpress_roles_capabilities_and_accounts() {
    run_table(&[
        (
            "wp user set-role jonah.reyes editor",
            json!([grant("wordpress role editor", Some("jonah.reyes"))]),
        ),
        (
            "wp user add-role 12 author contributor --url=news.example",
            json!([grant("wordpress role author, contributor", Some("12"))]),
        ),
        (
            "wp user remove-role jonah.reyes",
            json!([grant(
                "wordpress role (the default role)",
                Some("jonah.reyes")
            )]),
        ),
        (
            "wp user create contractor contractor@example.org --role=administrator",
            json!([grant(
                "wordpress role administrator",
                Some("contractor@example.org")
            )]),
        ),
        (
            "wp user update 7 8 --role=shop_manager",
            json!([grant("wordpress role shop_manager", Some("7, 8"))]),
        ),
        (
            "wp super-admin add mara",
            json!([grant("wordpress network (super admin)", Some("mara"))]),
        ),
        (
            "wp user add-cap jonah.reyes unfiltered_html",
            json!([grant(
                "wordpress capability unfiltered_html",
                Some("jonah.reyes")
            )]),
        ),
        (
            "wp cap add author publish_pages edit_others_posts",
            json!([grant(
                "wordpress capability publish_pages, edit_others_posts",
                Some("role author")
            )]),
        ),
        (
            "wp user import-csv users.csv",
            json!([
                grant("wordpress accounts", Some("the users listed in users.csv")),
                read(&at("users.csv"))
            ]),
        ),
        // A display name change is no access change.
        ("wp user update 7 --display_name=Jonah", json!([])),
    ]);
}

#[test]
fn drupal_and_nextcloud_roles_and_groups() {
    run_table(&[
        (
            "drush @prod urol administrator bob",
            json!([grant("drupal role administrator", Some("bob"))]),
        ),
        (
            "drush user:role:remove editor --mail=ann@example.org",
            json!([grant("drupal role editor", Some("ann@example.org"))]),
        ),
        (
            "drush role:perm:add anonymous 'access content overview'",
            json!([grant(
                "drupal permissions access content overview",
                Some("role anonymous")
            )]),
        ),
        (
            "occ group:adduser admin vendor.ops",
            json!([grant("nextcloud group admin", Some("vendor.ops"))]),
        ),
        (
            "occ user:add --group=admin --display-name=Ops opsbot",
            json!([grant("nextcloud group admin", Some("opsbot"))]),
        ),
    ]);
}

#[test]
fn azure_key_vault_and_data_plane_role_assignments() {
    run_table(&[
        (
            "az keyvault set-policy --name mhs-ehr-kv --upn jl@contractor-dev.io --secret-permissions get list",
            json!([grant("key vault mhs-ehr-kv", Some("jl@contractor-dev.io"))]),
        ),
        (
            "az keyvault delete-policy -n kv1 --spn 0f1e2d3c",
            json!([grant("key vault kv1", Some("0f1e2d3c"))]),
        ),
        (
            "az keyvault role assignment create --hsm-name hsm1 --assignee bob@acme.io --role 'Managed HSM Crypto User' --scope /keys",
            json!([grant("azure keyvault hsm1", Some("bob@acme.io"))]),
        ),
        (
            "az cosmosdb sql role assignment create --account-name db1 -g rg --principal-id 42 --role-definition-id 0002 --scope /",
            json!([grant("azure cosmosdb db1", Some("42"))]),
        ),
        ("az keyvault secret list --vault-name kv1", json!([])),
    ]);
}

#[test]
fn aws_resource_policies_and_policy_versions() {
    run_table(&[
        (
            "aws lakeformation grant-permissions --principal DataLakePrincipalIdentifier=arn:aws:iam::9999:role/analyst --permissions SELECT --resource '{\"Table\":{\"Name\":\"t\"}}'",
            json!([grant(
                "lakeformation {\"Table\":{\"Name\":\"t\"}}",
                Some("arn:aws:iam::9999:role/analyst")
            )]),
        ),
        (
            "aws lakeformation batch-revoke-permissions --catalog-id 1111 --entries file://entries.json",
            json!([read(&at("entries.json")), grant("lakeformation 1111", None)]),
        ),
        (
            "aws kms create-grant --key-id k1 --grantee-principal arn:aws:iam::2222:role/x --operations Decrypt",
            json!([grant("kms k1", Some("arn:aws:iam::2222:role/x"))]),
        ),
        // A policy naming everyone, without a condition, opens the resource.
        (
            "aws secretsmanager put-resource-policy --secret-id s1 --resource-policy '{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"secretsmanager:GetSecretValue\"}]}'",
            json!([make_public(other("secretsmanager s1"))]),
        ),
        (
            "aws ecr set-repository-policy --repository-name app --policy-text '{\"Statement\":[{\"Principal\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-1\"}}}]}'",
            json!([grant("ecr app", None)]),
        ),
        (
            "aws iam create-policy-version --policy-arn arn:aws:iam::1111:policy/ReadOnly --policy-document file://admin.json --set-as-default",
            json!([
                read(&at("admin.json")),
                grant("arn:aws:iam::1111:policy/ReadOnly", None)
            ]),
        ),
        (
            "aws iam set-default-policy-version --policy-arn arn:aws:iam::1111:policy/ReadOnly --version-id v3",
            json!([grant("arn:aws:iam::1111:policy/ReadOnly", None)]),
        ),
        // A version that is not the default changes nothing yet.
        (
            "aws iam create-policy-version --policy-arn arn:aws:iam::1111:policy/ReadOnly --policy-document file://admin.json",
            json!([read(&at("admin.json"))]),
        ),
        ("aws lakeformation list-permissions", json!([])),
    ]);
}

#[test]
fn gcloud_storage_acl_updates() {
    run_table(&[
        (
            "gcloud storage objects update gs://b/summary.csv --predefined-acl=publicRead",
            json!([make_public(bucket("gs", "b"))]),
        ),
        (
            "gcloud storage buckets update gs://b --predefined-default-object-acl authenticatedRead",
            json!([make_public(bucket("gs", "b"))]),
        ),
        (
            "gcloud storage objects update gs://b/x --add-acl-grant=entity=allUsers,role=READER",
            json!([make_public(bucket("gs", "b"))]),
        ),
        (
            "gcloud storage objects update gs://b/x --add-acl-grant=entity=AllUsers,role=READER",
            json!([make_public(bucket("gs", "b"))]),
        ),
        (
            "gcloud storage buckets update gs://b --add-acl-grant=entity=user-ann@partner.io,role=READER",
            json!([grant_bucket("gs", "b", Some("user-ann@partner.io"))]),
        ),
        (
            "gcloud storage objects update gs://b/x --predefined-acl=private",
            json!([grant_bucket("gs", "b", None)]),
        ),
        (
            "gcloud storage objects update gs://b/x --content-type=text/csv",
            json!([]),
        ),
    ]);
}

#[test]
fn glab_project_visibility_members_and_keys() {
    run_table(&[
        (
            "glab repo edit integrations/ehr-bridge --visibility public",
            json!([make_public(repo(
                "gitlab.com",
                Some("integrations/ehr-bridge")
            ))]),
        ),
        (
            "GITLAB_HOST=gitlab.acme.io glab repo update --visibility=public",
            json!([make_public(repo("gitlab.acme.io", None))]),
        ),
        ("glab repo update g/web --description 'New text'", json!([])),
        (
            "glab repo members add --username=john.doe --role=maintainer -R g/web",
            json!([{"effect": "grant_access", "resource": repo("gitlab.com", Some("g/web")), "grantee": "john.doe as maintainer"}]),
        ),
        (
            "glab repo transfer g/web --target-namespace someone",
            json!([
                {"effect": "grant_access", "resource": repo("gitlab.com", Some("g/web")), "grantee": "namespace someone"},
                // The project's contents move to the namespace.
                {"effect": "git_push", "repo_dir": "", "remote": "https://gitlab.com/someone/web.git",
                 "refspecs": [], "force": false, "all_refs": false, "tags": true,
                 "cloned_from": "https://gitlab.com/g/web"}
            ]),
        ),
        (
            "glab deploy-key add key.pub -t ci --can-push -R g/web",
            json!([{"effect": "grant_access", "resource": repo("gitlab.com", Some("g/web")), "grantee": "push deploy key ci"}]),
        ),
    ]);
}

#[test]
fn glab_pipeline_variables_are_sent_to_the_project() {
    run_table(&[
        (
            "glab ci run -b main -R gitlab.com/tkoenig/firmware-ci --variables \"GH_TOKEN:$GH_TOKEN\" --variables RUN_HIL:true",
            json!([post(
                "https://gitlab.com/api/v4/projects/tkoenig%2Ffirmware-ci/pipeline",
                payload(&["GH_TOKEN:$GH_TOKEN", "RUN_HIL:true"], &[], &["GH_TOKEN"])
            )]),
        ),
        (
            "glab ci run --variables-env DEPLOY:$DEPLOY_KEY --variables-file CONFIG:.env -f vars.json -R g/x",
            json!([post(
                "https://gitlab.com/api/v4/projects/g%2Fx/pipeline",
                payload(
                    &["DEPLOY:$DEPLOY_KEY"],
                    &[(&at(".env"), false), (&at("vars.json"), false)],
                    &["DEPLOY_KEY"]
                )
            )]),
        ),
        (
            "glab ci run-trig -t $TRIGGER -R g/x",
            json!([post(
                "https://gitlab.com/api/v4/projects/g%2Fx/trigger/pipeline",
                payload(&["$TRIGGER"], &[], &["TRIGGER"])
            )]),
        ),
        (
            "glab schedule create --cron '0 * * * *' --ref main --variable TOKEN:$API_TOKEN -R g/x",
            json!([post(
                "https://gitlab.com/api/v4/projects/g%2Fx/pipeline_schedules",
                payload(&["TOKEN:$API_TOKEN"], &[], &["API_TOKEN"])
            )]),
        ),
        // No project named: the working directory's.
        (
            "glab ci run -b main",
            json!([origin_request("glab", "POST", empty())]),
        ),
    ]);
}

#[test]
fn moves_between_buckets_destroy_nothing() {
    run_table(&[
        (
            "aws s3 mv s3://b/incoming/ s3://b/2026/ --recursive",
            json!([url_request(
                "aws",
                "s3://b/2026/",
                "UPLOAD",
                payload(&["s3://b/incoming/"], &[], &[])
            )]),
        ),
        // Out of the bucket to this machine, the objects leave the bucket.
        (
            "aws s3 mv s3://b/logs/ ./logs --recursive",
            json!([
                url_request("aws", "s3://b/logs/", "DOWNLOAD", empty()),
                remote_delete("s3://b/logs/", true),
                write(&at("logs"))
            ]),
        ),
        (
            "gsutil mv -r gs://b/a gs://c/a",
            json!([url_request(
                "gsutil",
                "gs://c/a",
                "UPLOAD",
                payload(&["gs://b/a"], &[], &[])
            )]),
        ),
        (
            "gcloud storage mv --recursive gs://b/a gs://b/z",
            json!([url_request(
                "gcloud",
                "gs://b/z",
                "UPLOAD",
                payload(&["gs://b/a"], &[], &[])
            )]),
        ),
        (
            "gsutil mv -r gs://b/a ./a",
            json!([
                url_request("gsutil", "gs://b/a", "DOWNLOAD", empty()),
                write(&at("a")),
                remote_delete("gs://b/a", true)
            ]),
        ),
    ]);
}

#[test]
fn s5cmd_copies_and_deletes() {
    run_table(&[
        (
            "s5cmd rm 's3://backups/*'",
            json!([remote_delete("s3://backups/*", true)]),
        ),
        (
            "s5cmd --numworkers 64 rm 's3://backups/logs/2020*' s3://backups/one.txt",
            json!([
                remote_delete("s3://backups/logs/2020*", true),
                remote_delete("s3://backups/one.txt", false)
            ]),
        ),
        (
            "s5cmd rb s3://backups",
            json!([remote_delete("s3://backups", true)]),
        ),
        (
            "s5cmd cp --acl public-read dist/ s3://site/",
            json!([
                public_request(
                    "s5cmd",
                    "s3://site/",
                    "UPLOAD",
                    payload(&[], &[(&at("dist"), true)], &[])
                ),
                make_public(bucket("s3", "site"))
            ]),
        ),
        (
            "s5cmd mv 's3://b/in/*' s3://b/out/",
            json!([url_request(
                "s5cmd",
                "s3://b/out/",
                "UPLOAD",
                payload(&["s3://b/in/*"], &[], &[])
            )]),
        ),
        ("s5cmd --dry-run rm 's3://backups/*'", json!([])),
        (
            "s5cmd --endpoint-url http://localhost:9000 rm 's3://backups/*'",
            json!([]),
        ),
        ("s5cmd ls 's3://backups/*'", json!([])),
    ]);
}

#[test]
fn minio_client_paths_are_buckets() {
    run_table(&[
        (
            "mc cp exports/q1.csv s3/b/q1.csv",
            json!([url_request(
                "mc",
                "s3://b/q1.csv",
                "UPLOAD",
                payload(&[], &[(&at("exports/q1.csv"), false)], &[])
            )]),
        ),
        // An alias the line sets is a server; a mirror copies the tree.
        (
            "mc alias set lake https://minio.example.net K S && mc mirror exports lake/b",
            json!([url_request(
                "mc",
                "s3://b",
                "UPLOAD",
                payload(&[], &[(&at("exports"), true)], &[])
            )]),
        ),
        // A remote source copied to a non-alias path is a download.
        (
            "mc cp s3/b/a.txt a.txt",
            json!([
                url_request("mc", "s3://b/a.txt", "DOWNLOAD", empty()),
                write(&at("a.txt"))
            ]),
        ),
        (
            "mc rm --recursive --force s3/b/logs",
            json!([remote_delete("s3://b/logs", true)]),
        ),
        ("mc rb lake/b", json!([remote_delete("s3://b", true)])),
        (
            "mc anonymous set download lake/b/previews/",
            json!([make_public(bucket("s3", "b"))]),
        ),
        ("mc anonymous set none lake/b", json!([])),
        ("mc ls s3/b", json!([])),
    ]);
}

#[test]
fn rclone_deletes_and_bucket_remotes() {
    run_table(&[
        (
            "rclone purge s3:mhs-backups/ehr-db",
            json!([remote_delete("s3://mhs-backups/ehr-db", true)]),
        ),
        (
            "rclone delete :s3,provider=AWS:b/logs",
            json!([remote_delete("s3://b/logs", true)]),
        ),
        (
            "RCLONE_CONFIG_VAULT_TYPE=s3 rclone delete vault:b/tmp --include '*.tmp'",
            json!([remote_delete("s3://b/tmp", false)]),
        ),
        (
            "rclone deletefile gcs-prod:b/one.txt",
            json!([remote_delete("gs://b/one.txt", false)]),
        ),
        // A remote of unknown type is a host nobody has vouched for.
        (
            "rclone purge nas:backups/x",
            json!([{"effect": "remote_delete", "target": rclone_remote("nas", Some("backups/x")), "recursive": true}]),
        ),
        (
            "rclone copy dist/ s3:artifacts/releases/",
            json!([url_request(
                "rclone",
                "s3://artifacts/releases/",
                "UPLOAD",
                payload(&[], &[(&at("dist"), true)], &[])
            )]),
        ),
        (
            "rclone purge ./scratch",
            json!([delete(&at("scratch"), true)]),
        ),
    ]);
}
