//! Changes of access: group and team membership, branch protection, and
//! shares with anyone through CLIs writ has no handler for. Each case is a
//! command line and the access effects (`grant_access`, `make_public`, as
//! JSON) that `analyze` must report for it; other effects (the request a
//! `gh api` call makes) are not compared. Run in `/home/dana/acme-web`
//! with home `/home/dana`.

use serde_json::{Value, json};

use crate::common;
use common::*;

fn grant_repo(host: &str, slug: Option<&str>, grantee: Option<&str>) -> Value {
    json!({"effect": "grant_access", "resource": {"kind": "repo", "host": host, "slug": slug}, "grantee": grantee})
}

fn make_public(resource: &str) -> Value {
    json!({"effect": "make_public", "resource": {"kind": "other", "name": resource}})
}

#[test]
fn group_membership_is_access() {
    access_table(&[
        (
            "az ad group member add --group PACS-Admins --member-id 1234",
            json!([grant_named("azure ad group PACS-Admins", Some("1234"))]),
        ),
        (
            "az ad group member remove -g PACS-Admins --member-id 1234",
            json!([grant_named("azure ad group PACS-Admins", Some("1234"))]),
        ),
        (
            "az ad group owner add --group Ops --owner-object-id 99",
            json!([grant_named("azure ad group Ops", Some("99"))]),
        ),
        (
            "az ad app owner add --id app-1 --owner-object-id 42",
            json!([grant_named("azure ad app app-1", Some("42"))]),
        ),
        (
            "az ad app permission grant --id app-1 --api 00000003-0000",
            json!([grant_named("azure ad app app-1", Some("00000003-0000"))]),
        ),
        (
            "az role assignment delete --assignee bob@acme.com --role Owner --scope /subscriptions/s1",
            json!([grant_named("/subscriptions/s1", Some("bob@acme.com"))]),
        ),
        (
            "az devops security group membership add --group-id vssgp.1 --member-id bob@acme.com",
            json!([grant_named(
                "azure devops group vssgp.1",
                Some("bob@acme.com")
            )]),
        ),
        (
            "gcloud identity groups memberships add --group-email admins@acme.com --member-email bob@gmail.com",
            json!([grant_named(
                "google group admins@acme.com",
                Some("bob@gmail.com")
            )]),
        ),
        (
            "gcloud identity groups memberships modify-membership-roles --group-email=admins@acme.com --member-email=bob@acme.com --add-roles=OWNER",
            json!([grant_named(
                "google group admins@acme.com",
                Some("bob@acme.com")
            )]),
        ),
        (
            "gcloud identity groups memberships delete --group-email admins@acme.com --member-email bob@acme.com",
            json!([grant_named(
                "google group admins@acme.com",
                Some("bob@acme.com")
            )]),
        ),
        (
            "gam create admin sub.teacher@acme.com \"Help Desk Admin\" customer",
            json!([grant_named(
                "google admin role help desk admin",
                Some("sub.teacher@acme.com")
            )]),
        ),
        (
            "gam update group admins@acme.com add member bob@gmail.com",
            json!([grant_named(
                "google group admins@acme.com",
                Some("bob@gmail.com")
            )]),
        ),
        (
            "gam update group admins@acme.com remove owner user bob@acme.com carol@acme.com",
            json!([grant_named(
                "google group admins@acme.com",
                Some("bob@acme.com, carol@acme.com")
            )]),
        ),
        (
            "aws iam remove-user-from-group --user-name bob --group-name Admins",
            json!([{"effect": "grant_access", "resource": {"kind": "principal", "name": "bob"}, "grantee": "Admins"}]),
        ),
        (
            "aws iam detach-role-policy --role-name ci --policy-arn arn:aws:iam::aws:policy/AdministratorAccess",
            json!([{"effect": "grant_access", "resource": {"kind": "principal", "name": "ci"}, "grantee": "arn:aws:iam::aws:policy/AdministratorAccess"}]),
        ),
        (
            "aws identitystore create-group-membership --identity-store-id d-1 --group-id g-1 --member-id UserId=u-1",
            json!([grant_named("identitystore group g-1", Some("UserId=u-1"))]),
        ),
        (
            "aws sso-admin create-account-assignment --instance-arn arn:i --target-id 1111 --target-type AWS_ACCOUNT --permission-set-arn arn:ps --principal-type USER --principal-id u-1",
            json!([grant_named("aws account 1111", Some("u-1"))]),
        ),
        (
            "aws cognito-idp admin-add-user-to-group --user-pool-id pool-1 --username bob --group-name admins",
            json!([grant_named("cognito group pool-1/admins", Some("bob"))]),
        ),
        (
            "kubectl create clusterrolebinding ops --clusterrole cluster-admin --user bob",
            json!([grant_named("clusterrolebinding/ops", Some("bob"))]),
        ),
    ]);
    no_access_changes(&[
        "az ad group member list --group PACS-Admins",
        "az ad group member check --group PACS-Admins --member-id 1234",
        "az ad group show --group PACS-Admins",
        "gcloud identity groups memberships list --group-email admins@acme.com",
        "gam info group admins@acme.com",
        "gam print group-members group admins@acme.com",
        "aws identitystore list-group-memberships --identity-store-id d-1 --group-id g-1",
    ]);
}

