//! 信用名单 — the credit-list records of the 社会组织信用信息管理办法 (`DOMAIN.md` §3): each listing with its
//! reason, the event behind it, its written notice, the objection channel (异议), the organization's public
//! explanation, and its end — removal on application after rectification, the automatic move to the
//! serious list, or an upheld objection.
//!
//! The period rules (two years on the abnormal list, five working days to decide a removal) are
//! [`CreditStanding`]'s, in `registry::organization`; this module adds what the records need around them.

pub mod api;

use chrono::{Datelike, NaiveDate};

use crate::api::FieldError;
use crate::label::labelled_enum;
pub use crate::registry::organization::{
    ABNORMAL_MONTHS_BEFORE_SERIOUS, CreditList, CreditStanding, Listing, ListingEvent, ListingReason,
    REMOVAL_DECISION_WORKING_DAYS, RemovalApplication, RemovalDecision, TransitionError,
    check_letter_interval,
};

labelled_enum! {
    /// 事件类型 — the kind of record behind a listing event.
    pub enum EventKind ("事件类型") keys_only {
        /// 年度工作报告 — a year's report not filed by the deadline.
        AnnualReport => "annual_report", "年度工作报告", "Annual report";
        /// 限期整改 — a rectification order not met in time.
        Rectification => "rectification", "限期整改", "Rectification order";
        /// 活动异常名录列入记录 — two years on the abnormal list.
        AbnormalListing => "abnormal_listing", "活动异常名录列入记录", "Abnormal-list listing";
        /// 退信记录 — registered letters returned unsigned.
        ReturnedLetters => "returned_letters", "退信记录", "Returned letters";
        /// 登记管理机关决定 — a decision staff record by hand.
        StaffDecision => "staff_decision", "登记管理机关决定", "Decision of the registration authority";
    }
}

labelled_enum! {
    /// 移出方式 — how a listing ended.
    pub enum ListingEnd ("移出方式") keys_only {
        /// 申请移出 — removed on application after rectification.
        Removed => "removed", "准予移出", "Removed on application";
        /// 转入严重违法失信名单 — moved to the serious list after two years.
        MovedToSerious => "moved_to_serious", "转入严重违法失信名单", "Moved to the serious list";
        /// 异议成立 — withdrawn because an objection was upheld.
        ObjectionUpheld => "objection_upheld", "异议成立撤销列入", "Withdrawn on objection";
    }
}

labelled_enum! {
    /// 异议状态 — an organization's objection to a listing, and staff's decision on it.
    pub enum ObjectionStatus ("异议状态") keys_only {
        /// 待处理 — pending; the public list says so.
        Pending => "pending", "异议处理中", "Objection pending";
        /// 异议成立 — upheld: the listing is withdrawn.
        Upheld => "upheld", "异议成立", "Upheld";
        /// 异议不成立 — dismissed: the listing stands.
        Dismissed => "dismissed", "异议不成立", "Dismissed";
    }
}

/// Why a request about a listing is refused, as a field and a Chinese message.
fn invalid(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Checks a listing staff record by hand: the reasons that only the rules may apply are refused, and
/// the date may not be in the future.
pub fn check_manual_listing(
    reason: ListingReason,
    decided_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), FieldError> {
    match reason {
        ListingReason::AnnualReportMissing => {
            return Err(invalid(
                "reason",
                "「未按规定报送年度工作报告」由系统在年检截止日后按规则列入，不能手工列入（reason）",
            ));
        }
        ListingReason::AbnormalForTwoYears => {
            return Err(invalid(
                "reason",
                "「列入活动异常名录满两年」由系统每日按规则转入，不能手工列入（reason）",
            ));
        }
        ListingReason::MinorPenalty => {
            return Err(invalid(
                "reason",
                "「受到警告或不满5万元罚款的行政处罚」随行政处罚决定列入，不能手工列入（reason）",
            ));
        }
        _ => {}
    }
    if decided_on > today {
        return Err(invalid("decided_on", "决定日期（decided_on）不能晚于今天"));
    }
    Ok(())
}

/// Checks a text a user must give (rectification, grounds, reasons, explanation): present and at most
/// `max` characters.
pub fn check_text(field: &str, what: &str, text: &str, max: usize) -> Result<String, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(field, format!("请填写{what}（{field}）")));
    }
    if text.chars().count() > max {
        return Err(invalid(field, format!("{what}（{field}）不超过 {max} 个字")));
    }
    Ok(text.to_owned())
}

/// 决定书文号 — the listing notice's number, derived from the list, the year decided and the record's id so
/// that it can never clash: 皖社异〔2024〕第 123 号 (abnormal), 皖社严〔2024〕第 456 号 (serious).
pub fn notice_number(list: CreditList, decided_on: NaiveDate, id: i64) -> String {
    let prefix = match list {
        CreditList::Abnormal => "皖社异",
        CreditList::Serious => "皖社严",
    };
    format!("{prefix}〔{}〕第 {id} 号", decided_on.year())
}

/// 列入决定书 — the written notice of a listing, as the organization receives it.
pub fn notice_text(
    organization: &str,
    credit_code: &str,
    reason: ListingReason,
    decided_on: NaiveDate,
    number: &str,
) -> String {
    let list = reason.list();
    let removal = match list {
        CreditList::Abnormal => {
            "你单位整改完毕后可向登记管理机关申请移出，登记管理机关自收到申请之日起 5 个工作日内作出决定。\
             列入满 2 年仍未移出的，将列入严重违法失信名单。"
        }
        CreditList::Serious => "列入严重违法失信名单满 2 年且未再发生列入情形的，可申请移出。",
    };
    format!(
        "{number}\n{organization}（统一社会信用代码：{credit_code}）：\n\
         经查，你单位存在「{}」的情形。依据《社会组织信用信息管理办法》，本机关决定自 {decided_on} 起将你单位\
         列入{list}。{removal}\n如对本决定有异议，可通过本系统在线提出异议申请。",
        reason.label_zh()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn the_rules_own_reasons_cannot_be_listed_by_hand() {
        let today = d(2025, 6, 1);
        for reason in [
            ListingReason::AnnualReportMissing,
            ListingReason::AbnormalForTwoYears,
            ListingReason::MinorPenalty,
        ] {
            assert_eq!(
                check_manual_listing(reason, today, today).unwrap_err().field,
                "reason"
            );
        }
        assert!(check_manual_listing(ListingReason::Unreachable, today, today).is_ok());
        let future = check_manual_listing(ListingReason::LargeFine, d(2025, 6, 2), today);
        assert_eq!(future.unwrap_err().field, "decided_on");
    }

    #[test]
    fn notice_numbers_name_the_list_and_year_and_the_notice_says_how_to_leave() {
        assert_eq!(
            notice_number(CreditList::Abnormal, d(2024, 7, 1), 12),
            "皖社异〔2024〕第 12 号"
        );
        let text = notice_text(
            "某协会",
            "51340000MJ0000000X",
            ListingReason::AnnualReportMissing,
            d(2024, 7, 1),
            "N",
        );
        assert!(text.contains("活动异常名录") && text.contains("5 个工作日") && text.contains("异议"));
    }

    #[test]
    fn required_texts_name_their_field() {
        assert_eq!(
            check_text("rectification", "整改情况", "  ", 10)
                .unwrap_err()
                .field,
            "rectification"
        );
        assert_eq!(
            check_text("grounds", "异议理由", "太长了太长了", 3)
                .unwrap_err()
                .field,
            "grounds"
        );
        assert_eq!(check_text("grounds", "异议理由", " 有 ", 3).unwrap(), "有");
    }
}
