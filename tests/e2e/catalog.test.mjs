// End-to-end: the public catalog in a real browser engine (the window's own WebKit). The
// demo's catalog is exported with `credence catalog export`, then opened from disk: the
// index, a microcredential's page and its Spanish edition pass axe (no serious or critical violations), search
// and filters narrow the list with the count announced, and a teach-out is marked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { freshHome, launch, root, seriousViolations } from "./webdriver.mjs";

function cli(workspace, args) {
  const cmd = process.env.CREDENCE_CLI ?? join(root, "target/debug/credence");
  return execFileSync(cmd, ["--workspace", workspace, ...args], { env: process.env, encoding: "utf8" });
}

test("the demo's public catalog is accessible, searchable and filterable", async () => {
  const home = freshHome("catalog");
  const workspace = join(home.dir, "demo.credence");
  const site = join(home.dir, "catalog");
  cli(workspace, ["demo"]);
  assert.match(cli(workspace, ["catalog", "export", "--out", site]), /Wrote the catalog/);
  const s = await launch(home.env, ["--workspace", workspace]);
  try {
    await s.cmd("POST", "/url", { url: pathToFileURL(join(site, "index.html")).href });
    await s.until("the catalog index", async () => (await s.pageText()).includes("Microcredentials at Northfield University"));
    assert.deepEqual(await seriousViolations(s), []);
    const count = () => s.execute(`return document.getElementById("count").textContent;`);
    assert.equal(await count(), "3 microcredentials");
    assert.match(await s.pageText(), /Teach-out: no new enrolments/);
    await s.screenshot("catalog-index");

    // Search narrows the list, and the count says so.
    await s.type(await s.css("#q"), "spreadsheet");
    await s.until("one result", async () => (await count()) === "1 microcredential");
    const visible = await s.execute(
      `return [...document.querySelectorAll(".card")].filter((c) => !c.hidden).map((c) => c.querySelector("h3").textContent);`,
    );
    assert.deepEqual(visible, ["Spreadsheet Modelling Basics"]);
    // Filters combine with the search: every demo microcredential is non-credit.
    await s.execute(`const f = document.getElementById("credit"); f.value = "Non-credit"; f.dispatchEvent(new Event("change"));`);
    await s.until("still one", async () => (await count()) === "1 microcredential");
    await s.execute(`const q = document.getElementById("q"); q.value = ""; q.dispatchEvent(new Event("input"));`);
    await s.until("all non-credit ones", async () => (await count()) === "3 microcredentials");

    // A microcredential's page: what it certifies and its achievement, accessible too.
    await s.cmd("POST", "/url", { url: pathToFileURL(join(site, "credentials/spreadsheet-modelling-basics.html")).href });
    await s.until("the page", async () => (await s.pageText()).includes("Learning outcomes"));
    assert.match(await s.pageText(), /achievements\/spreadsheet-modelling-basics\/v2\.json/);
    assert.deepEqual(await seriousViolations(s), []);
    await s.screenshot("catalog-page");

    // Its Spanish edition, reached from it: the texts in Spanish, marked so, accessible.
    await s.click(await s.css('a[hreflang="es"]'));
    await s.until("the Spanish page", async () => (await s.pageText()).includes("Fundamentos de modelado con hojas de cálculo"));
    assert.equal(await s.execute(`return document.querySelector("h1").lang;`), "es");
    assert.match(await s.pageText(), /achievements\/spreadsheet-modelling-basics\/v2-es\.json/);
    assert.deepEqual(await seriousViolations(s), []);
    await s.screenshot("catalog-page-es");
  } finally {
    await s.close();
  }
});
