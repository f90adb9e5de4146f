//! PENDING: the party figures (being written).

use domain::dashboard::FigureKey;

use super::Measure;

pub(super) fn measure(key: FigureKey) -> Measure {
    todo!("{key:?}")
}
