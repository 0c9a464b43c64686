//! `cargo xtask <task>`: the project's tasks, so that a fresh machine needs two commands.
//!
//! - `run [-- ARGS]`  install what is missing, build the UI, open the Credence window
//! - `test`           install what is missing, then every check CI runs, in CI's order
//! - `package`        build the release app and CLI and bundle them as .deb and .rpm;
//!   `package --debug` bundles the debug binaries the tests built, as they are
//! - `interop`        verify what the tests issued with the independent verifier
//! - `bindings`       regenerate `ui/src/bindings/` from the Rust types
//! - `icons`          regenerate `icons/` from `icons/source.svg`

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Debian packages the build, the app and the tests need.
const APT_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "pkg-config",
    "file",
    "libssl-dev",
    "libxdo-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "librsvg2-bin",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "poppler-utils",
    "qpdf",
    "sqlite3",
    // A real Secret Service (on the session bus `dbus-daemon` gives) for the keyring tests.
    "gnome-keyring",
    "dbus-daemon",
    // The installed-package test: file types and desktop entries as a desktop resolves them.
    "xdg-utils",
    "desktop-file-utils",
    "libglib2.0-bin",
    // The PostgreSQL server the store conformance suite runs against (a throwaway cluster).
    "postgresql",
];

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((t, rest)) => (t.as_str(), rest),
        None => ("help", &[][..]),
    };
    let outcome = match task {
        "run" => run(rest),
        "test" => test(),
        "bindings" => bindings(),
        "icons" => icons(),
        "deps" => deps(),
        "interop" => interop(),
        "ui" => ui(),
        "package" => package(rest.iter().any(|a| a == "--debug")).map(|_| ()),
        _ => {
            eprintln!(
                "usage: cargo xtask run [-- ARGS] | test | package [--debug] | interop | bindings | icons | deps | ui"
            );
            return ExitCode::from(if task == "help" { 0 } else { 1 });
        }
    };
    print_timings();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The steps run so far, each with when it began: printed as a table of durations when the
/// task ends, passed or failed, so a CI log shows where its minutes went.
static STEPS: std::sync::Mutex<Vec<(String, Instant)>> = std::sync::Mutex::new(Vec::new());

fn step(title: &str) {
    println!("\n==> {title}");
    if let Ok(mut steps) = STEPS.lock() {
        steps.push((title.to_string(), Instant::now()));
    }
}

/// Each step's duration (up to the next step, the last up to now), and the total.
fn print_timings() {
    let Ok(steps) = STEPS.lock() else { return };
    let Some((_, first)) = steps.first() else {
        return;
    };
    let end = Instant::now();
    println!("\n==> timings");
    for (i, (title, began)) in steps.iter().enumerate() {
        let until = steps.get(i + 1).map_or(end, |(_, next)| *next);
        println!("{:>7.1} s  {title}", (until - *began).as_secs_f64());
    }
    println!("{:>7.1} s  in all", (end - *first).as_secs_f64());
}

/// Runs a command from the repository root, failing with its description.
fn sh(program: &str, args: &[&str]) -> Result {
    sh_in(&root(), program, args, &[])
}

