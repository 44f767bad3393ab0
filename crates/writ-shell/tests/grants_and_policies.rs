//! Access granted by policy documents (AWS trust and resource policies,
//! inline or from a file written earlier), by SSH keys that may log in
//! (`authorized_keys` written on another host), and env files that
//! hosting CLIs upload into an app's settings. Each case is a command line
//! and every effect `analyze` must report for it. Run in
//! `/home/dana/acme-web` with home `/home/dana`.

#![allow(clippy::panic)]

use crate::common;
use common::*;
use serde_json::{Value, json};

fn grant(resource: &str, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "other", "name": resource}, "grantee": grantee})
}

fn grant_role(role: &str, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "principal", "name": role}, "grantee": grantee})
}

fn public_role(role: &str) -> Value {
    make_public(json!({"kind": "principal", "name": role}))
}

fn public(name: &str) -> Value {
    make_public(json!({"kind": "other", "name": name}))
}

const EVERYONE_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;

#[test]
fn trust_policies() {
    let update = format!(
        "aws iam update-assume-role-policy --role-name lims-debug --policy-document '{EVERYONE_TRUST}'"
    );
    let create = format!(
        "aws iam create-role --role-name ci --assume-role-policy-document '{EVERYONE_TRUST}'"
    );
    run_table(&[
        (update.as_str(), json!([public_role("lims-debug")])),
        (create.as_str(), json!([public_role("ci")])),
        // Another account may assume the role: given to that account.
        (
            r#"aws iam update-assume-role-policy --role-name r --policy-document '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]}'"#,
            json!([grant_role("r", Some("arn:aws:iam::444455556666:root"))]),
        ),
        // Anyone, but only from one organisation: not public.
        (
            r#"aws iam update-assume-role-policy --role-name r --policy-document '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}'"#,
            json!([grant_role("r", None)]),
        ),
        // A role for a service grants no one.
        (
            r#"aws iam create-role --role-name fn --assume-role-policy-document '{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'"#,
            json!([]),
        ),
        (
            "aws iam update-assume-role-policy --role-name r --policy-document file://trust.json",
            json!([read(&at("trust.json")), grant_role("r", None)]),
        ),
    ]);
}

#[test]
fn trust_policy_from_a_file_written_earlier() {
    let line = format!(
        "cat > /tmp/trust.json <<'EOF'\n{EVERYONE_TRUST}\nEOF\naws iam update-assume-role-policy --role-name r --policy-document file:///tmp/trust.json"
    );
    check(
        &line,
        json!([
            write("/tmp/trust.json"),
            read("/tmp/trust.json"),
            public_role("r")
        ]),
    );
    // Written by an earlier step (a file tool).
    let written = [text_file(&at("policy.json"), EVERYONE_TRUST)];
    assert_eq!(
        effects_after(
            &written,
            "aws iam create-role --role-name ci --assume-role-policy-document=file://policy.json"
        ),
        json!([read(&at("policy.json")), public_role("ci")])
    );
}

#[test]
fn resource_policies() {
    run_table(&[
        // A statement that denies everyone opens nothing.
        (
            r#"aws s3api put-bucket-policy --bucket b --policy '{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}'"#,
            json!([{"effect": "grant_access", "resource": bucket("s3", "b"), "grantee": null}]),
        ),
        (
            r#"aws s3api put-bucket-policy --bucket b --policy '{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1111:root"]},"Action":"s3:GetObject"}]}'"#,
            json!([{"effect": "grant_access", "resource": bucket("s3", "b"), "grantee": "arn:aws:iam::1111:root"}]),
        ),
        (
            r#"aws sqs set-queue-attributes --queue-url https://sqs.us-east-1.amazonaws.com/1111/jobs --attributes '{"Policy":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\"}]}"}'"#,
            json!([public("sqs https://sqs.us-east-1.amazonaws.com/1111/jobs")]),
        ),
        // Attributes without a policy change no one's access.
        (
            "aws sqs set-queue-attributes --queue-url https://sqs.us-east-1.amazonaws.com/1111/jobs --attributes VisibilityTimeout=60",
            json!([]),
        ),
        (
            r#"aws sns set-topic-attributes --topic-arn arn:aws:sns:us-east-1:1111:t --attribute-name Policy --attribute-value '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sns:Publish"}]}'"#,
            json!([public("sns arn:aws:sns:us-east-1:1111:t")]),
        ),
        (
            "aws sns set-topic-attributes --topic-arn arn:aws:sns:us-east-1:1111:t --attribute-name DisplayName --attribute-value Alerts",
            json!([]),
        ),
        (
            r#"aws kms put-key-policy --key-id k1 --policy-name default --policy '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"kms:Decrypt"}]}'"#,
            json!([public("kms k1")]),
        ),
        (
            r#"aws ecr set-repository-policy --repository-name app --policy-text '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ecr:BatchGetImage"}]}'"#,
            json!([grant("ecr app", Some("444455556666"))]),
        ),
        (
            r#"aws logs put-resource-policy --policy-name p --policy-document '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"logs:PutLogEvents"}]}'"#,
            json!([public("logs p")]),
        ),
        (
            r#"aws opensearch update-domain-config --domain-name search --access-policies '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"es:*"}]}'"#,
            json!([public("opensearch search")]),
        ),
        (
            "aws opensearch update-domain-config --domain-name search --cluster-config InstanceCount=3",
            json!([]),
        ),
    ]);
}

