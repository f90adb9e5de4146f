use domain::registry::organization::{Category, OrgKind, OrgStatus};

use super::*;

fn entry(id: i64, name: &str, division: &str, founded: Option<&str>) -> Row {
    Row {
        id,
        name: name.to_owned(),
        credit_code: format!("51340000MJ{id:07}X"),
        kind: "social_group".to_owned(),
        level: "county".to_owned(),
        status: "normal".to_owned(),
        division_code: division.to_owned(),
        categories: "industry_association,other".to_owned(),
        emerging_industry: None,
        credit_list: None,
        founded_on: founded.map(|d| d.parse().unwrap()),
    }
}

fn snapshot() -> Snapshot {
    let mut foundation = entry(4, "安徽省ABC慈善基金会", "340000", None);
    foundation.kind = "foundation".to_owned();
    foundation.categories = "charity".to_owned();
    foundation.credit_list = Some("abnormal".to_owned());
    Snapshot::build(
        7,
        vec![
            entry(1, "合肥市蜀山区养老服务协会", "340104", Some("2010-05-01")),
            entry(2, "合肥市包河区养老服务中心", "340111", Some("2008-01-01")),
            entry(3, "芜湖市围棋协会", "340200", Some("2015-03-02")),
            foundation,
        ],
    )
}

#[test]
fn a_search_counts_every_match_and_pages_in_order() {
    let s = snapshot();
    let filter = OrgFilter {
        q: Some("养老".to_owned()),
        ..OrgFilter::default()
    };
    let all = Visibility::All;
    assert_eq!(
        s.select(&all, &filter, OrgSort::Name, false, 0, 20),
        (vec![2, 1], 2)
    );
    assert_eq!(s.select(&all, &filter, OrgSort::Name, true, 0, 1), (vec![1], 2));
    assert_eq!(s.select(&all, &filter, OrgSort::Name, false, 1, 20), (vec![1], 2));
    assert_eq!(
        s.select(&all, &filter, OrgSort::FoundedOn, false, 0, 20),
        (vec![2, 1], 2)
    );
}

#[test]
fn names_match_latin_letters_in_any_case_and_codes_in_part_or_whole() {
    let s = snapshot();
    let all = Visibility::All;
    let q = |q: &str| OrgFilter {
        q: Some(q.to_owned()),
        ..OrgFilter::default()
    };
    assert_eq!(s.select(&all, &q("abc"), OrgSort::Name, false, 0, 20).0, vec![4]);
    assert_eq!(
        s.select(&all, &q("mj0000003"), OrgSort::Name, false, 0, 20).0,
        vec![3]
    );
    assert_eq!(s.lookup("abc慈善", 10), vec![4]);
    assert!(s.lookup("不存在的名称", 10).is_empty());
}

#[test]
fn a_search_never_matches_across_two_names() {
    let s = snapshot();
    // "…协会" then "合肥市…" lie end to end in the buffer; the needle would straddle them.
    assert_eq!(s.search("协会合肥").count(), 0);
    assert_eq!(s.search("会\n合").count(), 0);
    assert_eq!(s.search("围棋协会").count(), 1);
}

#[test]
fn scope_and_filters_narrow_the_list() {
    let s = snapshot();
    let hefei = Visibility::Division("3401".to_owned());
    assert_eq!(
        s.select(&hefei, &OrgFilter::default(), OrgSort::Name, false, 0, 20)
            .1,
        2
    );
    let county = OrgFilter {
        division_pattern: Some("340104".to_owned()),
        ..OrgFilter::default()
    };
    assert_eq!(
        s.select(&Visibility::All, &county, OrgSort::Name, false, 0, 20).0,
        vec![1]
    );
    let foundations = OrgFilter {
        kind: Some(OrgKind::Foundation),
        category: Some(Category::parse("charity").unwrap()),
        credit_list: Some("abnormal".to_owned()),
        status: Some(OrgStatus::parse("normal").unwrap()),
        ..OrgFilter::default()
    };
    assert_eq!(
        s.select(&Visibility::All, &foundations, OrgSort::Name, false, 0, 20)
            .0,
        vec![4]
    );
    let clean = OrgFilter {
        credit_list: Some("none".to_owned()),
        ..OrgFilter::default()
    };
    assert_eq!(
        s.select(&Visibility::All, &clean, OrgSort::Name, false, 0, 20).1,
        3
    );
    let one = Visibility::Organizations(vec![3]);
    assert_eq!(
        s.select(&one, &OrgFilter::default(), OrgSort::Name, false, 0, 20)
            .0,
        vec![3]
    );
    // An instructor's assigned organizations, in any order; none assigned sees nothing.
    let assigned = Visibility::Organizations(vec![4, 1]);
    assert_eq!(
        s.select(&assigned, &OrgFilter::default(), OrgSort::Name, false, 0, 20)
            .0,
        vec![1, 4]
    );
    let none = Visibility::Organizations(Vec::new());
    assert_eq!(
        s.select(&none, &OrgFilter::default(), OrgSort::Name, false, 0, 20),
        (Vec::new(), 0)
    );
}

