//! How the national registry's organizations are named and classified, as real ones are: a place, then a
//! field of work and an organizational form (河北省书法家协会), a brand for social service institutions
//! (永宁市清河县阳光养老服务中心), and in most counties the same handful of bodies (慈善协会, 老年体育协会,
//! 个体劳动者协会 …), so that the same words recur all over the registry as they do in real searches.

use domain::registry::organization::{Category, Classification, EmergingIndustry, OrgKind};

use crate::random::Dice;

/// What a field of work makes of a social group's categories.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sector {
    /// A trade: its 协会 and 商会 are industry associations (with the emerging industry, if one).
    Trade(Option<&'static str>),
    Science,
    Charity,
    Community,
    Culture,
}

const GROUP_FIELDS: [(&str, Sector); 56] = [
    ("养老服务", Sector::Community),
    ("社区服务", Sector::Community),
    ("志愿服务", Sector::Charity),
    ("慈善", Sector::Charity),
    ("青少年发展", Sector::Charity),
    ("残疾人康复", Sector::Charity),
    ("妇女儿童发展", Sector::Charity),
    ("家庭教育", Sector::Community),
    ("心理健康", Sector::Community),
    ("法律服务", Sector::Community),
    ("消费者权益保护", Sector::Community),
    ("书法家", Sector::Culture),
    ("美术家", Sector::Culture),
    ("摄影家", Sector::Culture),
    ("作家", Sector::Culture),
    ("音乐家", Sector::Culture),
    ("围棋", Sector::Culture),
    ("象棋", Sector::Culture),
    ("太极拳", Sector::Culture),
    ("篮球", Sector::Culture),
    ("足球", Sector::Culture),
    ("老年体育", Sector::Culture),
    ("诗词", Sector::Culture),
    ("收藏家", Sector::Culture),
    ("历史", Sector::Science),
    ("地方志", Sector::Science),
    ("农学", Sector::Science),
    ("医学", Sector::Science),
    ("中医药", Sector::Science),
    ("计算机", Sector::Science),
    ("数学", Sector::Science),
    ("教育", Sector::Science),
    ("茶叶", Sector::Trade(Some("green_food"))),
    ("绿色食品", Sector::Trade(Some("green_food"))),
    ("粮食行业", Sector::Trade(Some("green_food"))),
    ("人工智能", Sector::Trade(Some("artificial_intelligence"))),
    ("软件行业", Sector::Trade(Some("next_generation_it"))),
    ("集成电路", Sector::Trade(Some("next_generation_it"))),
    ("新材料", Sector::Trade(Some("new_materials"))),
    ("光伏行业", Sector::Trade(Some("new_energy"))),
    ("节能环保", Sector::Trade(Some("new_energy"))),
    ("新能源汽车", Sector::Trade(Some("intelligent_vehicles"))),
    ("机器人", Sector::Trade(Some("high_end_equipment"))),
    ("家用电器", Sector::Trade(Some("smart_appliances"))),
    ("生物医药", Sector::Trade(Some("life_and_health"))),
    ("医疗器械", Sector::Trade(Some("life_and_health"))),
    ("动漫游戏", Sector::Trade(Some("digital_creativity"))),
    ("建筑业", Sector::Trade(None)),
    ("物流业", Sector::Trade(None)),
    ("旅游业", Sector::Trade(None)),
    ("餐饮业", Sector::Trade(None)),
    ("电子商务", Sector::Trade(None)),
    ("房地产业", Sector::Trade(None)),
    ("家政服务业", Sector::Trade(None)),
    ("民营企业", Sector::Trade(None)),
    ("个体私营经济", Sector::Trade(None)),
];

/// A group's form, and whether it suits a trade, a learned society or anything.
const GROUP_FORMS: [(&str, u8); 7] = [
    ("协会", 0),
    ("协会", 0),
    ("商会", 1),
    ("学会", 2),
    ("研究会", 2),
    ("促进会", 0),
    ("联合会", 0),
];

const QUALIFIERS: [&str; 7] = ["青年", "老年", "女性", "退役军人", "大学生", "个体", "新联"];

