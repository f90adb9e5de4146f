use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn a_decision_on_the_friday_before_qingming_is_due_a_day_later_than_weekends_alone_would_say() {
    let calendar = WorkCalendar::mainland_china();
    // Friday 3 April 2026; 4–6 April are 清明节 (Saturday to Monday).
    let friday = day(2026, 4, 3);
    assert_eq!(due_on(friday, &calendar), day(2026, 4, 15));
    assert_eq!(calendar.working_days_between(friday, day(2026, 4, 15)), 7);
}

#[test]
fn a_decision_before_national_day_counts_the_working_saturday_after_it() {
    let calendar = WorkCalendar::mainland_china();
    // Wednesday 30 September 2026; 1–7 October off, Saturday 10 October a working day.
    assert_eq!(due_on(day(2026, 9, 30), &calendar), day(2026, 10, 15));
    // Friday 30 April 2021; 1–5 May off, Saturday 8 May worked.
    assert_eq!(due_on(day(2021, 4, 30), &calendar), day(2021, 5, 13));
}

#[test]
fn timeliness_counts_late_working_days_and_pending_past_due_as_late() {
    let calendar = WorkCalendar::mainland_china();
    let due = day(2026, 4, 15);
    let today = day(2026, 4, 20);
    assert_eq!(
        Timeliness::of(due, Some(due), today, &calendar),
        Timeliness::OnTime
    );
    assert_eq!(
        Timeliness::of(due, Some(day(2026, 4, 14)), today, &calendar),
        Timeliness::OnTime
    );
    // Published Monday 20 April: Thursday, Friday and Monday late.
    assert_eq!(
        Timeliness::of(due, Some(day(2026, 4, 20)), today, &calendar),
        Timeliness::Late { working_days: 3 }
    );
    // Not published by Monday 20 April: late as well.
    assert_eq!(
        Timeliness::of(due, None, today, &calendar),
        Timeliness::Late { working_days: 3 }
    );
    assert_eq!(
        Timeliness::of(due, None, day(2026, 4, 15), &calendar),
        Timeliness::NotDue
    );
    // Published on the Saturday after the due Friday: one day late, not zero.
    assert_eq!(
        Timeliness::of(day(2026, 4, 17), Some(day(2026, 4, 18)), today, &calendar),
        Timeliness::Late { working_days: 1 }
    );
}

#[test]
fn the_rate_is_on_time_over_known_outcomes() {
    let mut tally = Tally::default();
    assert_eq!(tally.rate(), None);
    tally.add(Timeliness::OnTime);
    tally.add(Timeliness::NotDue);
    assert_eq!(tally.rate(), Some(1.0));
    tally.add(Timeliness::Late { working_days: 2 });
    assert_eq!(tally.rate(), Some(0.5));
    assert_eq!(
        (tally.decided, tally.on_time, tally.late, tally.not_due),
        (3, 1, 1, 1)
    );
}

#[test]
fn pushes_back_off_like_jobs_and_stop_for_staff() {
    assert_eq!(retry_after(1), Some(Duration::seconds(30)));
    assert_eq!(retry_after(3), Some(Duration::seconds(120)));
    assert_eq!(retry_after(MAX_PUSH_ATTEMPTS), None);
}

#[test]
fn the_idempotency_key_is_the_number_in_ascii() {
    assert_eq!(
        idempotency_key("皖社许〔2021〕1号"),
        "%E7%9A%96%E7%A4%BE%E8%AE%B8%E3%80%942021%E3%80%951%E5%8F%B7"
    );
    assert!(idempotency_key("皖社罚〔2026〕15号").is_ascii());
}

#[test]
fn periods_are_years_or_months() {
    assert_eq!(
        Period::parse("2021").unwrap().days(),
        (day(2021, 1, 1), day(2021, 12, 31))
    );
    assert_eq!(
        Period::parse("2024-02").unwrap().days(),
        (day(2024, 2, 1), day(2024, 2, 29))
    );
    assert_eq!(
        Period::parse("2021-12").unwrap().days(),
        (day(2021, 12, 1), day(2021, 12, 31))
    );
    assert_eq!(Period::parse("2021-03").unwrap().to_string(), "2021-03");
    for bad in ["", "21", "2021-13", "2021-3", "abc", "2021-03-01"] {
        assert!(Period::parse(bad).unwrap_err().contains("period"), "{bad}");
    }
}
