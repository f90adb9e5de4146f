//! Building the browser app into `dist/`: the wasm crate in release mode, wasm-bindgen as a library,
//! wasm-opt, content-hashed names, HTML with no inline script (the CSP forbids it), and brotli and gzip
//! copies of every file for the server to send precompressed.
//!
//! The app is built three times from one source (`domain::pages`), one bundle per audience: the public
//! bundle (`index.html`, the crate without features: the pages anyone may open, small for a first visit),
//! the organization bundle (`organization.html`, feature `organization`: the pages an organization user
//! works in) and the workspace bundle (`workspace.html`, feature `workspace`: every page, for staff).
//!
//! Each bundle is split (`split.rs`): a main module with the framework, the shell and the home page, and a
//! chunk for each area of pages (`lazy!` in `frontend/src/lib.rs`), fetched when one of its pages first
//! opens.
//!
//! The public bundle has two pages: `home.html` for `/` and `index.html` for its other pages, each with its
//! first paint already in the HTML (`prerender.rs`).
//!
//! Beside them: the web app manifest (`manifest.webmanifest`, with the PNG icons) and the service worker
//! (`sw.js`, from `frontend/sw.js`), which is given the organization bundle's hashed files that open the
//! report form, to keep for opening it offline, and a version that changes whenever one of them does.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::{cargo, prerender, run_checked, split, step, tools};

/// The files of a built app.
#[derive(Debug)]
pub struct Dist {
    pub dir: PathBuf,
    /// `(path under dist, raw bytes)` of everything a first visit (the public bundle at `/`) downloads.
    pub first_visit: Vec<(String, usize)>,
    /// `(path under dist, raw bytes)` of what an organization user's sign-in to the report form adds: the
    /// organization bundle's page, main module and the report form's chunks, and the service worker
    /// (which keeps the same files; the style and icons are those of the first visit).
    pub organization: Vec<(String, usize)>,
    /// `(path under dist, raw bytes)` of the workspace bundle's page and main module, which staff
    /// download at sign-in before the chunk of the page they open.
    pub workspace: Vec<(String, usize)>,
    /// Every chunk of the public, organization and workspace bundles, each fetched when its page opens.
    pub chunks: Vec<Vec<(String, usize)>>,
}

/// A bundle's files under `dist/`.
struct Written {
    /// What every page of it loads: the boot script, the bindings, the chunks' loader, the main module.
    main: Vec<String>,
    /// The chunks of its preloaded area (`Bundle::preloaded`): the organization bundle's are the report
    /// form's.
    preloaded: Vec<String>,
    /// Every chunk.
    chunks: Vec<String>,
}

/// One of the three builds of the app.
struct Bundle {
    /// The HTML page that starts it.
    page: &'static str,
    /// The stem of its generated files.
    stem: &'static str,
    /// The crate feature that selects its pages (`domain::pages`); `None` for the public pages only.
    feature: Option<&'static str>,
    /// The area (`lazy!` in `frontend/src/lib.rs`) whose chunks its page preloads beside the main module:
    /// the one that most loads of the page open. None for staff, who open the dashboard or any of many
    /// pages: the staff area's chunk would weigh on the dashboard.
    preloaded: Option<&'static str>,
}

const PUBLIC: Bundle = Bundle {
    page: "index.html",
    stem: "sheguan",
    feature: None,
    // `index.html` serves the public pages but the home page (which has `home.html`): all in this area.
    preloaded: Some("visitor"),
};

const ORGANIZATION: Bundle = Bundle {
    page: "organization.html",
    stem: "organization",
    feature: Some("organization"),
    // The report form's area: an organization user's page is most often opened for it, and the service
    // worker keeps its chunks anyway.
    preloaded: Some("reporting"),
};

const WORKSPACE: Bundle = Bundle {
    page: "workspace.html",
    stem: "workspace",
    feature: Some("workspace"),
    preloaded: None,
};

/// The public bundle's page for `/`: the home page already drawn (`prerender.rs`).
const HOME_PAGE: &str = "home.html";

/// How much work goes into the bundles: everything for users, or only what the tests need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// The `wasm-release` profile (`-Oz`, LTO), `wasm-opt -Oz` and brotli at its best: what `run`, `dist`
    /// and the size bench ship and measure.
    Shipped,
    /// The `wasm-tested` profile (no LTO, parallel codegen), no `wasm-opt` and a quick brotli: the same
    /// app, larger, built minutes faster for `cargo xtask test`, the workspace bundle with clippy's lints
    /// as errors. Cargo's output goes to
    /// `target/dist-tested.log` (its tail is printed on failure), because the test build runs beside it.
    Tested,
}