/// Social service institutions: what they do and their category.
const SERVICES: [(&str, &str); 24] = [
    ("养老服务中心", "community_service"),
    ("居家养老服务中心", "community_service"),
    ("社会工作服务中心", "community_service"),
    ("社区服务中心", "community_service"),
    ("家庭服务中心", "community_service"),
    ("青少年活动中心", "community_service"),
    ("残疾人托养服务中心", "community_service,charity"),
    ("公益服务中心", "charity"),
    ("慈善服务中心", "charity"),
    ("志愿服务社", "charity"),
    ("社区志愿服务社", "charity,community_service"),
    ("职业培训学校", "other"),
    ("艺术培训学校", "other"),
    ("外国语学校", "other"),
    ("实验学校", "other"),
    ("康复医院", "other"),
    ("中医医院", "other"),
    ("口腔医院", "other"),
    ("心理咨询服务中心", "other"),
    ("产业技术研究院", "science"),
    ("科技服务中心", "science"),
    ("文化传播中心", "other"),
    ("体育健身中心", "other"),
    ("儿童早期发展中心", "community_service"),
];

const BRANDS: [&str; 64] = [
    "阳光",
    "启明",
    "博爱",
    "明德",
    "同心",
    "春晖",
    "蓝天",
    "爱心",
    "晨曦",
    "育才",
    "新华",
    "红星",
    "康宁",
    "福寿",
    "怡和",
    "仁爱",
    "善德",
    "长青",
    "夕阳红",
    "春雨",
    "彩虹",
    "星火",
    "向阳",
    "和谐",
    "安康",
    "慈航",
    "德馨",
    "惠民",
    "乐龄",
    "益童",
    "雏鹰",
    "英才",
    "博雅",
    "致远",
    "新星",
    "华夏",
    "东方",
    "正阳",
    "远航",
    "青禾",
    "知行",
    "翰林",
    "文博",
    "启航",
    "百合",
    "绿洲",
    "天使",
    "心连心",
    "手拉手",
    "馨园",
    "颐养",
    "康乐",
    "同济",
    "仁和",
    "济民",
    "众益",
    "汇爱",
    "晨光",
    "朝阳",
    "金色年华",
    "幸福里",
    "银龄",
    "守望",
    "暖阳",
];

const FOUNDATION_FIELDS: [&str; 12] = [
    "慈善",
    "教育",
    "青少年发展",
    "扶贫济困",
    "见义勇为",
    "乡村振兴",
    "文化发展",
    "助学",
    "医疗救助",
    "残疾人福利",
    "老龄事业发展",
    "生态环境保护",
];

/// Bodies most counties, cities and provinces have one of, with their form and kind.
const STANDARD: [(&str, OrgKind, &str); 12] = [
    ("慈善协会", OrgKind::SocialGroup, "charity"),
    ("老年体育协会", OrgKind::SocialGroup, "other"),
    ("个体劳动者协会", OrgKind::SocialGroup, "industry_association"),
    ("书法家协会", OrgKind::SocialGroup, "other"),
    ("摄影家协会", OrgKind::SocialGroup, "other"),
    ("企业家协会", OrgKind::SocialGroup, "industry_association"),
    ("青年企业家协会", OrgKind::SocialGroup, "industry_association"),
    ("老科学技术工作者协会", OrgKind::SocialGroup, "science"),
    ("计划生育协会", OrgKind::SocialGroup, "community_service"),
    ("残疾人福利基金会", OrgKind::Foundation, "charity"),
    ("教育发展基金会", OrgKind::Foundation, "charity"),
    ("社会组织服务中心", OrgKind::SocialService, "community_service"),
];

/// A name and classification made up for an organization.
pub struct Naming {
    pub name: String,
    pub kind: OrgKind,
    /// Comma-joined category keys.
    pub categories: String,
    pub emerging_industry: Option<&'static str>,
    /// What the business scope says it works in.
    pub field: String,
}

/// The standard bodies of a division: each with probability `share`.
pub fn standard(dice: &mut Dice, prefix: &str, share: f64) -> Vec<Naming> {
    STANDARD
        .iter()
        .filter(|_| dice.chance(share))
        .map(|(what, kind, categories)| Naming {
            name: format!("{prefix}{what}"),
            kind: *kind,
            categories: (*categories).to_owned(),
            emerging_industry: None,
            field: what
                .trim_end_matches("协会")
                .trim_end_matches("基金会")
                .to_owned(),
        })
        .collect()
}

