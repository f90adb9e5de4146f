//! The supervision figures.
