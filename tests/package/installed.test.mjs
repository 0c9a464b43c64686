// The Debian package as a coordinator meets it: installed with apt, the `credence` command
// on the PATH, a workspace file opened through its file type's desktop entry in the
// installed window, then the package removed with the user's files left as they were.
// Everything installed runs from a folder outside the checkout. Needs root (apt) and the
// package path in CREDENCE_DEB; `cargo xtask test` runs it after building the package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { launch, root } from "../e2e/webdriver.mjs";

const deb = process.env.CREDENCE_DEB;
const MIME = "application/x-credence-workspace";

/** Runs an installed program from `cwd`, with a PATH that holds nothing of the checkout. */
function run(cwd, env, program, args) {
  return execFileSync(program, args, {
    cwd,
    env: { ...env, PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** Every file under `dir` with its size and hash, to show a folder was left as it was. */
function tree(dir) {
  const out = {};
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = sha256(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** The Exec line of a desktop entry, its field codes filled for one file, as argv. */
function execLine(desktopFile, file) {
  const line = readFileSync(desktopFile, "utf8")
    .split("\n")
    .find((l) => l.startsWith("Exec="));
  assert.ok(line, `${desktopFile} has an Exec line`);
  return line
    .slice("Exec=".length)
    .trim()
    .split(/\s+/)
    .flatMap((part) => (part === "%f" || part === "%F" || part === "%u" || part === "%U" ? [file] : part.startsWith("%") ? [] : [part]));
}

test("the Debian package installs, opens a workspace from its file type, and leaves the user's files when removed", { skip: !deb && "CREDENCE_DEB is not set" }, async () => {
  assert.ok(existsSync(deb), `${deb} exists`);
  const home = mkdtempSync(join(tmpdir(), "credence-installed-"));
  assert.ok(!home.startsWith(root), "the test folder is outside the checkout");
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, "data"),
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_CACHE_HOME: join(home, "cache"),
    CREDENCE_PASSPHRASE: "northfield demo",
  };
  delete env.CREDENCE_WORKSPACE;

  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", deb], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  let installed = true;
  try {
    assert.equal(run(home, env, "which", ["credence"]).trim(), "/usr/bin/credence");
    assert.match(run(home, env, "credence", ["--version"]), /^credence \d+\.\d+\.\d+/);

    // A workspace made by the installed CLI, in the user's own folder.
    const workspace = join(home, "Northfield review.credence");
    run(home, env, "credence", ["--workspace", workspace, "demo"]);
    assert.ok(existsSync(workspace));

    // The file is of Credence's type as a file manager sees it (GIO: by its name, and by
    // its content under another name), and that type opens with Credence's desktop entry.
    const contentType = (file) => run(home, env, "gio", ["info", "--attributes=standard::content-type", file]).match(/content-type: (\S+)/)?.[1];
    assert.equal(contentType(workspace), MIME);
    const renamed = join(home, "copy-without-extension");
    copyFileSync(workspace, renamed);
    assert.equal(contentType(renamed), MIME);
    const entry = run(home, env, "xdg-mime", ["query", "default", MIME]).trim();
    assert.match(entry, /\.desktop$/, `a desktop entry opens ${MIME}`);
    const desktopFile = join("/usr/share/applications", entry);
    assert.ok(existsSync(desktopFile), `${desktopFile} is installed`);
    const [program, ...args] = execLine(desktopFile, workspace);
    const binary = run(home, env, "which", [program]).trim();
    assert.equal(binary, "/usr/bin/credence-desktop");

    // The installed window, started as the entry says, shows that workspace's sign-in
    // (its institution and people), not the first-launch screen.
    const s = await launch({ ...env, CREDENCE_PASSPHRASE: "" }, args, { binary, cwd: home });
    try {
      await s.until("the workspace's sign-in screen", async () => (await s.findAll("css selector", '[data-testid="sign-in-submit"]')).length > 0, 30000);
      await s.see("Northfield University");
      assert.equal((await s.findAll("css selector", '[data-testid="open-demo"]')).length, 0, "not the welcome screen");
      await s.screenshot("installed-window");
    } catch (e) {
      await s.screenshot("failed-installed-window").catch(() => {});
      throw e;
    } finally {
      await s.close();
    }

    // Removing the package leaves the workspace and the user's data as they were.
    const before = { workspace: sha256(workspace), data: tree(join(home, "data")), config: tree(join(home, "config")) };
    assert.ok(Object.keys(before.data).length > 0, "the window remembered something in the user's data folder");
    execFileSync("apt-get", ["remove", "-y", "-qq", "credence"], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    installed = false;
    assert.ok(!existsSync("/usr/bin/credence") && !existsSync("/usr/bin/credence-desktop"), "the programs are gone");
    assert.ok(!existsSync(desktopFile), "the desktop entry is gone");
    assert.equal(sha256(workspace), before.workspace, "the workspace file is untouched");
    assert.deepEqual(tree(join(home, "data")), before.data, "the user's data folder is untouched");
    assert.deepEqual(tree(join(home, "config")), before.config, "the user's settings are untouched");
  } finally {
    if (installed) {
      execFileSync("apt-get", ["remove", "-y", "-qq", "credence"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, stdio: "ignore" });
    }
  }
});
