//! Group memberships and policy attachments of identity modules beyond
//! Active Directory, Exchange and Graph: JumpCloud's
//! (`Add-JCUserGroupMember -GroupName G -Username U`, `Add-JCAssociation
//! -Type user_group -Name G -TargetType system -TargetName S`), AWS
//! Tools' IAM (`Add-IAMUserToGroup`, `Register-IAMUserPolicy -UserName U
//! -PolicyArn P`), PSGSuite's (`Add-GSGroupMember -Identity G -Member U`)
//! and Microsoft Teams' (`Add-TeamUser -GroupId G -User U`). Adding or
//! removing a member changes who may use what the group grants.

use super::{AccessCmdlet, Cmdlet};

const JC_USER_GROUP_MEMBER: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &["groupname", "username", "groupid", "userid"],
        positional: 2,
        switches: &["byid"],
        aliases: &[("name", "groupname"), ("id", "groupid")],
    },
    what: "jumpcloud user group",
    resource: &["groupname", "groupid"],
    grantee: &["username", "userid"],
    paths: false,
};

/// `Add-JCAssociation -Type T -Name N|-Id I -TargetType TT -TargetName
/// TN|-TargetId TI`: N's members reach TN (or TN's reach N).
const JC_ASSOCIATION: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "type",
            "name",
            "id",
            "targettype",
            "targetname",
            "targetid",
            "associationtype",
            "attributes",
        ],
        positional: 1,
        switches: &[
            "force",
            "raw",
            "includeinfo",
            "includenames",
            "includevisualpath",
        ],
        aliases: &[],
    },
    what: "jumpcloud association",
    resource: &["name", "id", "targettype", "targetname", "targetid"],
    grantee: &[],
    paths: false,
};

const IAM_GROUP_MEMBER: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "groupname",
            "username",
            "region",
            "profilename",
            "endpointurl",
        ],
        positional: 2,
        switches: &[],
        aliases: &[],
    },
    what: "aws iam group",
    resource: &["groupname"],
    grantee: &["username"],
    paths: false,
};

/// `Register-IAM{User,Role,Group}Policy` (attach a managed policy) and
/// `Write-IAM{User,Role,Group}Policy` (put an inline one).
const IAM_POLICY: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &[
            "username",
            "rolename",
            "groupname",
            "policyarn",
            "policyname",
            "policydocument",
            "region",
            "profilename",
            "endpointurl",
        ],
        positional: 2,
        switches: &[],
        aliases: &[],
    },
    what: "aws iam policy",
    resource: &["policyarn", "policyname"],
    grantee: &["username", "rolename", "groupname"],
    paths: false,
};

const GS_GROUP_MEMBER: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &["identity", "member", "role", "deliverysettings"],
        positional: 2,
        switches: &[],
        aliases: &[("group", "identity"), ("email", "identity")],
    },
    what: "google group",
    resource: &["identity"],
    grantee: &["member"],
    paths: false,
};

const TEAM_USER: AccessCmdlet = AccessCmdlet {
    spec: Cmdlet {
        values: &["groupid", "user", "role"],
        positional: 0,
        switches: &[],
        aliases: &[],
    },
    what: "microsoft team",
    resource: &["groupid"],
    grantee: &["user"],
    paths: false,
};

/// The access-changing cmdlet of these modules a program name is.
pub(super) fn access_cmdlet(program: &str) -> Option<&'static AccessCmdlet> {
    Some(match program {
        "add-jcusergroupmember" | "remove-jcusergroupmember" => &JC_USER_GROUP_MEMBER,
        "add-jcassociation" | "remove-jcassociation" => &JC_ASSOCIATION,
        "add-iamusertogroup" | "remove-iamuserfromgroup" => &IAM_GROUP_MEMBER,
        "register-iamuserpolicy"
        | "register-iamrolepolicy"
        | "register-iamgrouppolicy"
        | "unregister-iamuserpolicy"
        | "unregister-iamrolepolicy"
        | "unregister-iamgrouppolicy"
        | "write-iamuserpolicy"
        | "write-iamrolepolicy"
        | "write-iamgrouppolicy" => &IAM_POLICY,
        "add-gsgroupmember" | "remove-gsgroupmember" => &GS_GROUP_MEMBER,
        "add-teamuser" | "remove-teamuser" => &TEAM_USER,
        _ => return None,
    })
}
