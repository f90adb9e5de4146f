//! The party figures.
