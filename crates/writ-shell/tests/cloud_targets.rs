//! Cloud CLIs: the environment a change is made in (a project, profile,
//! subscription, namespace, datacenter, context or app, reported as
//! `deploy` effects to the name and each of its words), changes by an
//! infrastructure provider's own CLI (not requests to a third party), and
//! network and IAM changes that make a resource public. Run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use serde_json::{Value, json};
use writ_shell::analyze;

use crate::common;
use common::*;

/// A `deploy` effect to `environment`.
fn deploy(program: &str, environment: &str, service: Option<&str>) -> Value {
    json!({"effect": "deploy", "program": program, "environment": environment, "service": service, "production": false})
}

/// The `deploy` effects of a change made in `selector`: to the name and to
/// each of its words.
fn deploys(program: &str, names: &[&str], service: Option<&str>) -> Vec<Value> {
    names
        .iter()
        .map(|name| deploy(program, name, service))
        .collect()
}

fn other(name: &str) -> Value {
    json!({"kind": "other", "name": name})
}

fn grant(resource: Value, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": resource, "grantee": grantee})
}

/// The effects of `command` of the kinds this file is about (`deploy`,
/// `make_public`, `grant_access`, `request`, `kubectl`); reads of the files
/// a command names are other tests' business.
fn cloud_effects(command: &str) -> Value {
    let analysis = analyze(command, &CTX).unwrap_or_else(|e| panic!("{command}: {e}"));
    let effects = serde_json::to_value(&analysis.effects).unwrap_or_default();
    Value::Array(
        effects
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| {
                matches!(
                    e.get("effect").and_then(Value::as_str),
                    Some("deploy" | "make_public" | "grant_access" | "request" | "kubectl")
                )
            })
            .cloned()
            .collect(),
    )
}

fn table(cases: &[(&str, Vec<Value>)]) {
    for (command, expected) in cases {
        assert_eq!(
            cloud_effects(command),
            Value::Array(expected.clone()),
            "effects of: {command}"
        );
    }
}

