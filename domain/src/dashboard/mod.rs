//! 工作成效 — the year's figures, each computed from the records of the other modules, and the annual work
//! report (年度工作总结) written from them.
//!
//! A figure is named by a fixed key ([`FigureKey`], e.g. `supervision.dormant_identified`) that others may
//! rely on. Its definition — which records, which dates, which statuses — is written once here
//! ([`FigureKey::definition_zh`]); the server's query for it lists exactly those records, so that a
//! figure's drill-down always has as many rows as the figure counts. [`report`] turns a year's figures
//! into the report's Chinese sentences; nothing here holds a number of any year.

pub mod api;
pub mod report;

#[cfg(test)]
mod tests;

use crate::label::labelled_enum;
use crate::money::{Fen, group_thousands};

labelled_enum! {
    /// 领域 — the four areas of the year's work, in the order of the case study's results (四度四员).
    pub enum Area ("领域") keys_only {
        /// 党建 — raising the political 高度: the organizer (组织员).
        Party => "party", "党建工作", "Party building";
        /// 登记 — warmth of service: the clerk (办事员).
        Registration => "registration", "登记服务", "Registration";
        /// 监管 — force of enforcement: the administrator (管理员).
        Supervision => "supervision", "综合监管", "Supervision";
        /// 作用发挥 — effect: the liaison (联络员).
        Impact => "impact", "作用发挥", "Impact";
    }
}

labelled_enum! {
    /// 单位 — what a figure's value counts.
    pub enum Unit ("单位") keys_only {
        /// A number of records (organizations, cases, decisions …).
        Count => "count", "个", "count";
        /// A share in percent, rounded; the exact numerator and denominator travel with it.
        Percent => "percent", "%", "percent";
        /// An amount of money in fen.
        Fen => "fen", "元", "yuan";
    }
}