/// Every query the tests ask, in every order and direction, so that two indexes can be compared whole.
fn answers(s: &Snapshot) -> Vec<(Vec<i64>, u64)> {
    // Two characters: their one pair; three: candidates by their pairs, each checked; one: a pass.
    let searches = ["协会", "协会3", "棋"].map(|q| OrgFilter {
        q: Some(q.to_owned()),
        ..OrgFilter::default()
    });
    let others = [
        OrgFilter {
            division_pattern: Some("3401%".to_owned()),
            ..OrgFilter::default()
        },
        OrgFilter {
            credit_list: Some("abnormal".to_owned()),
            ..OrgFilter::default()
        },
    ];
    let filters = std::iter::once(OrgFilter::default())
        .chain(searches)
        .chain(others);
    let mut all = Vec::new();
    for filter in filters {
        for sort in [OrgSort::Name, OrgSort::FoundedOn, OrgSort::CreditCode] {
            for descending in [false, true] {
                all.push(s.select(&Visibility::All, &filter, sort, descending, 0, 1_000));
            }
        }
    }
    all.push((s.lookup("协会", 1_000), 0));
    all
}

/// A deterministic row for organization `id` in its `version`th state.
fn row(id: i64, version: u64) -> Row {
    let v = version as usize;
    let names = [
        "养老服务协会",
        "围棋协会",
        "慈善基金会",
        "书画研究会",
        "Youth Football Club",
    ];
    let cities = ["340104", "340111", "340200", "341502"];
    let mut r = entry(
        id,
        &format!("{}{}", names[(id as usize + v) % names.len()], id % 7),
        cities[(id as usize * 3 + v) % cities.len()],
        Some(&format!(
            "20{:02}-0{}-1{}",
            10 + (id + version as i64) % 15,
            1 + id % 9,
            id % 10
        )),
    );
    r.credit_list = match (id as usize + v) % 5 {
        0 => Some("abnormal".to_owned()),
        1 => Some("serious".to_owned()),
        _ => None,
    };
    r
}

#[test]
fn a_few_matches_sorted_and_many_walked_come_in_the_same_order() {
    // Dead entries too: organizations changed, so that their old names stay behind, unlisted.
    let mut s = Snapshot::build(1, (1..=6_000).map(|id| row(id, 0)));
    s.apply(
        2,
        &(1..=600).collect::<Vec<_>>(),
        (1..=600).map(|id| row(id, 1)).collect(),
    );
    let Found::Few(found) = s.search("围棋") else {
        panic!("few are found");
    };
    assert!((100..=SORTED_AT_MOST).contains(&found.len()), "{}", found.len());
    // Many are marked, not listed; the search pages through them as through a list of its own.
    let Found::Many(_) = s.search("会") else {
        panic!("many are found");
    };
    let mut expected: Vec<(&str, i64)> = (0..s.entries.len())
        .filter(|&i| s.entries[i].live && s.names.get(i).contains('会'))
        .map(|i| (s.names.get(i), s.entries[i].id))
        .collect();
    expected.sort_unstable();
    let filter = OrgFilter {
        q: Some("会".to_owned()),
        ..OrgFilter::default()
    };
    let (ids, total) = s.select(&Visibility::All, &filter, OrgSort::Name, false, 40, 30);
    assert_eq!(total as usize, expected.len());
    assert!(expected.len() > SORTED_AT_MOST);
    let expected: Vec<i64> = expected[40..70].iter().map(|&(_, id)| id).collect();
    assert_eq!(ids, expected);
    let live: Vec<u32> = found
        .into_iter()
        .filter(|&i| s.entries[i as usize].live)
        .collect();
    for sort in [OrgSort::Name, OrgSort::FoundedOn, OrgSort::CreditCode] {
        for descending in [false, true] {
            for (offset, limit) in [(0, 20), (37, 20), (live.len() - 3, 20), (live.len(), 20), (0, 0)] {
                let mut marks = Marks::new(s.entries.len());
                live.iter().for_each(|&i| marks.set(i as usize));
                let walked = s.page(
                    Matched::Marked(marks, live.len() as u64),
                    sort,
                    descending,
                    offset,
                    limit,
                );
                let sorted = s.page(Matched::Listed(live.clone()), sort, descending, offset, limit);
                assert_eq!(sorted, walked, "{sort:?} descending {descending} from {offset}");
            }
        }
    }
}

