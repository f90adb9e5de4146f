-- 结束结对: the day an agreement was concluded and why (both set together when staff conclude it).
ALTER TABLE pairing_agreements ADD COLUMN concluded_on DATE;
ALTER TABLE pairing_agreements ADD COLUMN conclusion_reason TEXT;
