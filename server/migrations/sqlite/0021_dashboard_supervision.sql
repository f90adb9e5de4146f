-- The dashboard's supervision figures (issue: year-end dashboard) read a year's rows of wide tables; these
-- indexes hold every column the figures filter and list by, so a figure reads the index, not the rows.

-- Dormant cases confirmed in a year, by stage and division (the case's signals stay unread).
CREATE INDEX dormant_cases_dashboard ON dormant_cases (confirmed_on, stage, division_code, organization_id);

-- Follow-ups of a kind dated in a year, with the report and the organization they are on.
CREATE INDEX inspection_follow_ups_dashboard
    ON inspection_follow_ups (kind, on_date, division_code, organization_id, report_id);

-- Recorded fee inspections of a campaign, by division.
CREATE INDEX fee_inspections_dashboard
    ON fee_inspections (campaign_id, stage, division_code, inspected_on, organization_id);