fn sh_in(dir: &Path, program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result {
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(envs.iter().copied())
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// The Debian packages not installed (none off Linux, where there are none to install).
fn missing_packages() -> Vec<&'static str> {
    if !cfg!(target_os = "linux") {
        return Vec::new();
    }
    APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| {
            Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", p])
                .output()
                .map(|o| !String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
                .unwrap_or(true)
        })
        .collect()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Installs missing Debian packages when root; otherwise prints the exact line to run.
fn deps() -> Result {
    step("system packages");
    let missing = missing_packages();
    if !cfg!(target_os = "linux") {
        // Windows and macOS runners (the release workflow) bring what Tauri needs.
        println!("not Linux: no Debian packages to check");
    } else if missing.is_empty() {
        println!("all {} packages present", APT_PACKAGES.len());
    } else if is_root() {
        sh("apt-get", &["update", "-qq"])?;
        let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
        args.extend(missing.iter().copied());
        sh_in(
            &root(),
            "apt-get",
            &args,
            &[("DEBIAN_FRONTEND", "noninteractive")],
        )?;
    } else {
        return Err(format!(
            "missing packages; install them with:\n  sudo apt-get install -y {}",
            missing.join(" ")
        ));
    }
    for tool in ["node", "npm"] {
        if Command::new(tool).arg("--version").output().is_err() {
            return Err(format!(
                "{tool} is not installed (Node.js 20.19 or newer is needed)"
            ));
        }
    }
    Ok(())
}

/// Installs the UI's packages exactly as locked and builds `ui/dist` (tsc, then Vite).
fn ui() -> Result {
    let dir = root().join("ui");
    step("UI packages (npm ci)");
    sh_in(&dir, "npm", &["ci", "--no-audit", "--no-fund"], &[])?;
    step("UI build (tsc --noEmit, vite build)");
    sh_in(&dir, "npm", &["run", "build"], &[])
}

fn run(args: &[String]) -> Result {
    deps()?;
    ui()?;
    step("build and open Credence");
    let mut cmd: Vec<&str> = vec!["run", "--package", "credence-desktop", "--"];
    cmd.extend(args.iter().map(String::as_str).filter(|a| *a != "--"));
    let headless = env::var_os("DISPLAY").is_none() && env::var_os("WAYLAND_DISPLAY").is_none();
    if headless {
        println!("no display: opening the window on a virtual one (xvfb-run)");
        let mut wrapped = vec!["-a", "cargo"];
        wrapped.extend(cmd);
        sh("xvfb-run", &wrapped)
    } else {
        sh("cargo", &cmd)
    }
}

fn test() -> Result {
    deps()?;
    ui()?;
    step("cargo fmt --check");
    sh("cargo", &["fmt", "--all", "--check"])?;
    // One build serves clippy and the tests: the workspace's own crates are compiled by
    // clippy-driver (as `cargo clippy` does, but producing code), so the dependencies are
    // built once instead of once for checking and once for testing (minutes on CI's 2 cores).
    let clippy = clippy_env()?;
    let lint = borrowed(&clippy);
    step("Rust build of every target, linted by clippy (-D warnings)");
    sh_in(
        &root(),
        "cargo",
        &[
            "test",
            "--workspace",
            "--all-targets",
            "--locked",
            "--no-run",
        ],
        &lint,
    )?;
    step("PostgreSQL: a throwaway cluster for the store conformance suite and the use cases");
    let server = Postgres::start()?;
    step("A keyring: a session bus and GNOME Keyring's Secret Service, for the passwords a window keeps");
    let keyring = Keyring::start()?;
    step("Rust tests (unit, use cases, CLI scenarios, store conformance on SQLite and PostgreSQL, bindings freshness)");
    // The tests keep what they issue here for the independent verifier; nothing stale.
    let issued = root().join("tests/output/issued");
    if issued.exists() {
        std::fs::remove_dir_all(&issued).map_err(|e| format!("{}: {e}", issued.display()))?;
    }
    // The same environment, so nothing is compiled again.
    let mut envs = lint.clone();
    envs.push(("CREDENCE_TEST_POSTGRES", server.url.as_str()));
    envs.push(("DBUS_SESSION_BUS_ADDRESS", keyring.bus.as_str()));
    envs.push(("CREDENCE_TEST_KEYRING", "1"));
    sh_in(
        &root(),
        "cargo",
        &["test", "--workspace", "--locked"],
        &envs,
    )?;
    step("Rust use-case tests again, each workspace a database on the PostgreSQL server");
    // The app's use cases through `common::workspace_at`: the same tests, the other engine
    // (those that open a file of their own stay on SQLite). The executables `cargo test
    // --workspace` built are run as they are: `cargo test -p credence-app` would resolve
    // features for that one package and compile it and its dependencies again (minutes).
    envs.push(("CREDENCE_TEST_ENGINE", "postgres"));
    let app_dir = root().join("src-tauri/crates/app");
    for test in test_executables("credence-app", &lint)? {
        sh_in(&app_dir, &test, &[], &envs)?;
    }
    step("CLI scenarios again, each scenario's workspace a database on the PostgreSQL server");
    let cli_dir = root().join("src-tauri/crates/cli");
    for test in test_executables("credence-cli", &lint)?
        .into_iter()
        .filter(|t| t.contains("/scenarios-"))
    {
        sh_in(&cli_dir, &test, &["cli_scenarios"], &envs)?;
    }
    interop()?;
    // `cargo test --workspace` has just built both binaries (the CLI's tests need them), with
    // the features the tests unify; a separate `cargo build` of the two packages would resolve
    // features differently and compile the app a third time (minutes, and gigabytes of disk:
    // the CI machine ran out of space there).
    let app = root().join("target/debug/credence-desktop");
    let cli = root().join("target/debug/credence");
    for bin in [&app, &cli] {
        if !bin.exists() {
            return Err(format!("{} was not built by cargo test", bin.display()));
        }
    }
    step("end-to-end: WebDriver against the real window under Xvfb");
    // The shared-workspace scenario's database, on the server the Rust tests used.
    let shared = server.database("credence_window")?;
    window_tests(
        "tests/e2e/",
        &[
            ("CREDENCE_APP", &app.display().to_string()),
            ("CREDENCE_CLI", &cli.display().to_string()),
            ("CREDENCE_TEST_WORKSPACE_URL", &shared),
            ("DBUS_SESSION_BUS_ADDRESS", &keyring.bus),
        ],
    )?;
    drop(keyring);
    drop(server);
    installed_package()
}

/// The integration-test executables of a workspace package, as the build of every target
/// made them (asking cargo again with the same settings builds nothing: it reports them).
fn test_executables(package: &str, envs: &[(&str, &str)]) -> Result<Vec<String>> {
    let out = Command::new("cargo")
        .args([
            "test",
            "--workspace",
            "--all-targets",
            "--locked",
            "--no-run",
            "--message-format=json",
        ])
        .current_dir(root())
        .envs(envs.iter().copied())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    if !out.status.success() {
        return Err("cargo could not list the test executables".into());
    }
    // One JSON object a line; an integration test of the package is an artifact whose target
    // is of kind "test" and whose package id ends `#package@version`.
    let found: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"reason\":\"compiler-artifact\""))
        .filter(|l| l.contains(&format!("#{package}@")))
        .filter(|l| l.contains("\"kind\":[\"test\"]"))
        .filter_map(|l| {
            let (_, rest) = l.split_once("\"executable\":\"")?;
            rest.split_once('"').map(|(path, _)| path.to_string())
        })
        .collect();
    if found.is_empty() {
        return Err(format!("cargo listed no integration tests of {package}"));
    }
    Ok(found)
}

