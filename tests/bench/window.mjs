// Benchmark of the window: start to the first screen with the demo workspace, and the memory
// of the app and its web view once that screen shows. Run under a display, for example:
//   xvfb-run -a -s "-screen 0 1440x900x24" node tests/bench/window.mjs \
//     --binary target/release/credence-desktop --cli target/release/credence --runs 5 [--cold]
// Start is timed from asking WebKitWebDriver for a session (which starts the app) until the
// sign-in screen of the workspace is in the page; memory is each process's proportional set
// size (PSS: shared pages divided among their users) and resident set (RSS), from /proc.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { launch } from "../e2e/webdriver.mjs";

const { values } = parseArgs({
  options: {
    binary: { type: "string", default: "target/release/credence-desktop" },
    cli: { type: "string", default: "target/release/credence" },
    runs: { type: "string", default: "5" },
    // Empty the kernel's page cache before each start (root only), as after a reboot: the
    // binary, WebKit and the workspace are read from disk again.
    cold: { type: "boolean", default: false },
  },
});
const binary = resolve(values.binary);
const cli = resolve(values.cli);
const runs = Number(values.runs);
for (const f of [binary, cli]) if (!existsSync(f)) throw new Error(`${f} does not exist; build it first`);

const home = mkdtempSync(join(tmpdir(), "credence-bench-window-"));
const workspace = join(home, "demo.credence");
execFileSync(cli, ["--workspace", workspace, "demo"], { env: { ...process.env, CREDENCE_PASSPHRASE: "northfield demo" }, stdio: "ignore" });
// The window as people run it: whatever renderer it chooses, unless set here on purpose.
const env = { XDG_DATA_HOME: join(home, "data"), XDG_CONFIG_HOME: join(home, "config"), XDG_CACHE_HOME: join(home, "cache") };

/** The process ids below `pid`, with their command names. */
function descendants(pid) {
  const children = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push({ pid: Number(name), comm });
    } catch {
      // gone meanwhile
    }
  }
  const out = [];
  const walk = (p) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(pid);
  return out;
}

function memoryKb(pid) {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const field = (name) => Number(rollup.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0);
  return { pss: field("Pss"), rss: field("Rss") };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const starts = [];
let memory = null;
for (let i = 0; i < runs; i++) {
  if (values.cold) execFileSync("sh", ["-c", "sync; echo 3 > /proc/sys/vm/drop_caches"]);
  const t0 = performance.now();
  const s = await launch(env, [workspace], { binary, screenshots: false });
  try {
    await s.until("the sign-in screen", async () => (await s.findAll("css selector", '[data-testid="sign-in-submit"]')).length > 0, 60000);
    starts.push(performance.now() - t0);
    if (i === runs - 1) {
      // Let the page settle (fonts, first queries) before reading memory.
      await new Promise((r) => setTimeout(r, 3000));
      const procs = descendants(s.driver.pid).filter((p) => p.comm !== "WebKitWebDriver");
      memory = procs.map((p) => ({ ...p, ...memoryKb(p.pid) }));
    }
  } finally {
    await s.close();
  }
}

const mb = (kb) => (kb / 1024).toFixed(0);
console.log(`binary: ${binary} (${(statSync(binary).size / 1e6).toFixed(1)} MB)`);
console.log(`start to the first screen${values.cold ? " (page cache emptied before each)" : ""}, ${runs} runs: median ${median(starts).toFixed(0)} ms, first ${starts[0].toFixed(0)} ms, all ${starts.map((t) => t.toFixed(0)).join(", ")}`);
console.log("memory once the first screen shows (PSS, RSS in MB):");
for (const p of memory) console.log(`  ${p.comm.padEnd(22)} ${mb(p.pss).padStart(5)} ${mb(p.rss).padStart(5)}`);
const sum = (k) => memory.reduce((a, p) => a + p[k], 0);
console.log(`  ${"in all".padEnd(22)} ${mb(sum("pss")).padStart(5)} ${mb(sum("rss")).padStart(5)}`);
