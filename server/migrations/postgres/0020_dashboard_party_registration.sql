-- The dashboard's party coverage counts the provincial organizations (about 2,000 of 35,000) at a year's
-- end: read them by level, not the whole registry.
CREATE INDEX organizations_level ON organizations (level, division_code);