#[test]
fn github_teams_and_members() {
    let web = |grantee: &str| grant_repo("github.com", Some("acme/web"), Some(grantee));
    access_table(&[
        (
            "gh api -X PUT orgs/acme/teams/admins/memberships/bob -f role=maintainer",
            json!([grant_named("github.com/acme team admins", Some("bob"))]),
        ),
        (
            "gh api -X DELETE orgs/acme/teams/admins/memberships/bob",
            json!([grant_named("github.com/acme team admins", Some("bob"))]),
        ),
        (
            "gh api --method PUT teams/42/memberships/bob",
            json!([grant_named("github.com team 42", Some("bob"))]),
        ),
        (
            "gh api -X PUT orgs/acme/teams/ops/repos/acme/web -f permission=admin",
            json!([web("team ops")]),
        ),
        (
            "gh api -X DELETE orgs/acme/teams/ops/repos/acme/web",
            json!([web("team ops")]),
        ),
        (
            "gh api -X DELETE repos/acme/web/collaborators/bob",
            json!([web("bob")]),
        ),
        (
            "gh api -X DELETE orgs/acme/members/bob",
            json!([grant_named("github.com/acme", Some("bob"))]),
        ),
        (
            "gh api orgs/acme/invitations -f email=bob@gmail.com -f role=direct_member",
            json!([grant_named("github.com/acme", Some("bob@gmail.com"))]),
        ),
    ]);
    no_access_changes(&[
        "gh api orgs/acme/teams/admins/memberships/bob",
        "gh api orgs/acme/teams/admins/members",
        "gh api repos/acme/web/collaborators",
        "gh api -X GET orgs/acme/members/bob",
    ]);
}

#[test]
fn branch_protection_is_access() {
    let web = || grant_repo("github.com", Some("acme/web"), None);
    access_table(&[
        (
            "gh api -X PUT repos/acme/web/branches/main/protection --input protection.json",
            json!([web()]),
        ),
        (
            "gh api -X DELETE repos/acme/web/branches/main/protection",
            json!([web()]),
        ),
        (
            "gh api -X PATCH repos/acme/web/branches/main/protection/required_pull_request_reviews -F required_approving_review_count=0",
            json!([web()]),
        ),
        (
            "gh api -X POST repos/acme/web/branches/release/1.0/protection/enforce_admins",
            json!([web()]),
        ),
        (
            "gh api -X DELETE repos/acme/web/branches/main/protection/enforce_admins",
            json!([web()]),
        ),
        (
            "gh api repos/acme/web/rulesets -f name=open -f enforcement=disabled",
            json!([web()]),
        ),
        ("gh api -X DELETE repos/acme/web/rulesets/7", json!([web()])),
        (
            "gh api -X PUT /repos/{owner}/{repo}/rulesets/7 -f enforcement=evaluate",
            json!([grant_repo("github.com", None, None)]),
        ),
        (
            "gh api -X DELETE orgs/acme/rulesets/3",
            json!([grant_named("github.com/acme", None)]),
        ),
        (
            "glab api -X DELETE projects/acme%2Fweb/protected_branches/main",
            json!([grant_repo("gitlab.com", Some("acme/web"), None)]),
        ),
        (
            "glab api -X POST projects/acme%2Fweb/protected_branches -f name=main -f push_access_level=30",
            json!([grant_repo("gitlab.com", Some("acme/web"), None)]),
        ),
        (
            "glab api -X PATCH projects/acme%2Fweb/protected_branches/main -f allow_force_push=true",
            json!([grant_repo("gitlab.com", Some("acme/web"), None)]),
        ),
        (
            "glab api -X DELETE groups/acme/members/12",
            json!([grant_named("gitlab.com/acme", Some("12"))]),
        ),
        (
            "glab api -X POST groups/acme/members -f username=bob -f access_level=50",
            json!([grant_named("gitlab.com/acme", Some("bob"))]),
        ),
        (
            "az repos policy approver-count update --id 5 --branch main --minimum-approver-count 0 --repository-id r1",
            json!([grant_named("azure repos r1 main", None)]),
        ),
    ]);
    no_access_changes(&[
        "gh api repos/acme/web/branches/main/protection",
        "gh api repos/acme/web/branches/main",
        "gh api repos/acme/web/rulesets",
        "gh api -X GET repos/acme/web/rulesets/7",
        "glab api projects/acme%2Fweb/protected_branches",
        "az repos policy list --repository-id r1",
    ]);
}

