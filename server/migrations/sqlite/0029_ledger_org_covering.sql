-- An organization's totals read from its index alone (#19): with the columns a counted entry is summed by,
-- an organization's entries are a few adjacent index pages rather than a table row each. Replaces the index
-- of 0004 by the same leading key.
DROP INDEX contributions_org;
CREATE INDEX contributions_org ON contributions
    (organization_id, year, kind, status, superseded_by, division_code, city_code, amount_fen, people);