#[test]
fn an_index_patched_change_by_change_answers_as_one_built_afresh() {
    // A small generator, so that the sequence of changes is the same on every run.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |below: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let mut truth: std::collections::BTreeMap<i64, u64> = (1..=300).map(|id| (id, 0)).collect();
    let mut patched = Snapshot::build(1, truth.keys().map(|&id| row(id, 0)));
    for generation in 2..400 {
        // Changes, additions and removals, a few at a time, sometimes the same organization twice.
        let changed: Vec<i64> = (0..1 + next(4)).map(|_| 1 + next(340) as i64).collect();
        for &id in &changed {
            if next(6) == 0 {
                truth.remove(&id);
            } else {
                *truth.entry(id).or_default() += 1;
            }
        }
        let rows = changed
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .filter_map(|id| truth.get(id).map(|&version| row(*id, version)))
            .collect();
        patched.apply(generation, &changed, rows);
        if generation % 50 == 0 {
            let fresh = Snapshot::build(generation, truth.iter().map(|(&id, &v)| row(id, v)));
            assert_eq!(answers(&patched), answers(&fresh), "generation {generation}");
            assert_eq!(patched.len(), truth.len());
        }
    }
    assert!(
        patched.entries.len() < 2 * truth.len(),
        "dead entries were compacted away"
    );
}

#[test]
fn an_organization_changed_by_its_own_search_field_is_found_by_its_new_name_only() {
    let mut s = snapshot();
    let mut renamed = entry(3, "芜湖市象棋协会", "340200", Some("2015-03-02"));
    renamed.credit_code = "51340000MJ0000003X".to_owned();
    s.apply(8, &[3], vec![renamed]);
    let q = |q: &str| OrgFilter {
        q: Some(q.to_owned()),
        ..OrgFilter::default()
    };
    assert!(
        s.select(&Visibility::All, &q("围棋"), OrgSort::Name, false, 0, 20)
            .0
            .is_empty()
    );
    assert_eq!(
        s.select(&Visibility::All, &q("象棋"), OrgSort::Name, false, 0, 20)
            .0,
        vec![3]
    );
    assert_eq!(
        s.lookup("51340000MJ0000003X", 10),
        vec![3],
        "its code still finds it, once"
    );
    s.apply(9, &[3], Vec::new());
    assert!(s.lookup("象棋", 10).is_empty(), "a removed organization is gone");
    assert_eq!(
        s.select(
            &Visibility::All,
            &OrgFilter::default(),
            OrgSort::CreditCode,
            false,
            0,
            20
        )
        .1,
        3
    );
    assert_eq!(s.generation, Some(9));
}

#[test]
fn an_id_far_beyond_the_others_is_found_changed_and_removed() {
    let mut s = snapshot();
    let far = 10_000_000_000;
    s.apply(8, &[far], vec![entry(far, "芜湖市远方协会", "340200", None)]);
    assert_eq!(s.lookup("远方", 10), vec![far]);
    s.apply(9, &[far], vec![entry(far, "芜湖市近处协会", "340200", None)]);
    assert_eq!((s.lookup("远方", 10), s.lookup("近处", 10)), (vec![], vec![far]));
    s.apply(10, &[far, 1], Vec::new());
    assert!(s.lookup("近处", 10).is_empty());
    assert_eq!(s.len(), 3);
    assert_eq!(s.positions.sparse.len(), 0);
}
