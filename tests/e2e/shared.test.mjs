// End-to-end: the window on a shared workspace, a database on the PostgreSQL server the test
// command starts (`CREDENCE_TEST_WORKSPACE_URL`, an empty database). The demo is made there
// by the command line; the window, started with no workspace, connects to it from the
// welcome screen ("Connect to a shared workspace"), keeping the password in the keyring the
// test command starts (GNOME Keyring's Secret Service); the coordinator signs in; a unit
// added by the command line (another seat) appears in the open window's list without a reload. Then a proposer
// holds a draft open while another seat saves it first: the window's save is refused naming
// who changed it and when, and "Reload the draft" shows their change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
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
  // A first start with no workspace: the welcome screen.
  const s = await launch(home.env, ["--workspace", join(home.dir, "none.credence")]);
  try {
    await s.see("Connect to a shared workspace");
    await s.fill("Address", url);
    await s.fill("Database password", "the committee's password");
    await s.screenshot("connect-shared-workspace");
    await s.click(await s.css('[data-testid="connect"]'));
    await s.see("Your password is kept in this computer's keyring.");
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

    // Two seats on one draft: the window holds it open, the command line saves it first.
    await s.signInAs("Priya Raman", "northfield demo");
    await s.click(await s.button("Proposals"));
    const title = "Ethics in Artificial Intelligence";
    await s.clickFound(() => s.xpath(`//a[normalize-space(.)="${title}"]`));
    await s.see("Never submitted");
    const id = new RegExp(`^(\\d+)\\s+draft\\s+0\\s+${title}`, "m").exec(cli(url, ["proposal", "list", "--status", "draft"]))[1];
    const edit = join(home.dir, "edit.json");
    writeFileSync(edit, JSON.stringify({ description: "Rewritten at the second seat." }));
    cli(url, ["--as", "priya.raman@northfield.edu", "proposal", "edit", id, "--file", edit]);
    await s.fill("Title", `${title}, revised`);
    await s.see("Priya Raman changed this proposal at");
    await s.see("nothing of yours was saved");
    await s.screenshot("shared-save-conflict");
    await s.click(await s.css('[data-testid="reload-draft"]'));
    const description = await s.until("their description in the form", async () => {
      const field = await s.labelled("Description");
      const value = await s.execute("return arguments[0].value;", [{ [s.refKey]: field }]);
      return value === "Rewritten at the second seat." && value;
    });
    assert.equal(description, "Rewritten at the second seat.");
    // The draft is theirs: what the window typed over a stale copy was not saved.
    const stored = JSON.parse(cli(url, ["proposal", "show", id, "--json"])).proposal.content;
    assert.deepEqual([stored.title, stored.description], [title, "Rewritten at the second seat."]);
  } finally {
    await s.close();
  }
});