impl Finish {
    fn profile(self) -> &'static str {
        match self {
            Finish::Shipped => "wasm-release",
            Finish::Tested => "wasm-tested",
        }
    }
}

pub fn build(root: &Path) -> anyhow::Result<Dist> {
    build_finished(root, Finish::Shipped)
}

pub fn build_finished(root: &Path, finish: Finish) -> anyhow::Result<Dist> {
    tools::ensure_wasm_target()?;
    let staging = root.join("target").join("dist-staging");
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging)?;
    let dist = root.join("dist");
    let _ = fs::remove_dir_all(&dist);
    let assets = dist.join("assets");
    fs::create_dir_all(&assets)?;

    step("writing dist/");
    let css_name = hashed_copy(&root.join("style").join("main.css"), &assets, "style", "css")?;
    let icon_name = hashed_copy(&root.join("style").join("favicon.svg"), &assets, "favicon", "svg")?;
    // The manifest's PNG icons, rendered from favicon.svg once and committed (`style/icon-*.png`).
    let png_icon = |size: u32| {
        let source = root.join("style").join(format!("icon-{size}.png"));
        hashed_copy(&source, &assets, &format!("icon-{size}"), "png")
    };
    let (icon_192, icon_512) = (png_icon(192)?, png_icon(512)?);
    let manifest = fs::read_to_string(root.join("frontend").join("manifest.webmanifest"))
        .context("frontend/manifest.webmanifest")?
        .replace("{{icon192}}", &format!("/assets/{icon_192}"))
        .replace("{{icon512}}", &format!("/assets/{icon_512}"));
    fs::write(dist.join("manifest.webmanifest"), manifest)?;
    let template =
        fs::read_to_string(root.join("frontend").join("index.html")).context("frontend/index.html")?;
    let boot_template =
        fs::read_to_string(root.join("frontend").join("boot.js")).context("frontend/boot.js")?;
    let prerendered = prerender::read(root)?;
    // A bundle's pages: each an HTML file with the bundle's first paint (`prerender.rs`), the public
    // bundle's two, the others' none (their menus depend on who signed in).
    //
    // A page whose main content is not drawn in it waits for the app: its wasm is fetched from the start,
    // beside the JavaScript that asks for it (a round trip sooner). The home page's is not: its drawn
    // content is shown first, its style and HTML alone on the network (`boot.js` starts the app after).
    let write = |bundle: &Bundle, pages: &[(&str, &str)]| -> anyhow::Result<Written> {
        let built = build_bundle(root, bundle, &staging, &assets, finish)?;
        let boot = boot_template
            .replace("{{bindings}}", &built.bindings)
            .replace("{{wasm}}", &built.wasm);
        let boot_path = staging.join(format!("{}-boot.js", bundle.stem));
        fs::write(&boot_path, boot)?;
        let boot_name = hashed_copy(&boot_path, &assets, &format!("{}-boot", bundle.stem), "js")?;
        let html = template
            .replace("{{style}}", &format!("/assets/{css_name}"))
            .replace("{{icon}}", &format!("/assets/{icon_name}"))
            .replace("{{touch_icon}}", &format!("/assets/{icon_192}"))
            .replace("{{bindings}}", &format!("/assets/{}", built.bindings))
            .replace("{{loader}}", &format!("/assets/{}", built.loader))
            .replace("{{boot}}", &format!("/assets/{boot_name}"));
        // The preloaded area's chunks come beside the main module rather than after it.
        let preload: String = std::iter::once(&built.wasm)
            .chain(&built.preloaded)
            .map(|wasm| {
                format!(
                    r#"  <link rel="preload" href="/assets/{wasm}" as="fetch" type="application/wasm" crossorigin>
"#
                )
            })
            .collect();
        for (page, first_paint) in pages {
            let preload = if prerender::draws_content(first_paint) {
                ""
            } else {
                preload.as_str()
            };
            let html = html
                .replace("{{preload}}", preload)
                .replace("{{prerendered}}", first_paint);
            fs::write(dist.join(page), html)?;
        }
        let asset = |name: &String| format!("assets/{name}");
        Ok(Written {
            main: [&boot_name, &built.bindings, &built.loader, &built.wasm]
                .map(asset)
                .to_vec(),
            preloaded: built.preloaded.iter().map(asset).collect(),
            chunks: built.chunks.iter().map(asset).collect(),
        })
    };
    // A first visit is most often to the home page, which the main module holds: its page is the one
    // counted (the other is the same size less the home page's content).
    let public = write(
        &PUBLIC,
        &[(HOME_PAGE, &prerendered.home), (PUBLIC.page, &prerendered.shell)],
    )?;
    let mut first_visit = vec![HOME_PAGE.to_owned(), "manifest.webmanifest".to_owned()];
    first_visit.extend(public.main);
    first_visit.extend([&css_name, &icon_name].map(|name| format!("assets/{name}")));
    // An organization user signs in to the report form: the page, the main module and the form's chunks.
    let organization = write(&ORGANIZATION, &[(ORGANIZATION.page, "")])?;
    let mut reporting = vec![ORGANIZATION.page.to_owned()];
    reporting.extend(organization.main);
    reporting.extend(organization.preloaded);
    // What opens offline: the worker keeps the report form's files with the style and the icons (the
    // other pages' chunks once they have been fetched).
    let mut shell = reporting.clone();
    shell.push("manifest.webmanifest".to_owned());
    shell.extend([&css_name, &icon_name, &icon_192, &icon_512].map(|name| format!("assets/{name}")));
    write_service_worker(root, &dist, &shell)?;
    reporting.push("sw.js".to_owned());
    let workspace = write(&WORKSPACE, &[(WORKSPACE.page, "")])?;
    let mut staff = vec![WORKSPACE.page.to_owned()];
    staff.extend(workspace.main);
    precompress_all(&dist, finish)?;
    let sized = |files: Vec<String>| {
        files
            .into_iter()
            .map(|name| {
                let len = fs::metadata(dist.join(&name))?.len() as usize;
                Ok((name, len))
            })
            .collect::<anyhow::Result<Vec<_>>>()
    };
    Ok(Dist {
        first_visit: sized(first_visit)?,
        organization: sized(reporting)?,
        workspace: sized(staff)?,
        chunks: [public.chunks, organization.chunks, workspace.chunks]
            .map(sized)
            .into_iter()
            .collect::<anyhow::Result<Vec<_>>>()?,
        dir: dist,
    })
}