#[test]
fn shares_with_anyone_through_any_cli() {
    access_table(&[
        (
            "gdrive permissions share 1AbC --role reader --type anyone",
            json!([make_public("1AbC")]),
        ),
        (
            "gdrive permissions share --type=anyone --role reader 1AbC",
            json!([make_public("1AbC")]),
        ),
        (
            "gdrive share --type anyone --role reader 1AbC",
            json!([make_public("1AbC")]),
        ),
        // gdrive shares with anyone unless `--type` says otherwise.
        (
            "gdrive permissions share 1AbC --role reader",
            json!([make_public("1AbC")]),
        ),
        (
            "docs-cli share report.pdf --anyone",
            json!([make_public("report.pdf")]),
        ),
        (
            "somecloud acl add obj-9 --grantee allUsers",
            json!([make_public("obj-9")]),
        ),
        (
            "gdrive permissions share 1AbC --role writer --type user --email bob@gmail.com",
            json!([grant_named("1AbC", Some("bob@gmail.com"))]),
        ),
        (
            "gam user me@acme.com add drivefileacl 1AbC anyone role reader",
            json!([{"effect": "make_public", "resource": {"kind": "other", "name": "drive file 1AbC"}}]),
        ),
        (
            "gam user me@acme.com add drivefileacl 1AbC user bob@gmail.com role writer",
            json!([grant_named("drive file 1AbC", Some("bob@gmail.com"))]),
        ),
        (
            "rclone link gdrive:reports/q3.pdf",
            json!([make_public("gdrive:reports/q3.pdf")]),
        ),
        (
            "rclone link --unlink gdrive:reports/q3.pdf",
            json!([grant_named(
                "gdrive:reports/q3.pdf",
                Some("anyone with the link")
            )]),
        ),
    ]);
    no_access_changes(&[
        "gdrive permissions list 1AbC",
        "gdrive permissions list --type anyone 1AbC",
        "gdrive files list --query 'name contains x'",
        "gdrive share --help",
        "gam user me@acme.com show drivefileacl 1AbC",
        "rclone lsf gdrive:reports",
        // Publishing a package is an upload, not a share.
        "npm publish --access public",
        "tool publish --user bob",
        // A sharing word that is no subcommand.
        "grep -r share --type anyone src",
    ]);
}