#[test]
fn environment_selectors_of_changes() {
    table(&[
        // gcloud: `--project`, or the environment's CLOUDSDK_CORE_PROJECT.
        (
            "gcloud run deploy api --image europe-docker.pkg.dev/p/apps/api:1 --project halvard-prod --region europe-west1",
            deploys("gcloud", &["halvard-prod", "halvard", "prod"], None),
        ),
        (
            "gcloud compute instances delete vm-3 --zone europe-west1-b --project=prod --quiet",
            deploys("gcloud", &["prod"], None),
        ),
        (
            "CLOUDSDK_CORE_PROJECT=prod gcloud beta sql instances patch db --tier db-f1-micro",
            deploys("gcloud", &["prod"], None),
        ),
        // aws: `--profile`, before or after the command, or AWS_PROFILE.
        (
            "aws ec2 terminate-instances --instance-ids i-1 i-2 --profile prod --region us-east-1",
            deploys("aws", &["prod"], None),
        ),
        (
            "aws --profile production route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '{}'",
            deploys("aws", &["production"], None),
        ),
        (
            "export AWS_PROFILE=live; aws ecs update-service --cluster c --service s",
            // The cluster is an environment too (`orchestrators.rs`).
            [
                deploys("aws", &["c"], Some("s")),
                deploys("aws", &["live"], None),
            ]
            .concat(),
        ),
        // az: `--subscription`.
        (
            "az group delete --name rg-portal --subscription corp-prod --yes",
            deploys("az", &["corp-prod", "corp", "prod"], None),
        ),
        // nomad: `-namespace=N`, `-namespace N`, NOMAD_NAMESPACE.
        (
            "nomad job run -namespace=prod jobs/ledger.nomad.hcl",
            deploys("nomad", &["prod"], None),
        ),
        (
            "NOMAD_NAMESPACE=live nomad job stop -purge ledger",
            deploys("nomad", &["live"], None),
        ),
        // consul: `-datacenter`.
        (
            "consul kv delete -datacenter=prod -recurse ledger/config/",
            deploys("consul", &["prod"], None),
        ),
        (
            "consul kv put -datacenter dc-prod ledger/flag on",
            deploys("consul", &["dc-prod", "dc", "prod"], None),
        ),
        // doctl's global `--context`, before or after the subcommand.
        (
            "doctl --context prod compute droplet delete 384192117 --force",
            deploys("doctl", &["prod"], None),
        ),
        (
            "doctl compute droplet-action power-off 1 --context prod",
            deploys("doctl", &["prod"], None),
        ),
        // cdk: a stage context and the AWS profile.
        (
            "npx cdk deploy --all -c stage=prod --require-approval never",
            deploys("cdk", &["prod"], None),
        ),
        (
            "cdk destroy Api --context env=staging --profile ops",
            [
                deploys("cdk", &["staging"], None),
                deploys("cdk", &["ops"], None),
            ]
            .concat(),
        ),
        // Argo CD and Fly: the app is the target.
        (
            "argocd app sync ledger-prod --prune --timeout 300",
            deploys(
                "argocd",
                &["ledger-prod", "ledger", "prod"],
                Some("ledger-prod"),
            ),
        ),
        (
            "argocd app rollback web 3",
            deploys("argocd", &["web"], Some("web")),
        ),
        (
            "flyctl deploy --app ledger-prod --image registry.fly.io/ledger:1 --strategy rolling",
            deploys(
                "flyctl",
                &["ledger-prod", "ledger", "prod"],
                Some("ledger-prod"),
            ),
        ),
        (
            "fly scale count 3 -a web",
            deploys("fly", &["web"], Some("web")),
        ),
        (
            "fly apps destroy web --yes",
            deploys("fly", &["web"], Some("web")),
        ),
        // An IoT job releases to the thing groups it targets.
        (
            "aws iot create-job --job-id fw-2 --targets arn:aws:iot:eu-west-1:1:thinggroup/production --document-source https://x.example/j.json",
            deploys("aws", &["production"], Some("fw-2")),
        ),
    ]);
}

#[test]
fn reads_and_local_setup_change_no_environment() {
    table(&[
        ("gcloud compute instances list --project prod", vec![]),
        ("gcloud run services describe api --project prod", vec![]),
        ("gcloud config set project prod", vec![]),
        ("aws ec2 describe-instances --profile prod", vec![]),
        (
            "aws eks update-kubeconfig --name c --alias c --profile prod",
            vec![
                json!({"effect": "kubectl", "verb": "config", "args": ["use-context", "c"], "context": null, "namespace": null, "files": [], "dry_run": false, "all": false}),
            ],
        ),
        ("az vm list --subscription prod", vec![]),
        ("az account set --subscription prod", vec![]),
        ("nomad job status -namespace=prod ledger", vec![]),
        ("nomad job plan -namespace=prod ledger.hcl", vec![]),
        ("nomad job run -output -namespace=prod ledger.hcl", vec![]),
        ("consul kv get -datacenter=prod ledger/flag", vec![]),
        ("doctl compute droplet list --context prod", vec![]),
        ("doctl auth remove --context prod", vec![]),
        ("argocd app diff ledger-prod", vec![]),
        ("argocd app sync ledger-prod --dry-run", vec![]),
        ("fly status -a ledger-prod", vec![]),
        ("fly deploy -a ledger-prod --build-only", vec![]),
        ("cdk diff -c stage=prod", vec![]),
        // A change with no selector names no environment.
        ("gcloud compute instances delete vm-3 --zone z", vec![]),
        ("aws ec2 terminate-instances --instance-ids i-1", vec![]),
    ]);
}