#[test]
fn permissions_for_one_principal() {
    run_table(&[
        // Anyone, narrowed to one organisation or source: not public.
        (
            "aws lambda add-permission --function-name f --statement-id s --action lambda:InvokeFunction --principal '*' --principal-org-id o-abc",
            json!([grant("lambda:f", Some("*"))]),
        ),
        (
            "aws lambda add-layer-version-permission --layer-name shared --version-number 3 --statement-id s --action lambda:GetLayerVersion --principal '*'",
            json!([public("lambda layer shared")]),
        ),
        (
            "aws events put-permission --event-bus-name bus --action events:PutEvents --principal '*' --statement-id all",
            json!([public("events bus")]),
        ),
        (
            "aws events put-permission --action events:PutEvents --principal 444455556666 --statement-id one",
            json!([grant("events default", Some("444455556666"))]),
        ),
        (
            "aws ec2 modify-vpc-endpoint-service-permissions --service-id vpce-svc-1 --add-allowed-principals '[\"*\"]'",
            json!([public("ec2 vpce-svc-1")]),
        ),
    ]);
}

#[test]
fn keys_that_may_log_in_on_another_host() {
    run_table(&[
        (
            "cat ~/.ssh/id_ed25519.pub | ssh deploy@build.example.net 'cat >> ~/.ssh/authorized_keys'",
            json!([
                read("/home/dana/.ssh/id_ed25519.pub"),
                host_request(
                    "ssh",
                    host(Some("deploy"), "build.example.net", None, None),
                    "EXEC",
                    payload(
                        &["cat >> ~/.ssh/authorized_keys"],
                        &[("/home/dana/.ssh/id_ed25519.pub", false)],
                        &[]
                    )
                ),
                grant("build.example.net:/home/dana/.ssh/authorized_keys", None)
            ]),
        ),
        // Local writes are judged where the path is placed (writ-core).
        (
            "echo 'ssh-ed25519 AAAA ci@example.com' >> ~/.ssh/authorized_keys",
            json!([append("/home/dana/.ssh/authorized_keys")]),
        ),
    ]);
}

#[test]
fn env_files_uploaded_to_app_settings() {
    let env = at(".env");
    let sent = |program: &str, host: &str, text: &[&str]| {
        url_request(
            program,
            &format!("https://{host}/"),
            "POST",
            payload(text, &[(env.as_str(), false)], &[]),
        )
    };
    run_table(&[
        (
            "netlify env:import .env --site docs",
            json!([sent(
                "netlify",
                "api.netlify.com",
                &["env:import", ".env", "--site", "docs", "site=docs"]
            )]),
        ),
        (
            "doppler secrets upload .env -p web -c prd",
            json!([sent(
                "doppler",
                "api.doppler.com",
                &["secrets", "upload", ".env", "-p", "web", "-c", "prd"]
            )]),
        ),
        (
            "wrangler secret bulk .env --name api",
            json!([sent(
                "wrangler",
                "api.cloudflare.com",
                &["secret", "bulk", ".env", "--name", "api", "name=api"]
            )]),
        ),
        (
            "supabase secrets set --env-file .env",
            json!([sent(
                "supabase",
                "api.supabase.com",
                &["secrets", "set", "--env-file", ".env", "env_file=.env"]
            )]),
        ),
        (
            "heroku config:push -a shop",
            json!([sent(
                "heroku",
                "api.heroku.com",
                &["config:push", "-a", "shop"]
            )]),
        ),
    ]);
}
