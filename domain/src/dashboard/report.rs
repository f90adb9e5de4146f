//! 年度工作总结 — the annual work report, written from a year's figures in the case study's structure: the
//! four areas of the 四度四员 brand, each a paragraph of sentences that cite the figures.
//!
//! Every number in a sentence is a figure's value; the sentences change with the records, never the other
//! way round.

use std::collections::BTreeMap;

use crate::dashboard::api::{Figure, WorkReport, WorkReportSection};
use crate::dashboard::{Area, FigureKey, change_percent};
use crate::money::Fen;

/// The numbering of the sections: （一） to （四）.
const NUMERALS: [&str; 4] = ["一", "二", "三", "四"];

impl Area {
    /// The report's heading for the area, after its number.
    pub fn report_heading(self) -> &'static str {
        match self {
            Area::Party => "党建引领，当好党建工作“组织员”",
            Area::Registration => "优化服务，当好真心为民“办事员”",
            Area::Supervision => "依法监管，当好社会组织“管理员”",
            Area::Impact => "服务大局，当好政社合作“联络员”",
        }
    }

    /// The brand line of the area (四度).
    pub fn motto(self) -> &'static str {
        match self {
            Area::Party => "提升政治“高度”",
            Area::Registration => "提升服务“温度”",
            Area::Supervision => "提升执法“力度”",
            Area::Impact => "提升组织“效度”",
        }
    }
}

/// The figures of a year, by key, for writing sentences.
struct Values<'a> {
    by_key: BTreeMap<FigureKey, &'a Figure>,
}

impl Values<'_> {
    fn value(&self, key: FigureKey) -> i64 {
        self.by_key.get(&key).map_or(0, |f| f.value)
    }

    fn previous(&self, key: FigureKey) -> i64 {
        self.by_key.get(&key).map_or(0, |f| f.previous)
    }

    fn money(&self, key: FigureKey) -> String {
        Fen::new(self.value(key)).format_wan_yi()
    }

    /// `，同比增长20%` / `，同比下降5%` / nothing when the year before had none.
    fn change(&self, key: FigureKey) -> String {
        match change_percent(self.value(key), self.previous(key)) {
            Some(p) if p > 0 => format!("，同比增长{p}%"),
            Some(p) if p < 0 => format!("，同比下降{}%", -p),
            Some(_) => "，与上年持平".to_owned(),
            None => String::new(),
        }
    }

    fn percent(&self, key: FigureKey) -> String {
        match self.by_key.get(&key) {
            Some(f) if f.denominator.unwrap_or(0) > 0 => format!("{}%", f.value),
            _ => "—（无可计算的记录）".to_owned(),
        }
    }
}

/// Writes the report of `year` for `place` (安徽省, or a city's name when `city` limits the figures).
pub fn annual_report(year: i32, city: Option<String>, place: &str, figures: &[Figure]) -> WorkReport {
    let values = Values {
        by_key: figures.iter().map(|f| (f.key, f)).collect(),
    };
    let scope = if city.is_some() { "全市" } else { "全省" };
    let sections = Area::ALL
        .into_iter()
        .zip(NUMERALS)
        .map(|(area, numeral)| WorkReportSection {
            area,
            heading: format!("（{numeral}）{}", area.report_heading()),
            motto: area.motto().to_owned(),
            sentences: sentences(area, year, scope, &values),
            figures: FigureKey::of_area(area).collect(),
        })
        .collect();
    WorkReport {
        year,
        title: format!("{place}{year}年度社会组织管理工作总结"),
        summary: format!(
            "{year}年，{place}社会组织登记管理机关以“四度、四员”党建品牌为引领，提升政治“高度”、服务“温度”、\
             执法“力度”和组织“效度”，各项工作取得如下成效（以下数据均由系统按业务记录自动统计）。"
        ),
        city,
        place: place.to_owned(),
        sections,
    }
}

fn sentences(area: Area, year: i32, scope: &str, v: &Values) -> Vec<String> {
    use FigureKey::*;
    match area {
        Area::Party => vec![
            format!(
                "{year}年，批准{}家社会组织成立功能型党支部、{}家社会组织成立实体性党支部，\
                 省级社会组织党组织覆盖率为{}。",
                v.value(FunctionalBranchesApproved),
                v.value(EntityBranchesApproved),
                v.percent(CoverageProvincial),
            ),
            format!(
                "最新一批党建指导员{}名，已入驻{}家社会组织。",
                v.value(InstructorsLatestBatch),
                v.value(OrganizationsLatestBatch),
            ),
            format!(
                "全年考核党建指导员{}名，其中{}名获优秀等次。",
                v.value(InstructorsEvaluated),
                v.value(InstructorsExcellent),
            ),
        ],
        Area::Registration => vec![
            format!(
                "{year}年，{scope}新成立行业协会商会{}家，其中省级涉及十大新兴产业{}家。",
                v.value(NewIndustryAssociations),
                v.value(NewEmergingProvincial),
            ),
            format!(
                "办结省级社会组织成立、换届、变更、注销、备案等{}项，其中成立登记{}项、变更登记{}项、换届{}项、\
                 注销登记{}项、备案{}项。",
                v.value(ProvincialMattersCompleted),
                v.value(ProvincialEstablishments),
                v.value(ProvincialChanges),
                v.value(ProvincialReElections),
                v.value(ProvincialDeregistrations),
                v.value(ProvincialFilings),
            ),
            format!(
                "{scope}共有{}家营利性校外培训机构落实“营改非”登记。",
                v.value(ForProfitToNonprofit)
            ),
        ],
        Area::Supervision => vec![
            format!(
                "分{}批向社会公布了{}家涉嫌非法社会组织名单，依法取缔{}家。",
                v.value(IllegalBatches),
                v.value(IllegalPublished),
                v.value(IllegalBanned),
            ),
            format!(
                "{scope}梳理出{}家“僵尸型”社会组织，完成整治{}家，正在整改{}家。",
                v.value(DormantIdentified),
                v.value(DormantRemediated),
                v.value(DormantInRectification),
            ),
            format!(
                "{scope}共抽查检查商协会{}家，查处违法违规收费{}家，规范会费收取{}家，\
                 减轻会员企业负担{}，惠及企业{}家。",
                v.value(FeeInspected),
                v.value(FeeViolations),
                v.value(FeesStandardized),
                v.money(FeeBurdenRemoved),
                v.value(FeeEnterprisesBenefited),
            ),
            format!(
                "对未参加{}年度检查的{}家省级社会组织进行集中约谈，对{}家进行行政处罚或要求整改，对{}家进行抽查审计。",
                year - 1,
                v.value(AnnualMissingInterviewed),
                v.value(AnnualMissingPenalized),
                v.value(AnnualMissingAudited),
            ),
            format!(
                "省级共完成{}件行政许可、{}件行政处罚事项，按时推送至信用平台的比例为{}。",
                v.value(LicensingDecisions),
                v.value(PenaltyDecisions),
                v.percent(PublicationOnTime),
            ),
        ],
        Area::Impact => vec![
            format!(
                "{year}年，省级商协会参与或承办会展活动{}场次，参与或协助招商引资{}{}。",
                v.value(Expos),
                v.money(Investment),
                v.change(Investment),
            ),
            format!(
                "省级社会组织助力乡村振兴投入帮扶款物{}。",
                v.money(RuralAidProvincial)
            ),
            format!(
                "{}家社会组织为{}名考入全日制本科、专科的学生发放助学金。",
                v.value(ScholarshipOrganizations),
                v.value(ScholarshipStudents),
            ),
        ],
    }
}