/// One organization of `kind` in the place named `prefix`.
pub fn invent(dice: &mut Dice, prefix: &str, kind: OrgKind) -> Naming {
    match kind {
        OrgKind::SocialGroup => group(dice, prefix),
        OrgKind::SocialService => {
            let (service, categories) = *dice.pick(&SERVICES);
            Naming {
                name: format!("{prefix}{}{service}", dice.pick(&BRANDS)),
                kind,
                categories: categories.to_owned(),
                emerging_industry: None,
                field: service.to_owned(),
            }
        }
        OrgKind::Foundation => {
            let field = *dice.pick(&FOUNDATION_FIELDS);
            let brand = if dice.chance(0.5) { *dice.pick(&BRANDS) } else { "" };
            Naming {
                name: format!("{prefix}{brand}{field}基金会"),
                kind,
                categories: "charity".to_owned(),
                emerging_industry: None,
                field: field.to_owned(),
            }
        }
    }
}

fn group(dice: &mut Dice, prefix: &str) -> Naming {
    let (field, sector) = *dice.pick(&GROUP_FIELDS);
    let trade = matches!(sector, Sector::Trade(_));
    let suitable: Vec<&str> = GROUP_FORMS
        .iter()
        .filter(|(_, fits)| match fits {
            1 => trade,
            2 => matches!(sector, Sector::Science | Sector::Culture),
            _ => true,
        })
        .map(|(form, _)| *form)
        .collect();
    let form = *dice.pick(&suitable);
    let qualifier = if !trade && dice.chance(0.12) {
        *dice.pick(&QUALIFIERS)
    } else {
        ""
    };
    let (categories, emerging_industry) = match sector {
        Sector::Trade(industry) if matches!(form, "协会" | "商会") => ("industry_association", industry),
        Sector::Trade(_) | Sector::Culture => ("other", None),
        Sector::Science => ("science", None),
        Sector::Charity => ("charity", None),
        Sector::Community => ("community_service", None),
    };
    // A learned society of a cultural field is 学会 or 研究会 of it: science.
    let categories = if matches!(form, "学会" | "研究会") {
        "science"
    } else {
        categories
    };
    Naming {
        name: format!("{prefix}{qualifier}{field}{form}"),
        kind: OrgKind::SocialGroup,
        categories: categories.to_owned(),
        emerging_industry,
        field: field.to_owned(),
    }
}

/// Whether the registry's own rules accept this classification (every generated one must).
pub fn is_valid(naming: &Naming) -> bool {
    let categories: Option<Vec<Category>> = naming
        .categories
        .split(',')
        .map(|c| Category::parse(c).ok())
        .collect();
    let industry = match naming.emerging_industry {
        None => Some(None),
        Some(key) => EmergingIndustry::parse(key).ok().map(Some),
    };
    match (categories, industry) {
        (Some(categories), Some(industry)) => Classification::new(naming.kind, categories, industry).is_ok(),
        _ => false,
    }
}

/// The name a change (更名) gives: 事业 put before the form (…体育事业协会), and taken out again by the next
/// change, so that repeated runs rename the same organizations back and forth. No generated name holds it.
pub fn renamed(name: &str) -> String {
    const MARK: &str = "事业";
    let form = domain::registry::registration::NAME_SUFFIXES
        .iter()
        .filter(|s| name.ends_with(*s))
        .max_by_key(|s| s.len())
        .copied()
        .unwrap_or("");
    let stem = &name[..name.len() - form.len()];
    match stem.strip_suffix(MARK) {
        Some(original) => format!("{original}{form}"),
        None => format!("{stem}{MARK}{form}"),
    }
}

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN: &str =
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌宇浩然晨阳思雨欣怡子涵梓轩";
const STREETS: [&str; 12] = [
    "人民路",
    "解放路",
    "建设路",
    "中山路",
    "文化路",
    "和平路",
    "长江路",
    "黄河路",
    "迎宾大道",
    "新华街",
    "朝阳路",
    "光明街",
];

/// A person's name: 王伟, 李思雨.
pub fn person(dice: &mut Dice) -> String {
    let mut name = String::new();
    name.push(dice.char_of(SURNAMES));
    name.push(dice.char_of(GIVEN));
    if dice.below(3) > 0 {
        name.push(dice.char_of(GIVEN));
    }
    name
}

/// An address in the place.
pub fn domicile(dice: &mut Dice, prefix: &str) -> String {
    format!("{prefix}{}{}号", dice.pick(&STREETS), 1 + dice.below(400))
}
