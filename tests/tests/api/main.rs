//! The API tests: the real application on port 0 over a fresh database, on SQLite and (when
//! `TEST_POSTGRES_URL` is set) PostgreSQL. One binary with one module per module of the product
//! (`accounts`, `registry`, `villages`, `pairing`, `contributions`, `jobs`) plus the service itself, so that the
//! server is linked into the tests once however many modules arrive.

mod accounts;
mod chaos;
mod contributions;
mod credit;
mod dashboard;
mod dormant;
mod fees;
mod illegal;
mod inspection;
mod jobs;
mod pairing;
mod party;
mod penalties;
mod petitions;
mod publication;
mod registry;
mod service;
mod villages;
