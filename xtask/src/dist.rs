//! Building the browser app into `dist/`: the wasm crate in release mode, wasm-bindgen as a library,
//! wasm-opt, content-hashed names, an `index.html` with no inline script (the CSP forbids it), and
//! brotli and gzip copies of every file for the server to send precompressed.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::{cargo, run_checked, step, tools};

/// The files of a built app.
#[derive(Debug)]
pub struct Dist {
    pub dir: PathBuf,
    /// `(path under dist, raw bytes)` of everything a first visit downloads.
    pub first_visit: Vec<(String, usize)>,
}

pub fn build(root: &Path) -> anyhow::Result<Dist> {
    tools::ensure_wasm_target()?;
    run_checked(
        cargo().args([
            "build",
            "-p",
            "frontend",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ]),
        "building the browser app (wasm32, release)",
    )?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let wasm = target_dir
        .join("wasm32-unknown-unknown")
        .join("wasm-release")
        .join("frontend.wasm");

    step("generating the JavaScript bindings (wasm-bindgen)");
    let staging = root.join("target").join("dist-staging");
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .typescript(false)
        .out_name("sheguan")
        .generate(&staging)?;
    let bg_wasm = staging.join("sheguan_bg.wasm");
    if let Some(wasm_opt) = tools::wasm_opt(root) {
        run_checked(
            std::process::Command::new(wasm_opt)
                .arg(&bg_wasm)
                .args([
                    "-Oz",
                    "--strip-debug",
                    "--strip-producers",
                    "--enable-bulk-memory",
                ])
                .args([
                    "--enable-nontrapping-float-to-int",
                    "--enable-sign-ext",
                    "--enable-reference-types",
                ])
                .args(["--enable-multivalue", "--enable-mutable-globals", "-o"])
                .arg(&bg_wasm),
            "optimising the wasm (wasm-opt -Oz)",
        )?;
    }

    step("writing dist/");
    let dist = root.join("dist");
    let _ = fs::remove_dir_all(&dist);
    let assets = dist.join("assets");
    fs::create_dir_all(&assets)?;
    let wasm_name = hashed_copy(&bg_wasm, &assets, "sheguan_bg", "wasm")?;
    let js_name = hashed_copy(&staging.join("sheguan.js"), &assets, "sheguan", "js")?;
    let css_name = hashed_copy(&root.join("style").join("main.css"), &assets, "style", "css")?;
    let icon_name = hashed_copy(&root.join("style").join("favicon.svg"), &assets, "favicon", "svg")?;
    let boot = format!(
        "// Starts the app; a file of its own because the Content-Security-Policy allows no inline script.\n\
         import init from \"./{js_name}\";\ninit({{ module_or_path: \"/assets/{wasm_name}\" }});\n"
    );
    let boot_path = staging.join("boot.js");
    fs::write(&boot_path, boot)?;
    let boot_name = hashed_copy(&boot_path, &assets, "boot", "js")?;
    let index = fs::read_to_string(root.join("frontend").join("index.html"))
        .context("frontend/index.html")?
        .replace("{{style}}", &format!("/assets/{css_name}"))
        .replace("{{icon}}", &format!("/assets/{icon_name}"))
        .replace("{{bindings}}", &format!("/assets/{js_name}"))
        .replace("{{boot}}", &format!("/assets/{boot_name}"));
    fs::write(dist.join("index.html"), index)?;

    let mut first_visit = vec![(
        "index.html".to_owned(),
        fs::metadata(dist.join("index.html"))?.len() as usize,
    )];
    for name in [&boot_name, &js_name, &wasm_name, &css_name, &icon_name] {
        first_visit.push((
            format!("assets/{name}"),
            fs::metadata(assets.join(name))?.len() as usize,
        ));
    }
    precompress_all(&dist)?;
    Ok(Dist {
        dir: dist,
        first_visit,
    })
}

/// Copies `source` to `dir/{stem}-{hash}.{ext}` and returns the new name.
fn hashed_copy(source: &Path, dir: &Path, stem: &str, ext: &str) -> anyhow::Result<String> {
    let bytes = fs::read(source).with_context(|| source.display().to_string())?;
    let name = format!("{stem}-{:016x}.{ext}", fnv1a(&bytes));
    fs::write(dir.join(&name), bytes)?;
    Ok(name)
}

/// FNV-1a: a stable content hash for cache-busting names (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Writes `.br` and `.gz` beside every file under `dir`.
fn precompress_all(dir: &Path) -> anyhow::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            precompress_all(&path)?;
            continue;
        }
        let bytes = fs::read(&path)?;
        fs::write(with_suffix(&path, "br"), brotli_compress(&bytes)?)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)?;
        fs::write(with_suffix(&path, "gz"), gz.finish()?)?;
    }
    Ok(())
}

pub fn brotli_compress(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}