/// A PostgreSQL cluster made for one test run: `initdb` into a fresh folder, started on a free
/// loopback port with trust authentication (nothing but this machine reaches it), stopped and
/// deleted when dropped. As root, the server runs as Debian's `postgres` user (it refuses
/// root).
struct Postgres {
    dir: PathBuf,
    bin: PathBuf,
    as_user: Option<&'static str>,
    port: u16,
    url: String,
}

impl Postgres {
    fn start() -> Result<Postgres> {
        let bin = Self::bindir()?;
        let dir = env::temp_dir().join(format!("credence-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let as_user = is_root().then_some("postgres");
        if let Some(user) = as_user {
            sh(
                "chown",
                &[&format!("{user}:{user}"), &dir.display().to_string()],
            )?;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port for PostgreSQL: {e}"))?
            .port();
        let server = Postgres {
            url: format!("postgres://credence@127.0.0.1:{port}/postgres"),
            port,
            dir,
            bin,
            as_user,
        };
        let data = server.dir.join("data").display().to_string();
        server.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "credence",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "-N",
            ],
        )?;
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            server.dir.display()
        );
        let log = server.dir.join("server.log").display().to_string();
        server.run(
            "pg_ctl",
            &["-D", &data, "-o", &options, "-l", &log, "-w", "start"],
        )?;
        println!("PostgreSQL at {}", server.url);
        Ok(server)
    }

