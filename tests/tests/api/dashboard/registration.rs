//! The registration figures.