labelled_enum! {
    /// 指标 — every figure of the dashboard and the annual report, by its fixed key.
    pub enum FigureKey ("指标") keys_only {
        FunctionalBranchesApproved => "party.functional_branches_approved",
            "批准成立功能型党支部", "Functional party branches approved";
        EntityBranchesApproved => "party.entity_branches_approved",
            "批准成立实体性党支部", "Entity party branches approved";
        CoverageProvincial => "party.coverage_provincial",
            "省级社会组织党组织覆盖率", "Party coverage of provincial organizations";
        InstructorsLatestBatch => "party.instructors_latest_batch",
            "最新一批党建指导员", "Instructors of the latest batch";
        OrganizationsLatestBatch => "party.organizations_latest_batch",
            "最新一批指导员入驻社会组织", "Organizations the latest batch covers";
        InstructorsEvaluated => "party.instructors_evaluated",
            "考核党建指导员", "Instructors evaluated";
        InstructorsExcellent => "party.instructors_excellent",
            "考核优秀的党建指导员", "Instructors rated excellent";
        NewIndustryAssociations => "registration.new_industry_associations",
            "新成立行业协会商会", "New industry associations and chambers";
        NewEmergingProvincial => "registration.new_emerging_provincial",
            "其中省级十大新兴产业商协会", "Of which provincial, in the ten emerging industries";
        ProvincialMattersCompleted => "registration.provincial_matters_completed",
            "办结省级登记事项", "Provincial registration matters completed";
        ProvincialEstablishments => "registration.provincial_matters_completed.establishment",
            "其中成立登记", "Of which establishments";
        ProvincialChanges => "registration.provincial_matters_completed.change",
            "其中变更登记", "Of which changes";
        ProvincialReElections => "registration.provincial_matters_completed.reelection",
            "其中换届", "Of which board re-elections";
        ProvincialDeregistrations => "registration.provincial_matters_completed.deregistration",
            "其中注销登记", "Of which deregistrations";
        ProvincialFilings => "registration.provincial_matters_completed.filing",
            "其中备案", "Of which filings";
        ForProfitToNonprofit => "registration.for_profit_to_nonprofit",
            "营改非登记", "For-profit to non-profit registrations";
        IllegalPublished => "supervision.illegal_published",
            "公布涉嫌非法社会组织", "Suspected illegal organizations published";
        IllegalBatches => "supervision.illegal_batches",
            "公布批次", "Batches published";
        IllegalBanned => "supervision.illegal_banned",
            "依法取缔非法社会组织", "Illegal organizations banned";
        DormantIdentified => "supervision.dormant_identified",
            "梳理出僵尸型社会组织", "Dormant organizations identified";
        DormantRemediated => "supervision.dormant_remediated",
            "完成整治", "Dormant organizations remediated";
        DormantInRectification => "supervision.dormant_in_rectification",
            "正在整改", "Dormant organizations in rectification";
        FeeInspected => "supervision.fee_inspected",
            "抽查检查商协会", "Associations inspected for fees";
        FeeViolations => "supervision.fee_violations",
            "查处违法违规收费", "Fee violations punished";
        FeesStandardized => "supervision.fees_standardized",
            "规范会费收取", "Associations whose fees were standardized";
        FeeBurdenRemoved => "supervision.fee_burden_removed",
            "减轻会员企业负担", "Burden removed from member enterprises";
        FeeEnterprisesBenefited => "supervision.fee_enterprises_benefited",
            "惠及企业", "Enterprises benefited";
        AnnualMissingInterviewed => "supervision.annual_missing_interviewed",
            "未参加年检的省级社会组织集中约谈", "Provincial organizations missing the inspection interviewed";
        AnnualMissingPenalized => "supervision.annual_missing_penalized",
            "行政处罚或责令整改", "Of them penalized or ordered to rectify";
        AnnualMissingAudited => "supervision.annual_missing_audited",
            "抽查审计", "Of them audited";
        LicensingDecisions => "supervision.licensing_decisions",
            "省级行政许可", "Provincial licensing decisions";
        PenaltyDecisions => "supervision.penalty_decisions",
            "省级行政处罚", "Provincial penalty decisions";
        PublicationOnTime => "supervision.publication_on_time",
            "双公示按时报送率", "Decisions published on time";
        Expos => "impact.expos",
            "省级商协会参与或承办会展", "Expos hosted or joined by provincial associations";
        Investment => "impact.investment",
            "参与或协助招商引资", "Investment facilitated";
        RuralAidProvincial => "impact.rural_aid_provincial",
            "省级社会组织帮扶款物", "Rural aid by provincial organizations";
        ScholarshipStudents => "impact.scholarship_students",
            "资助考入本专科学生", "Students given scholarships";
        ScholarshipOrganizations => "impact.scholarship_organizations",
            "发放助学金的社会组织", "Organizations giving scholarships";
    }
}

impl FigureKey {
    /// The area the figure belongs to (its prefix).
    pub fn area(self) -> Area {
        let prefix = self.key().split('.').next().unwrap_or_default();
        Area::parse(prefix).expect("every figure key starts with its area")
    }

    pub fn unit(self) -> Unit {
        match self {
            FigureKey::CoverageProvincial | FigureKey::PublicationOnTime => Unit::Percent,
            FigureKey::FeeBurdenRemoved | FigureKey::Investment | FigureKey::RuralAidProvincial => Unit::Fen,
            _ => Unit::Count,
        }
    }

    /// The figure that this one is a part of (`其中…`), if any.
    pub fn part_of(self) -> Option<FigureKey> {
        match self {
            FigureKey::NewEmergingProvincial => Some(FigureKey::NewIndustryAssociations),
            FigureKey::ProvincialEstablishments
            | FigureKey::ProvincialChanges
            | FigureKey::ProvincialReElections
            | FigureKey::ProvincialDeregistrations
            | FigureKey::ProvincialFilings => Some(FigureKey::ProvincialMattersCompleted),
            FigureKey::InstructorsExcellent => Some(FigureKey::InstructorsEvaluated),
            FigureKey::DormantRemediated | FigureKey::DormantInRectification => {
                Some(FigureKey::DormantIdentified)
            }
            FigureKey::FeeViolations | FigureKey::FeesStandardized => Some(FigureKey::FeeInspected),
            _ => None,
        }
    }

