-- The dashboard's impact figures read the year's counted entries of provincial organizations (recorded at
-- the province) by kind: one index covers the count and the sum without reading the million-row table.
CREATE INDEX contributions_dashboard ON contributions (year, division_code, kind, status, superseded_by, amount_fen);