/// Writes `dist/sw.js` from `frontend/sw.js`: the files to keep for opening the app offline (`shell`, paths
/// under dist, the page first) and a version that changes with any of them (their names are hashes of
/// their contents).
fn write_service_worker(root: &Path, dist: &Path, shell: &[String]) -> anyhow::Result<()> {
    let paths: Vec<String> = shell.iter().map(|name| format!("\"/{name}\"")).collect();
    let paths = paths.join(", ");
    // The page is not hashed by name: its content joins the version (it names the other files).
    let mut named = fs::read(dist.join(&shell[0]))?;
    named.extend_from_slice(paths.as_bytes());
    let worker = fs::read_to_string(root.join("frontend").join("sw.js"))
        .context("frontend/sw.js")?
        .replace("{{version}}", &format!("{:016x}", fnv1a(&named)))
        .replace("{{page}}", &format!("/{}", shell[0]))
        .replace("{{precache}}", &format!("[{paths}]"));
    fs::write(dist.join("sw.js"), worker)?;
    Ok(())
}

/// Builds one bundle (cargo, the split into chunks, wasm-bindgen, wasm-opt) and writes its JavaScript and
/// wasm into `assets` under hashed names (`split.rs`), which it returns.
fn build_bundle(
    root: &Path,
    bundle: &Bundle,
    staging: &Path,
    assets: &Path,
    finish: Finish,
) -> anyhow::Result<Built> {
    let mut command = cargo();
    command.args([
        "build",
        "-p",
        "frontend",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        finish.profile(),
    ]);
    command.arg("--no-default-features");
    if let Some(feature) = bundle.feature {
        command.args(["--features", feature]);
    }
    if finish == Finish::Tested && bundle.feature == WORKSPACE.feature {
        // The browser crate is built only for wasm32: its lint is this build (see `cargo xtask test`),
        // on the bundle that holds every page; the public one is a subset of the same source.
        tools::linted(&mut command, &tools::clippy_driver()?);
    }
    let what = format!(
        "building the browser app's {} bundle (wasm32, {})",
        bundle.stem,
        finish.profile()
    );
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    match finish {
        Finish::Shipped => run_checked(&mut command, &what)?,
        Finish::Tested => run_logged(&mut command, &what, &target_dir.join("dist-tested.log"))?,
    }
    let wasm = target_dir
        .join("wasm32-unknown-unknown")
        .join(finish.profile())
        .join("frontend.wasm");

    step("splitting the wasm into the main module and the pages' chunks");
    let out = staging.join(bundle.stem);
    let split = split::split(&wasm, bundle.stem, &out.join("split"))?;

    step("generating the JavaScript bindings (wasm-bindgen)");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&split.main)
        .web(true)?
        .typescript(false)
        // The chunks link against the main module's own exports (functions, the table, the stack).
        .keep_lld_exports(true)
        .demangle(false)
        .out_name(bundle.stem)
        .generate(&out)?;
    let bg_wasm = out.join(format!("{}_bg.wasm", bundle.stem));
    let wasm_opt = match finish {
        Finish::Shipped => tools::wasm_opt(root),
        Finish::Tested => None,
    };
    if let Some(wasm_opt) = wasm_opt {
        for module in std::iter::once(&bg_wasm).chain(split.chunks.values()) {
            optimise(&wasm_opt, module)?;
        }
    }
    let bindings = fs::read_to_string(out.join(format!("{}.js", bundle.stem)))?;
    let names = split::write_named(bundle.stem, &bindings, &fs::read(&bg_wasm)?, &split, assets)?;
    let preloaded = match bundle.preloaded.map(|area| split.areas.get(area)) {
        Some(Some(chunks)) => chunks.iter().map(|chunk| names.chunks[chunk].clone()).collect(),
        Some(None) => anyhow::bail!("the {} bundle has no area {:?}", bundle.stem, bundle.preloaded),
        None => Vec::new(),
    };
    Ok(Built {
        preloaded,
        chunks: names.chunks.values().cloned().collect(),
        bindings: names.bindings,
        wasm: names.wasm,
        loader: names.loader,
    })
}

