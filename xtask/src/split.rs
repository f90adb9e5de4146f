//! Splitting a bundle's wasm into a main module and the pages' chunks.
//!
//! Each page but the home page is a lazy route (`lazy!` in `frontend/src/lib.rs`) in an area (visitor,
//! reporting, registry, …): its code sits behind a split point that `wasm_split_cli_support` (the library
//! behind leptos's `#[lazy]`) moves into its area's wasm module, fetched the first time one of the area's
//! pages opens. The main module keeps what every page needs (the framework, the shell, the home page);
//! code that several areas share and the main module does not goes into shared chunks, fetched with each
//! of those areas'. Areas rather than pages, so that a page loads a few files, not dozens.
//!
//! The splitter reads the linker's relocations (`--emit-relocs`, asked for by `frontend/build.rs`) from the
//! module cargo built, before wasm-bindgen; wasm-bindgen then processes the main module only, keeping the
//! exports the chunks link against. Its JavaScript and the splitter's (the loader, which fetches the
//! chunks) import each other, so their names cannot each hash their own content: every file of a bundle is
//! named with one hash of all of them, which changes whenever any of them does.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// What the splitter made of one bundle's wasm.
#[derive(Debug)]
pub struct Split {
    /// The main module, still to go through wasm-bindgen.
    pub main: PathBuf,
    /// The loader (JavaScript), which the bindings import under [`LOADER`].
    pub loader: PathBuf,
    /// Every chunk, by the file stem the loader fetches it under (`"./{stem}.wasm"`).
    pub chunks: BTreeMap<String, PathBuf>,
    /// For each area (the chunk named in `lazy!(reporting, …)`), the stems of the chunks its pages load:
    /// its own and those it shares with other areas.
    pub areas: BTreeMap<String, Vec<String>>,
}

/// The module name under which the main module imports the loader; the bindings import it from there.
pub const LOADER: &str = "./__wasm_split.js";

/// The bindings' module name as the loader imports it (`initSync`, for the main module's exports).
fn bindings_module(stem: &str) -> String {
    format!("./{stem}.js")
}

/// Splits `wasm` (as cargo linked it) into `dir`: the main module, the chunks and the loader.
pub fn split(wasm: &Path, stem: &str, dir: &Path) -> anyhow::Result<Split> {
    let input = fs::read(wasm).with_context(|| wasm.display().to_string())?;
    fs::create_dir_all(dir)?;
    let main = dir.join("main.wasm");
    let bindings = bindings_module(stem);
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = dir;
    options.main_out_path = &main;
    options.link_name = LOADER;
    options.main_module = &bindings;
    let split = wasm_split_cli_support::transform(options)
        .map_err(|error| anyhow::anyhow!("splitting {}: {error:?}", wasm.display()))?;
    let chunks = split
        .split_modules
        .into_iter()
        .map(|path| {
            let stem = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .context("a chunk's file name")?
                .to_owned();
            Ok((stem, path))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Split {
        main,
        loader: dir.join(LOADER.trim_start_matches("./")),
        chunks,
        areas: split.prefetch_map.into_iter().collect(),
    })
}

/// The names a bundle's files take in `assets/`, all with the one hash of their contents.
#[derive(Debug)]
pub struct Names {
    pub bindings: String,
    pub wasm: String,
    pub loader: String,
    /// Each chunk's, by its stem.
    pub chunks: BTreeMap<String, String>,
}

/// Writes the bindings, the main module, the loader and the chunks into `assets` under names that share
/// one hash of them all, with each reference between them renamed to match; returns the names.
pub fn write_named(
    stem: &str,
    bindings_js: &str,
    main_wasm: &[u8],
    split: &Split,
    assets: &Path,
) -> anyhow::Result<Names> {
    let loader_js = fs::read_to_string(&split.loader).context("the chunks' loader")?;
    let chunks = split
        .chunks
        .iter()
        .map(|(stem, path)| Ok((stem.clone(), fs::read(path)?)))
        .collect::<anyhow::Result<BTreeMap<_, _>>>()?;
    let mut all = Vec::new();
    all.extend_from_slice(bindings_js.as_bytes());
    all.extend_from_slice(main_wasm);
    all.extend_from_slice(loader_js.as_bytes());
    for bytes in chunks.values() {
        all.extend_from_slice(bytes);
    }
    let hash = crate::dist::fnv1a(&all);
    let name = |part: &str, ext: &str| format!("{stem}{part}-{hash:016x}.{ext}");
    let names = Names {
        bindings: name("", "js"),
        wasm: name("_bg", "wasm"),
        loader: name("-chunks", "js"),
        chunks: chunks
            .keys()
            // An area's chunk by the area's name (`organization-reporting-….wasm`), a shared one by its number.
            .map(|chunk| {
                let part = chunk.strip_prefix("split_").unwrap_or(chunk);
                (chunk.clone(), name(&format!("-{part}"), "wasm"))
            })
            .collect(),
    };
    // The bindings import the loader once for each split point (and hand each to the main module under
    // the name it imports it by, which stays).
    let loader_import = format!("from \"{LOADER}\"");
    anyhow::ensure!(
        bindings_js.contains(&loader_import),
        "the bindings do not import the chunks' loader"
    );
    let bindings_js = bindings_js.replace(&loader_import, &format!("from \"./{}\"", names.loader));
    let mut loader_js = replace_once(
        &loader_js,
        &[format!("\"{}\"", bindings_module(stem))],
        &format!("\"./{}\"", names.bindings),
    )
    .context("the chunks' loader does not import the bindings")?;
    for (chunk, hashed) in &names.chunks {
        loader_js = replace_once(
            &loader_js,
            &[format!("\"./{chunk}.wasm\"")],
            &format!("\"./{hashed}\""),
        )
        .with_context(|| format!("the chunks' loader does not fetch {chunk}"))?;
    }
    fs::write(assets.join(&names.bindings), bindings_js)?;
    fs::write(assets.join(&names.wasm), main_wasm)?;
    fs::write(assets.join(&names.loader), loader_js)?;
    for (chunk, bytes) in &chunks {
        fs::write(assets.join(&names.chunks[chunk]), bytes)?;
    }
    Ok(names)
}

/// `text` with the one occurrence of whichever of `patterns` it holds replaced by `with`; `None` when it
/// holds none, or one of them more than once.
fn replace_once(text: &str, patterns: &[String], with: &str) -> Option<String> {
    let pattern = patterns.iter().find(|pattern| text.contains(pattern.as_str()))?;
    (text.matches(pattern.as_str()).count() == 1).then(|| text.replacen(pattern.as_str(), with, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_renamed_only_when_it_occurs_once() {
        let patterns = ["'./a.js'".to_owned(), "\"./a.js\"".to_owned()];
        assert_eq!(
            replace_once("import x from \"./a.js\";", &patterns, "'./b.js'").as_deref(),
            Some("import x from './b.js';")
        );
        assert_eq!(
            replace_once("import x from './c.js';", &patterns, "'./b.js'"),
            None
        );
        assert_eq!(replace_once("'./a.js' './a.js'", &patterns, "'./b.js'"), None);
    }
}