#[test]
fn identity_and_collaboration_clis() {
    let box_folder = || make_public("box folder 123");
    access_table(&[
        (
            "auth0 users roles assign 'auth0|u1' --roles rol_admin",
            json!([grant_named("auth0 roles rol_admin", Some("auth0|u1"))]),
        ),
        (
            "auth0 users roles remove 'auth0|u1' -r rol_admin",
            json!([grant_named("auth0 roles rol_admin", Some("auth0|u1"))]),
        ),
        (
            "auth0 roles permissions add rol_1 --api-id api_1 --permissions read:all",
            json!([grant_named("auth0 role rol_1", Some("read:all"))]),
        ),
        (
            "auth0 orgs members add org_1 --members 'auth0|u2'",
            json!([grant_named("auth0 organization org_1", Some("auth0|u2"))]),
        ),
        (
            "box folders:collaborations:add 123 --role editor --login bob@gmail.com",
            json!([grant_named("box folder 123", Some("bob@gmail.com"))]),
        ),
        (
            "box files:collaborations:add 9 --role viewer --login bob@gmail.com",
            json!([grant_named("box file 9", Some("bob@gmail.com"))]),
        ),
        (
            "box collaborations:update 55 --role co-owner",
            json!([grant_named("box collaboration 55", None)]),
        ),
        (
            "box shared-links:create 123 folder --access open",
            json!([box_folder()]),
        ),
        ("box folders:share 123 --access open", json!([box_folder()])),
        (
            "box files:share 9 --access open",
            json!([make_public("box file 9")]),
        ),
        (
            "box shared-links:create 123 folder --access company",
            json!([grant_named("box folder 123", Some("shared link (company)"))]),
        ),
        (
            "m365 spo file sharinglink add --fileUrl /sites/hr/Shared%20Documents/pay.xlsx --type view --scope anonymous",
            json!([make_public(
                "sharepoint file /sites/hr/Shared%20Documents/pay.xlsx"
            )]),
        ),
        (
            "m365 spo file sharinglink add --fileUrl /sites/hr/pay.xlsx --type view --scope organization",
            json!([grant_named(
                "sharepoint file /sites/hr/pay.xlsx",
                Some("sharing link (organization)")
            )]),
        ),
        (
            "m365 entra group user add --groupName Admins --userNames bob@gmail.com --role Owner",
            json!([grant_named("azure ad group Admins", Some("bob@gmail.com"))]),
        ),
        (
            "m365 entra group user remove --groupId g1 --userNames bob@acme.com",
            json!([grant_named("azure ad group g1", Some("bob@acme.com"))]),
        ),
        (
            "m365 aad o365group user add --groupId g1 --userName bob@gmail.com",
            json!([grant_named("azure ad group g1", Some("bob@gmail.com"))]),
        ),
        (
            "gh repo deploy-key add key.pub --allow-write -t ci -R acme/web",
            json!([grant_repo(
                "github.com",
                Some("acme/web"),
                Some("write deploy key ci")
            )]),
        ),
        (
            "gh repo deploy-key add key.pub",
            json!([grant_repo("github.com", None, Some("a deploy key"))]),
        ),
        (
            "gh api -X POST repos/acme/web/keys -f title=ci -F read_only=false -f key=@key.pub",
            json!([grant_repo(
                "github.com",
                Some("acme/web"),
                Some("write deploy key ci")
            )]),
        ),
        (
            "gh api -X PATCH orgs/acme -f default_repository_permission=admin",
            json!([grant_named(
                "github.com/acme",
                Some("all members (default_repository_permission=admin)")
            )]),
        ),
        (
            "gh api -X PATCH orgs/acme -F members_can_create_public_repositories=true",
            json!([grant_named(
                "github.com/acme",
                Some("all members (members_can_create_public_repositories=true)")
            )]),
        ),
    ]);
    no_access_changes(&[
        "auth0 users roles show 'auth0|u1'",
        "auth0 users list",
        "box folders:collaborations 123",
        "box folders:get 123",
        "box files:upload report.pdf --parent-id 0",
        "m365 spo file sharinglink list --fileUrl /sites/hr/pay.xlsx",
        "m365 entra group user list --groupName Admins",
        "gh repo deploy-key list -R acme/web",
        "gh api -X PATCH orgs/acme -f description=hello",
        "gh api orgs/acme",
    ]);
}

#[test]
fn open_links_through_any_cli() {
    access_table(&[
        (
            "docsync link create report.pdf --scope anonymous",
            json!([make_public("report.pdf")]),
        ),
        (
            "filehub files:share f-1 --access open",
            json!([make_public("f-1")]),
        ),
        (
            "notes-cli share page-7 --visibility public",
            json!([make_public("page-7")]),
        ),
        (
            "drivectl sharing-link add doc-3 --link-type anyone",
            json!([make_public("doc-3")]),
        ),
    ]);
    no_access_changes(&[
        "docsync link create report.pdf --scope organization",
        "docsync link list --scope anonymous",
        "filehub files:share f-1 --access company",
        "npm publish --access public",
        "tool publish pkg --access public",
        "notes-cli share list --visibility public",
    ]);
}
