-- Separation of duties (三权分立): the account that started a matter's review. It may not decide the matter,
-- nor may the account that filed it (`filed_by`); `domain::registry::matter::Handlers` holds the rule.
ALTER TABLE matters ADD COLUMN reviewed_by BIGINT REFERENCES users (id);