/// A bundle's files in `assets/`.
struct Built {
    /// The bindings (JavaScript) that start the main module.
    bindings: String,
    /// The main module.
    wasm: String,
    /// The chunks' loader (JavaScript), imported by the bindings.
    loader: String,
    /// Every chunk.
    chunks: Vec<String>,
    /// The chunks its preloaded area loads (the area's own and those it shares).
    preloaded: Vec<String>,
}

/// `wasm-opt -Oz` on `module`, in place.
fn optimise(wasm_opt: &Path, module: &Path) -> anyhow::Result<()> {
    run_checked(
        std::process::Command::new(wasm_opt)
            .arg(module)
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
            .arg(module),
        "optimising the wasm (wasm-opt -Oz)",
    )
}

/// Runs `command` with its output appended to `log`; on failure the error carries the log's last lines.
fn run_logged(command: &mut std::process::Command, what: &str, log: &Path) -> anyhow::Result<()> {
    step(&format!("{what}, output in {}", log.display()));
    if let Some(dir) = log.parent() {
        fs::create_dir_all(dir)?;
    }
    let file = fs::OpenOptions::new().create(true).append(true).open(log)?;
    let status = command
        .stdout(file.try_clone()?)
        .stderr(file)
        .status()
        .with_context(|| format!("{what}: cannot start"))?;
    if status.success() {
        return Ok(());
    }
    let output = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = output.lines().collect();
    let tail = lines[lines.len().saturating_sub(60)..].join("\n");
    anyhow::bail!("{what} failed ({status}):\n{tail}")
}

/// Copies `source` to `dir/{stem}-{hash}.{ext}` and returns the new name.
fn hashed_copy(source: &Path, dir: &Path, stem: &str, ext: &str) -> anyhow::Result<String> {
    let bytes = fs::read(source).with_context(|| source.display().to_string())?;
    let name = format!("{stem}-{:016x}.{ext}", fnv1a(&bytes));
    fs::write(dir.join(&name), bytes)?;
    Ok(name)
}

/// FNV-1a: a stable content hash for cache-busting names (not for security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Writes `.br` and `.gz` beside every file under `dir`.
fn precompress_all(dir: &Path, finish: Finish) -> anyhow::Result<()> {
    let quality = match finish {
        Finish::Shipped => 11,
        Finish::Tested => 4,
    };
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            precompress_all(&path, finish)?;
            continue;
        }
        let bytes = fs::read(&path)?;
        fs::write(with_suffix(&path, "br"), brotli_at(&bytes, quality)?)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)?;
        fs::write(with_suffix(&path, "gz"), gz.finish()?)?;
    }
    Ok(())
}

fn brotli_at(bytes: &[u8], quality: i32) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality,
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
