// End-to-end: the window on a shared workspace, a database on the PostgreSQL server the test
// command starts (`CREDENCE_TEST_WORKSPACE_URL`, an empty database). The demo is made there
// by the command line; the coordinator signs in to the window; a unit added by the command
// line (another seat) appears in the open window's list without a reload.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { freshHome, launch, root } from "./webdriver.mjs";

function cli(workspace, args) {
  const cmd = process.env.CREDENCE_CLI ?? join(root, "target/debug/credence");
  return execFileSync(cmd, ["--workspace", workspace, ...args], {
    env: { ...process.env, CREDENCE_PASSPHRASE: "northfield demo" },
    encoding: "utf8",
  });
}

test("a change made by another seat appears in the window on a shared workspace", async () => {
  const url = process.env.CREDENCE_TEST_WORKSPACE_URL;
  assert.ok(url, "CREDENCE_TEST_WORKSPACE_URL names an empty database: run `cargo xtask test`");
  assert.match(cli(url, ["demo"]), /Created the demo workspace postgres:\/\//);
  const home = freshHome("shared");
  const s = await launch(home.env, ["--workspace", url]);
  try {
    await s.signInAs("Dana Whitfield", "northfield demo");
    await s.click(await s.button("Units"));
    await s.until("the demo's units", async () =>
      (await s.rows("units-table")).find((r) => r[1] === "College of Engineering"),
    );
    await s.screenshot("shared-workspace-units");
    // Another seat (the command line, as the coordinator) adds a unit.
    cli(url, ["--as", "dana.whitfield@northfield.edu", "unit", "add", "--code", "SEAT2", "--name", "Office of the Second Seat", "--kind", "administrative_office"]);
    const row = await s.until("the other seat's unit, without a reload", async () =>
      (await s.rows("units-table")).find((r) => r[1] === "Office of the Second Seat"),
    );
    assert.equal(row[0], "SEAT2");
  } finally {
    await s.close();
  }
});
