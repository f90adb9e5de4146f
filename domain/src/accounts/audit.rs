//! 审计日志 — what the audit log's rows say, in both languages: the actions and the kinds of record.
//!
//! The log stores the keys as text (`update`, `organization`); these enums give each known key its labels.
//! A key that is not listed here (an older row, a new writer) is shown as stored.

use crate::label::labelled_enum;

labelled_enum! {
    /// 操作 — what an audit row records as done.
    pub enum AuditAction ("操作") keys_only {
        Create => "create", "新建", "Create";
        Update => "update", "修改", "Update";
        Import => "import", "导入", "Import";
        Register => "register", "登记", "Register";
        File => "file", "申报", "File";
        Submit => "submit", "提交", "Submit";
        Resubmit => "resubmit", "重新提交", "Resubmit";
        Accept => "accept", "受理", "Accept";
        Return => "return", "退回", "Return";
        StartReview => "start_review", "开始审查", "Start review";
        Approve => "approve", "准予登记", "Approve";
        Reject => "reject", "不予登记", "Reject";
        Verify => "verify", "核实", "Verify";
        AddEvidence => "add_evidence", "上传佐证材料", "Add evidence";
        ViewPersonalData => "view_personal_data", "查看个人信息", "View personal data";
        Reseal => "reseal", "重新加密", "Re-encrypt";
        Open => "open", "开启轮次", "Open round";
        Join => "join", "报名", "Join";
        Record => "record", "登记需求", "Record needs";
        Run => "run", "运行配对", "Run pairing";
        Pin => "pin", "指定", "Pin";
        Forbid => "forbid", "禁止", "Forbid";
        Lift => "lift", "取消指定或禁止", "Lift pin/forbid";
        Confirm => "confirm", "确认", "Confirm";
        Conclude => "conclude", "结束", "Conclude";
        Login => "login", "登录", "Sign in";
        Logout => "logout", "退出", "Sign out";
        LoginFailed => "login_failed", "登录失败", "Failed sign-in";
        LoginFailedLockout => "login_failed_lockout", "登录失败并锁定", "Failed sign-in, locked";
        LoginLocked => "login_locked", "账户已锁定", "Sign-in while locked";
        LoginRateLimited => "login_rate_limited", "登录过于频繁", "Sign-in rate-limited";
        ChangePassword => "change_password", "修改密码", "Change password";
        ResetPassword => "reset_password", "重置密码", "Reset password";
        Disable => "disable", "停用", "Disable";
        Enable => "enable", "启用", "Enable";
    }
}

labelled_enum! {
    /// 对象类型 — what kind of record an audit row is about.
    pub enum AuditEntity ("对象类型") keys_only {
        User => "user", "用户", "User";
        Session => "session", "会话", "Session";
        Organization => "organization", "社会组织", "Organization";
        OrganizationImport => "organization_import", "社会组织导入", "Organization import";
        Matter => "matter", "登记事项", "Registration matter";
        Contribution => "contribution", "贡献记录", "Contribution entry";
        ContributionRecipients => "contribution_recipients", "受助学生", "Scholarship recipients";
        PairingRound => "pairing_round", "结对轮次", "Pairing round";
        PairingSociety => "pairing_society", "参与社会组织", "Participating society";
        PairingVillageNeeds => "pairing_village_needs", "村庄需求", "Village needs";
        PairingRun => "pairing_run", "配对运行", "Pairing run";
        PairingConstraint => "pairing_constraint", "指定或禁止", "Pin or forbid";
        PairingAgreement => "pairing_agreement", "结对协议", "Pairing agreement";
    }
}