#[test]
fn access_changes_are_not_environment_changes() {
    table(&[
        (
            "gcloud run services add-iam-policy-binding api --member=user:x@example.com --role=roles/run.invoker --project prod",
            vec![grant(other("api"), Some("user:x@example.com"))],
        ),
        (
            "aws iam attach-user-policy --user-name bob --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess --profile prod",
            vec![
                json!({"effect": "grant_access", "resource": {"kind": "principal", "name": "bob"}, "grantee": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
            ],
        ),
        (
            "az role assignment create --assignee x@example.com --role Reader --subscription prod",
            vec![grant(other("prod"), Some("x@example.com"))],
        ),
    ]);
}

#[test]
fn infrastructure_provider_changes_are_not_requests() {
    table(&[
        ("doctl compute droplet delete 1 --force", vec![]),
        ("hcloud server delete web-1", vec![]),
        ("linode-cli linodes delete 123", vec![]),
        (
            "HCLOUD_CONTEXT=prod hcloud server poweroff web-1",
            deploys("hcloud", &["prod"], None),
        ),
        (
            "HCLOUD_CONTEXT=prod hcloud server shutdown web-1",
            deploys("hcloud", &["prod"], None),
        ),
    ]);
}

#[test]
fn network_rules_open_to_the_world() {
    table(&[
        (
            "gcloud compute firewall-rules create allow-ssh --network=default --allow=tcp:22 --source-ranges=0.0.0.0/0",
            vec![make_public(other("firewall-rule:allow-ssh"))],
        ),
        (
            "gcloud compute firewall-rules update web --source-ranges 10.0.0.0/8,::/0",
            vec![make_public(other("firewall-rule:web"))],
        ),
        // gcloud's default source range is every address.
        (
            "gcloud compute firewall-rules create web --allow tcp:80",
            vec![make_public(other("firewall-rule:web"))],
        ),
        (
            "gcloud compute firewall-rules create web --allow tcp:80 --source-tags lb",
            vec![],
        ),
        (
            "gcloud compute firewall-rules create web --allow tcp:80 --source-ranges 10.0.0.0/8",
            vec![],
        ),
        (
            "gcloud compute firewall-rules create out --direction=EGRESS --rules=tcp:443",
            vec![],
        ),
        (
            "gcloud compute firewall-rules create no-ssh --action=DENY --rules=tcp:22",
            vec![],
        ),
        (
            "az network nsg rule create -g rg --nsg-name web-nsg -n ssh --priority 100 --source-address-prefixes Internet --destination-port-ranges 22",
            vec![make_public(other("nsg-rule:web-nsg/ssh"))],
        ),
        (
            "az network nsg rule update -g rg --nsg-name web-nsg -n ssh --source-address-prefixes 10.0.0.0/8 '*'",
            vec![make_public(other("nsg-rule:web-nsg/ssh"))],
        ),
        // az's default source is `*`.
        (
            "az network nsg rule create -g rg --nsg-name web-nsg -n web --priority 200",
            vec![make_public(other("nsg-rule:web-nsg/web"))],
        ),
        (
            "az network nsg rule create -g rg --nsg-name web-nsg -n web --priority 200 --access Deny",
            vec![],
        ),
        (
            "az network nsg rule create -g rg --nsg-name web-nsg -n web --priority 200 --source-address-prefixes 10.0.0.0/8",
            vec![],
        ),
        (
            "az vm open-port -g rg -n vm1 --port 22",
            vec![make_public(other("vm:vm1"))],
        ),
        (
            "doctl compute firewall create --name web --inbound-rules 'protocol:tcp,ports:22,address:0.0.0.0/0'",
            vec![make_public(other("doctl firewall web"))],
        ),
        (
            "hcloud firewall add-rule web --direction in --protocol tcp --port 22 --source-ips ::/0",
            vec![make_public(other("hcloud firewall web"))],
        ),
        (
            "hcloud firewall add-rule web --direction out --protocol tcp --port 22 --destination-ips 0.0.0.0/0",
            vec![],
        ),
    ]);
}

#[test]
fn images_snapshots_and_databases_made_public() {
    table(&[
        (
            "aws rds modify-db-instance --db-instance-identifier replica --publicly-accessible --apply-immediately",
            vec![make_public(other("aws rds modify-db-instance"))],
        ),
        (
            "aws rds modify-db-instance --db-instance-identifier replica --no-publicly-accessible",
            vec![],
        ),
        (
            "aws ec2 modify-image-attribute --image-id ami-1 --launch-permission 'Add=[{Group=all}]'",
            vec![make_public(other("ami-1"))],
        ),
        (
            r#"aws ec2 modify-image-attribute --image-id ami-1 --launch-permission '{"Add":[{"Group":"all"}]}'"#,
            vec![make_public(other("ami-1"))],
        ),
        (
            "aws ec2 modify-image-attribute --image-id ami-1 --launch-permission 'Remove=[{Group=all}]'",
            vec![],
        ),
        (
            "aws ec2 modify-image-attribute --image-id ami-1 --operation-type add --user-groups all",
            vec![make_public(other("ami-1"))],
        ),
        (
            "aws ec2 modify-snapshot-attribute --snapshot-id snap-1 --attribute createVolumePermission --operation-type add --group-names all",
            vec![make_public(other("snap-1"))],
        ),
        (
            "aws ec2 modify-snapshot-attribute --snapshot-id snap-1 --attribute createVolumePermission --operation-type remove --group-names all",
            vec![],
        ),
        (
            "aws ec2 modify-snapshot-attribute --snapshot-id snap-1 --attribute createVolumePermission --operation-type add --user-ids 123456789012",
            vec![grant(other("snap-1"), Some("123456789012"))],
        ),
        (
            "aws rds modify-db-snapshot-attribute --db-snapshot-identifier snap --attribute-name restore --values-to-add all",
            vec![make_public(other("snap"))],
        ),
    ]);
}

#[test]
fn iam_bindings_and_unauthenticated_services() {
    table(&[
        (
            "bq add-iam-policy-binding --member=allUsers --role=roles/bigquery.dataViewer 'lumora-prod:marketing.daily'",
            vec![make_public(other("lumora-prod:marketing.daily"))],
        ),
        (
            "bq add-iam-policy-binding --member=group:eng@example.com --role=roles/bigquery.dataViewer ds.t",
            vec![grant(other("ds.t"), Some("group:eng@example.com"))],
        ),
        (
            "gcloud functions add-invoker-policy-binding fn --member=allAuthenticatedUsers",
            vec![make_public(other("fn"))],
        ),
        (
            "gcloud run deploy api --image i --allow-unauthenticated",
            vec![make_public(other("gcloud run deploy api"))],
        ),
        (
            "gcloud run deploy api --image i --no-allow-unauthenticated",
            vec![],
        ),
    ]);
}

#[test]
fn a_local_emulator_keeps_the_aws_cli_on_this_machine() {
    run_table(&[
        (
            "aws --endpoint-url http://localhost:4566 s3 cp data/a.csv s3://scratch/",
            json!([read(&at("data/a.csv"))]),
        ),
        (
            "AWS_ENDPOINT_URL=http://127.0.0.1:9000 aws s3 rb s3://scratch --force",
            json!([]),
        ),
        (
            // Another S3-compatible service is not this machine.
            "aws --endpoint-url=https://s3.example-storage.com s3 rb s3://scratch",
            json!([remote_delete("s3://scratch", true)]),
        ),
    ]);
}

#[test]
fn app_service_releases_go_to_their_slot() {
    let production = json!({"effect": "deploy", "program": "az", "environment": "production",
                            "service": "portal", "production": true});
    table(&[
        // No slot: the app's own production slot.
        (
            "az webapp deploy -g rg --name portal --src-path dist/p.zip --type zip",
            vec![production.clone()],
        ),
        (
            "az webapp deploy -g rg --name portal --src-path dist/p.zip --slot staging",
            vec![deploy("az", "staging", Some("portal"))],
        ),
        (
            "az functionapp deployment source config-zip -g rg -n portal --src f.zip",
            vec![production],
        ),
        (
            "az webapp deployment slot swap -g rg -n portal --slot staging --target-slot live",
            vec![deploy("az", "live", Some("portal"))],
        ),
        ("az webapp list -g rg", vec![]),
    ]);
}
