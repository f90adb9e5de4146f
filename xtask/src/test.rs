//! placeholder
pub fn test() -> anyhow::Result<()> {
    Ok(())
}
