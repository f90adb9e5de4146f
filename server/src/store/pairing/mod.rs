//! 百社进百村 in the database: rounds and the societies that join them (`rounds`), villages' needs
//! (`needs`), staff pins and forbids (`constraints`), runs of the engine (`runs`) and the agreements a
//! confirmed run becomes (`agreements`). Every write is one transaction with its audit row (`audited!`).
//!
//! A round belongs to the province: everyone who may open the pages sees every round, its societies,
//! pins and runs. What lies in a division is scoped by `Visibility`: the villages (by their county) and
//! the agreements (by their village's county, or their society).

mod agreements;
mod constraints;
mod needs;
mod rounds;
mod runs;

pub use agreements::{AgreementFilter, Confirmation};
pub use needs::{RoundVillageFilter, VillageInRound};
pub use rounds::{DivisionPoint, Membership, NewRound, RoundRecord};
pub use runs::{NewRun, RunRecord};
