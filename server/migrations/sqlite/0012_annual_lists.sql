-- The annual cycle's lists filter a year's reports by registration level (the province's 35,000 a year).
CREATE INDEX annual_reports_year_level ON annual_reports (year, level, division_code);