    /// Which records the figure counts, on which dates, in which statuses — shown beside the figure and
    /// documented in `docs/API.md`. "The year" runs from 1 January to 31 December; "the city" is the
    /// dashboard's city filter, applied to the division the records are registered in.
    pub fn definition_zh(self) -> &'static str {
        match self {
            FigureKey::FunctionalBranchesApproved => {
                "省级社会组织当年获批准（审批日期在当年）的功能型党支部组建申请数"
            }
            FigureKey::EntityBranchesApproved => {
                "省级社会组织当年获批准（审批日期在当年）的实体性党支部组建申请数"
            }
            FigureKey::CoverageProvincial => {
                "年末前成立、现登记状态正常的省级社会组织中，按年末前生效的最新已确认党建信息，\
                 已建立党组织（实体性、联合或功能型党支部）的比例"
            }
            FigureKey::InstructorsLatestBatch => {
                "任期在年末前开始的最新一批党建指导员中，有入驻社会组织的指导员人数（按入驻组织所在地筛选城市）"
            }
            FigureKey::OrganizationsLatestBatch => "任期在年末前开始的最新一批党建指导员入驻的社会组织数",
            FigureKey::InstructorsEvaluated => {
                "考核日期在当年的党建指导员人数（一人多次考核计一人；按所考核批次入驻组织所在地筛选城市）"
            }
            FigureKey::InstructorsExcellent => "考核日期在当年、等次为优秀的党建指导员人数（一人计一次）",
            FigureKey::NewIndustryAssociations => {
                "成立日期在当年、分类含行业协会商会的社会组织数（各级，不论现登记状态）"
            }
            FigureKey::NewEmergingProvincial => "其中登记级别为省级、所属十大新兴产业之一的行业协会商会数",
            FigureKey::ProvincialMattersCompleted => {
                "省级登记机关当年办结（准予或不予登记，决定时间在当年）的成立、变更、换届、注销、备案事项数"
            }
            FigureKey::ProvincialEstablishments => "其中成立登记事项",
            FigureKey::ProvincialChanges => "其中变更登记事项",
            FigureKey::ProvincialReElections => "其中换届事项",
            FigureKey::ProvincialDeregistrations => "其中注销登记事项",
            FigureKey::ProvincialFilings => "其中备案事项",
            FigureKey::ForProfitToNonprofit => "当年准予登记的营改非事项数（各级）",
            FigureKey::IllegalPublished => {
                "公布日期在当年的涉嫌非法社会组织名单批次中列入的案件数（按案件登记的行政区划）"
            }
            FigureKey::IllegalBatches => {
                "公布日期在当年的涉嫌非法社会组织名单批次数（选择城市时，为列入该市案件的批次数）"
            }
            FigureKey::IllegalBanned => "取缔日期在当年、现为已取缔阶段的非法社会组织案件数",
            FigureKey::DormantIdentified => {
                "认定日期在当年、现处于已认定、约谈、整改、保留观察、注销或撤销阶段的僵尸型社会组织案件数（不含疑似和已排除；与处置统计相同）"
            }
            FigureKey::DormantRemediated => {
                "其中现已完成整治（整改后保留观察、已注销或已撤销登记）的案件数（按当前阶段）"
            }
            FigureKey::DormantInRectification => {
                "其中现仍处于已认定、约谈或限期整改阶段的案件数（按当前阶段）"
            }
            FigureKey::FeeInspected => {
                "年度为当年的抽查活动中已记录检查结果的检查数（每次活动每个商协会一条）"
            }
            FigureKey::FeeViolations => "其中有收费项目处理方式为查处（移送行政处罚）的检查数",
            FigureKey::FeesStandardized => "其中有收费项目被取消、降低、规范或公开的检查数",
            FigureKey::FeeBurdenRemoved => {
                "当年抽查活动已记录检查中取消或降低的收费项目每年减轻的会员负担合计（取消计全年收费额，降低计降低部分）"
            }
            FigureKey::FeeEnterprisesBenefited => {
                "当年抽查活动已记录检查中，每次检查取消或降低的收费项目的最多缴费企业数之和（同一协会的多项收费不重复计算企业）"
            }
            FigureKey::AnnualMissingInterviewed => {
                "上一年度年检未报送（截止时标记为未报送，含其后补报）的省级社会组织中，当年有约谈记录的组织数"
            }
            FigureKey::AnnualMissingPenalized => {
                "上一年度年检未报送的省级社会组织中，当年被责令限期整改或移送行政处罚的组织数"
            }
            FigureKey::AnnualMissingAudited => "上一年度年检未报送的省级社会组织中，当年被审计抽查的组织数",
            FigureKey::LicensingDecisions => "省级登记机关（安徽省民政厅）决定日期在当年的行政许可决定数",
            FigureKey::PenaltyDecisions => "省级登记机关决定日期在当年、已作出处罚决定的行政处罚案件数",
            FigureKey::PublicationOnTime => {
                "决定日期在当年的行政许可和行政处罚决定中，在公示期限内推送至信用平台的比例（分母为已公示或已过期限的决定，未到期限且未公示的不计；与双公示按时率相同）"
            }
            FigureKey::Expos => "省级社会组织当年已核实的会展记录数（主办或参展）",
            FigureKey::Investment => "省级社会组织当年已核实的招商引资额合计",
            FigureKey::RuralAidProvincial => "省级社会组织当年已核实的帮扶资金、帮扶物资、项目和消费帮扶合计",
            FigureKey::ScholarshipStudents => {
                "省级社会组织当年已核实的助学记录资助的学生人数（同一身份证号计一人）"
            }
            FigureKey::ScholarshipOrganizations => "当年有已核实助学记录的省级社会组织数",
        }
    }

    /// The definition in English, for the English interface.
    pub fn definition_en(self) -> &'static str {
        match self {
            FigureKey::FunctionalBranchesApproved => {
                "Applications of provincial organizations for functional party branches approved with a \
                 decision dated in the year"
            }
            FigureKey::EntityBranchesApproved => {
                "Applications of provincial organizations for entity party branches approved with a decision \
                 dated in the year"
            }
            FigureKey::CoverageProvincial => {
                "Share of provincial organizations founded by the year's end and in normal standing now whose \
                 latest confirmed party record effective by the year's end is a party organization (entity, \
                 joint or functional)"
            }
            FigureKey::InstructorsLatestBatch => {
                "Instructors with an organization assigned in the latest batch whose term started by the year's \
                 end (a city: by the organizations' division)"
            }
            FigureKey::OrganizationsLatestBatch => {
                "Organizations assigned in the latest batch whose term started by the year's end"
            }
            FigureKey::InstructorsEvaluated => {
                "Instructors with an evaluation dated in the year, each once (a city: by the organizations of \
                 the batch evaluated)"
            }
            FigureKey::InstructorsExcellent => {
                "Instructors rated excellent in an evaluation dated in the year, each once"
            }
            FigureKey::NewIndustryAssociations => {
                "Organizations founded in the year tagged as industry associations or chambers (all levels, \
                 whatever their standing now)"
            }
            FigureKey::NewEmergingProvincial => {
                "Of them, provincial associations in one of the ten emerging industries"
            }
            FigureKey::ProvincialMattersCompleted => {
                "Establishment, change, re-election, deregistration and filing matters of the provincial \
                 authority decided (approved or rejected) in the year"
            }
            FigureKey::ProvincialEstablishments => "Of them, establishments",
            FigureKey::ProvincialChanges => "Of them, changes",
            FigureKey::ProvincialReElections => "Of them, board re-elections",
            FigureKey::ProvincialDeregistrations => "Of them, deregistrations",
            FigureKey::ProvincialFilings => "Of them, filings",
            FigureKey::ForProfitToNonprofit => {
                "For-profit to non-profit matters approved in the year (all levels)"
            }
            FigureKey::IllegalPublished => {
                "Cases named in the batches of suspected illegal organizations published in the year (by the \
                 case's division)"
            }
            FigureKey::IllegalBatches => {
                "Batches of the suspected illegal organizations list published in the year (for a city, those \
                 naming a case of the city)"
            }
            FigureKey::IllegalBanned => "Illegal-organization cases banned by a decision dated in the year",
            FigureKey::DormantIdentified => {
                "Dormant-organization cases confirmed in the year and now confirmed, interviewed, rectifying, \
                 under observation, deregistered or revoked (not candidates or dismissed; as the case counts)"
            }
            FigureKey::DormantRemediated => {
                "Of them, remediated now (rectified and under observation, deregistered or revoked)"
            }
            FigureKey::DormantInRectification => "Of them, now still confirmed, interviewed or rectifying",
            FigureKey::FeeInspected => {
                "Inspections recorded in the fee campaigns of the year (one per association and campaign)"
            }
            FigureKey::FeeViolations => "Of them, with a fee item referred for a penalty (investigate)",
            FigureKey::FeesStandardized => {
                "Of them, with a fee item cancelled, reduced, standardized or published"
            }
            FigureKey::FeeBurdenRemoved => {
                "Yearly burden removed by the fee items cancelled (the whole income) or reduced (the part \
                 above the new standard) in the inspections of the year's campaigns"
            }
            FigureKey::FeeEnterprisesBenefited => {
                "Sum over the inspections of the year's campaigns of the most payers of any fee item cancelled \
                 or reduced (an association's several fees are paid by the same enterprises)"
            }
            FigureKey::AnnualMissingInterviewed => {
                "Provincial organizations whose previous year's report was marked not filed at the deadline \
                 (even if sent late), interviewed in the year"
            }
            FigureKey::AnnualMissingPenalized => {
                "Provincial organizations that missed the previous year's report, ordered to rectify or \
                 referred for a penalty in the year"
            }
            FigureKey::AnnualMissingAudited => {
                "Provincial organizations that missed the previous year's report, selected for audit in the year"
            }
            FigureKey::LicensingDecisions => {
                "Licensing decisions of the provincial authority (the province's civil affairs department) \
                 dated in the year"
            }
            FigureKey::PenaltyDecisions => "Penalty cases of the provincial authority decided in the year",
            FigureKey::PublicationOnTime => {
                "Share of the licensing and penalty decisions dated in the year pushed to the credit platform by \
                 their due day, over those published or past their due day (as the on-time rate counts them)"
            }
            FigureKey::Expos => {
                "Verified expo entries of provincial organizations in the year (hosted or joined)"
            }
            FigureKey::Investment => {
                "Verified investment facilitated by provincial organizations in the year"
            }
            FigureKey::RuralAidProvincial => {
                "Verified rural-aid funds, goods, projects and consumption assistance of provincial \
                 organizations in the year"
            }
            FigureKey::ScholarshipStudents => {
                "Students (one per ID number) funded by verified scholarship entries of provincial organizations in the year"
            }
            FigureKey::ScholarshipOrganizations => {
                "Provincial organizations with a verified scholarship entry in the year"
            }
        }
    }

    /// The figures of an area, in the order the dashboard and the report show them.
    pub fn of_area(area: Area) -> impl Iterator<Item = FigureKey> {
        FigureKey::ALL.into_iter().filter(move |key| key.area() == area)
    }

    /// Whether the public page shows the figure: aggregates that name no one, the year's headlines.
    pub fn is_public_headline(self) -> bool {
        !matches!(
            self,
            FigureKey::AnnualMissingInterviewed
                | FigureKey::AnnualMissingPenalized
                | FigureKey::AnnualMissingAudited
                | FigureKey::InstructorsEvaluated
                | FigureKey::InstructorsExcellent
        )
    }
}

/// A percentage rounded to a whole number, as the report says it; zero of zero is none.
pub fn percent(numerator: i64, denominator: i64) -> Option<i64> {
    (denominator > 0).then(|| (numerator * 100 + denominator / 2) / denominator)
}

impl Unit {
    /// A value as people read it: `3,491`, `55%`, `1.50亿元`; a share of nothing is a dash.
    pub fn show(self, value: i64, denominator: Option<i64>) -> String {
        match self {
            Unit::Count if value < 0 => format!("-{}", group_thousands(value.unsigned_abs())),
            Unit::Count => group_thousands(value.unsigned_abs()),
            Unit::Percent if denominator == Some(0) => "—".to_owned(),
            Unit::Percent => format!("{value}%"),
            Unit::Fen => Fen::new(value).format_wan_yi(),
        }
    }
}

/// The change from `previous` to `value` in percent, rounded; none when there was nothing before.
pub fn change_percent(value: i64, previous: i64) -> Option<i64> {
    (previous > 0).then(|| {
        let delta = (value - previous) * 100;
        let half = previous / 2;
        if delta >= 0 {
            (delta + half) / previous
        } else {
            (delta - half) / previous
        }
    })
}
