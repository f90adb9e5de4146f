//! The impact figures.