    /// Debian's newest installed server (`/usr/lib/postgresql/N/bin`), else the PATH's.
    fn bindir() -> Result<PathBuf> {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter_map(|e| {
                        let v = e.file_name().to_string_lossy().parse().ok()?;
                        let bin = e.path().join("bin");
                        bin.join("initdb").exists().then_some((v, bin))
                    })
                    .collect()
            })
            .unwrap_or_default();
        versions.sort();
        if let Some((_, bin)) = versions.pop() {
            return Ok(bin);
        }
        if Command::new("initdb").arg("--version").output().is_ok() {
            return Ok(PathBuf::new());
        }
        Err("no PostgreSQL server installed (Debian: apt-get install postgresql)".into())
    }

    /// A new, empty database on the server; its URL.
    fn database(&self, name: &str) -> Result<String> {
        let port = self.port.to_string();
        self.run(
            "createdb",
            &["-h", "127.0.0.1", "-p", &port, "-U", "credence", name],
        )?;
        Ok(format!("postgres://credence@127.0.0.1:{port}/{name}"))
    }

    fn run(&self, tool: &str, args: &[&str]) -> Result {
        let program = self.bin.join(tool).display().to_string();
        match self.as_user {
            Some(user) => {
                let mut all = vec!["-u", user, "--", program.as_str()];
                all.extend_from_slice(args);
                sh_in(&self.dir, "runuser", &all, &[])
            }
            None => sh_in(&self.dir, &program, args, &[]),
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.join("data").display().to_string();
        let _ = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A throwaway session bus with GNOME Keyring's Secret Service on it, its keyring unlocked
/// (the one a desktop session gives its user), kept in a folder of its own: the tests keep
/// and find passwords in a real keyring, never the developer's. Stopped when dropped.
struct Keyring {
    dir: PathBuf,
    bus: String,
    bus_pid: String,
}

impl Keyring {
    fn start() -> Result<Keyring> {
        use std::io::Write;
        let dir = env::temp_dir().join(format!("credence-keyring-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["home", "run"] {
            std::fs::create_dir_all(dir.join(sub))
                .map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let out = Command::new("dbus-daemon")
            .args([
                "--session",
                "--fork",
                "--nosyslog",
                "--print-address=1",
                "--print-pid=1",
            ])
            .output()
            .map_err(|e| format!("dbus-daemon: {e} (Debian: apt-get install dbus-daemon)"))?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let mut lines = text.lines();
        let (Some(bus), Some(pid)) = (lines.next(), lines.next()) else {
            return Err(format!(
                "dbus-daemon gave no address: {text} {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        };
        let keyring = Keyring {
            bus: bus.trim().to_string(),
            bus_pid: pid.trim().to_string(),
            dir,
        };
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets", "--daemonize"])
            .env("DBUS_SESSION_BUS_ADDRESS", &keyring.bus)
            .env("HOME", keyring.dir.join("home"))
            .env("XDG_DATA_HOME", keyring.dir.join("home"))
            .env("XDG_RUNTIME_DIR", keyring.dir.join("run"))
            .stdin(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| {
                format!("gnome-keyring-daemon: {e} (Debian: apt-get install gnome-keyring)")
            })?;
        if let Some(mut stdin) = daemon.stdin.take() {
            // The login keyring's own password, for this throwaway keyring only.
            let _ = stdin.write_all(b"credence tests");
        }
        // With --daemonize it returns once the Secret Service is on the bus; it ends when the
        // bus does.
        let status = daemon
            .wait()
            .map_err(|e| format!("gnome-keyring-daemon: {e}"))?;
        if !status.success() {
            return Err(format!("gnome-keyring-daemon failed: {status}"));
        }
        println!("Secret Service on {}", keyring.bus);
        Ok(keyring)
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        // The keyring daemon leaves with its bus.
        let _ = Command::new("kill").arg(&self.bus_pid).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Node's test runner on the test files in `dir`, one at a time, on a virtual display.
fn window_tests(dir: &str, envs: &[(&str, &str)]) -> Result {
    sh_in(
        &root(),
        "xvfb-run",
        &[
            "-a",
            "-s",
            "-screen 0 1440x900x24",
            "node",
            "--test",
            "--test-concurrency=1",
            dir,
        ],
        envs,
    )
}

/// The Debian package of the build just tested, installed with apt, used from outside the
/// checkout (the CLI, a workspace opened through its file type in the window), and removed
/// (`tests/package/installed.test.mjs`). Installing needs root, which CI has.
fn installed_package() -> Result {
    if !is_root() {
        step("installed package: skipped (installing a package needs root; CI runs it)");
        return Ok(());
    }
    let made = package(true)?;
    let deb = made
        .iter()
        .find(|p| p.extension().is_some_and(|x| x == "deb"))
        .ok_or("no .deb was made")?;
    step("installed package: apt install, the CLI and the window from outside the checkout, apt remove");
    window_tests(
        "tests/package/",
        &[("CREDENCE_DEB", &deb.display().to_string())],
    )
}

/// The bundle kinds `package` makes on this platform (file extensions in
/// `target/<profile>/bundle/<kind>/`).
const BUNDLES: &[&str] = if cfg!(target_os = "windows") {
    &["msi", "nsis"]
} else if cfg!(target_os = "macos") {
    &["dmg"]
} else {
    &["deb", "rpm"]
};

/// Builds the platform's packages with Tauri's bundler (`tauri bundle`, the CLI from the UI's
/// locked npm packages): on Linux a Debian package and an RPM holding the window, the
/// `credence` command, icons, the desktop entry and the workspace file type
/// (`src-tauri/tauri.conf.json`, `src-tauri/packaging/linux/`); on Windows MSI and NSIS
/// installers, on macOS a disk image (built by `.github/workflows/release.yml`, not tested
/// here). Release: builds both binaries optimized first. Debug: bundles the binaries in
/// `target/debug` as they are, which is what the test command installs and checks (a release
/// build would add a quarter of an hour to every CI run). Returns the files made.
fn package(debug: bool) -> Result<Vec<PathBuf>> {
    let profile = if debug { "debug" } else { "release" };
    if !debug {
        deps()?;
        ui()?;
        step("release build of the window and the CLI");
        sh(
            "cargo",
            &[
                "build",
                "--release",
                "--locked",
                "-p",
                "credence-desktop",
                "-p",
                "credence-cli",
            ],
        )?;
    }
    let target = root().join("target").join(profile);
    for bin in ["credence-desktop", "credence"] {
        let bin = target.join(format!("{bin}{}", env::consts::EXE_SUFFIX));
        if !bin.exists() {
            return Err(format!(
                "{} is not built; run `cargo xtask test` (debug) or `cargo xtask package` (release)",
                bin.display()
            ));
        }
    }
    step(&format!(
        "packages ({}) of the {profile} build",
        BUNDLES.join(", ")
    ));
    let bundle = target.join("bundle");
    if bundle.exists() {
        std::fs::remove_dir_all(&bundle).map_err(|e| format!("{}: {e}", bundle.display()))?;
    }
    let config = if cfg!(target_os = "linux") {
        // The CLI travels in both packages from this profile's folder (paths are relative
        // to src-tauri/, where tauri.conf.json is).
        let files = format!(
            r#"{{"/usr/bin/credence":"../target/{profile}/credence","/usr/share/mime/packages/credence-workspace.xml":"packaging/linux/credence-workspace.xml"}}"#
        );
        format!(
            r#"{{"bundle":{{"linux":{{"deb":{{"files":{files}}},"rpm":{{"files":{files}}}}}}}}}"#
        )
    } else if let Ok(thumbprint) = env::var("CREDENCE_WINDOWS_THUMBPRINT") {
        // The release workflow's signing certificate, imported into the runner's store.
        format!(r#"{{"bundle":{{"windows":{{"certificateThumbprint":"{thumbprint}"}}}}}}"#)
    } else {
        "{}".to_string()
    };
    let tauri = root().join(if cfg!(windows) {
        "ui/node_modules/.bin/tauri.cmd"
    } else {
        "ui/node_modules/.bin/tauri"
    });
    let kinds = BUNDLES.join(",");
    let mut args = vec![
        "bundle",
        "--bundles",
        &kinds,
        "--ci",
        "--no-binary-patching",
    ];
    if debug {
        args.push("--debug");
    }
    args.extend(["--config", &config]);
    sh_in(
        &root().join("src-tauri"),
        &tauri.display().to_string(),
        &args,
        &[],
    )?;
    let mut made = Vec::new();
    for kind in BUNDLES {
        let dir = bundle.join(kind);
        let files = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        made.extend(
            files
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file()),
        );
    }
    if made.is_empty() {
        return Err(format!("no package in {}", bundle.display()));
    }
    for p in &made {
        let size = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        println!("{} ({:.1} MB)", p.display(), size as f64 / 1e6);
    }
    Ok(made)
}

/// What makes cargo compile the workspace's crates with clippy's lints denied, as `cargo
/// clippy -- -D warnings` does: clippy-driver (beside the cargo running this) as the
/// workspace's compiler wrapper, and the lint flags in `CLIPPY_ARGS`.
fn clippy_env() -> Result<Vec<(&'static str, String)>> {
    let beside_cargo = env::var_os("CARGO")
        .map(PathBuf::from)
        .and_then(|cargo| cargo.parent().map(|dir| dir.join("clippy-driver")))
        .filter(|driver| driver.exists());
    let driver = match beside_cargo {
        Some(driver) => driver,
        None => {
            let found = Command::new("clippy-driver").arg("--version").output();
            if !found.is_ok_and(|o| o.status.success()) {
                return Err("clippy-driver is not installed (rustup component add clippy)".into());
            }
            PathBuf::from("clippy-driver")
        }
    };
    Ok(vec![
        ("RUSTC_WORKSPACE_WRAPPER", driver.display().to_string()),
        (
            "CLIPPY_ARGS",
            ["-D", "warnings", ""].join("__CLIPPY_HACKERY__"),
        ),
    ])
}

/// Environment variables as `sh_in` takes them.
fn borrowed<'a>(vars: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    vars.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Every file the tests issued, verified by code nobody here wrote: Digital Bazaar's VC stack
/// (both cryptosuites, JSON-LD safe mode, status lists) and ajv with formats on the 1EdTech
/// schema, offline, from the pinned lock file in `tests/interop`.
fn interop() -> Result {
    step("independent verifier: every issued file (tests/interop, npm ci)");
    let dir = root().join("tests/interop");
    sh_in(&dir, "npm", &["ci", "--no-audit", "--no-fund"], &[])?;
    sh_in(
        &root(),
        "node",
        &[
            "tests/interop/verify.mjs",
            "--expect",
            "json,png,svg,pdf,status-list,revoked,eddsa-rdfc-2022,eddsa-jcs-2022",
            "tests/output/issued",
        ],
        &[],
    )
}

/// The bindings test rewrites what it would otherwise compare, so xtask itself depends on
/// nothing and builds in seconds on a fresh clone.
fn bindings() -> Result {
    // The same compiler settings as `test`, so neither run rebuilds what the other built.
    let clippy = clippy_env()?;
    let mut envs = borrowed(&clippy);
    envs.push(("UPDATE_BINDINGS", "1"));
    sh_in(
        &root(),
        "cargo",
        &[
            "test",
            "-p",
            "credence-app",
            "--lib",
            "--locked",
            "bindings::tests::bindings_are_fresh",
            "--",
            "--exact",
            "--nocapture",
        ],
        &envs,
    )
}

/// Renders the source SVG to a 1024-pixel PNG and lets the Tauri CLI derive every icon.
fn icons() -> Result {
    let icons = root().join("icons");
    let png = icons.join("source.png");
    sh(
        "rsvg-convert",
        &[
            "-w",
            "1024",
            "-h",
            "1024",
            "icons/source.svg",
            "-o",
            &png.display().to_string(),
        ],
    )?;
    sh_in(
        &root().join("ui"),
        "npx",
        &[
            "--yes",
            "@tauri-apps/cli@2.12",
            "icon",
            "../icons/source.png",
            "-o",
            "../icons",
        ],
        &[],
    )?;
    // Credence is a desktop app: mobile icon sets are not kept.
    for mobile in ["android", "ios"] {
        let dir = icons.join(mobile);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
    }
    Ok(())
}
