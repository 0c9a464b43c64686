// End-to-end: the real Credence window under Xvfb, driven through WebKitWebDriver.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freshHome, launch, root } from "./webdriver.mjs";

test("a coordinator sets up a workspace, adds a unit and a person, and finds them in the lists", async () => {
  const home = freshHome("setup");
  const s = await launch({ ...home.env, CREDENCE_WORKSPACE: join(home.dir, "northfield.credence") });
  try {
    await s.see("Create a workspace");
    await s.fill("Institution name", "Lakeshore College");
    await s.choose("Country", "New Zealand");
    await s.fill("Website", "https://lakeshore.ac.nz");
    await s.fill("Your name", "Mere Tākao");
    await s.fill("Your email", "not-an-email");
    await s.click(await s.button("Create the workspace"));
    // The backend's message appears next to the field it names, and nothing is created.
    await s.see("is not an email address");
    await s.fill("Your email", "mere.takao@lakeshore.ac.nz");
    await s.click(await s.button("Create the workspace"));

    await s.see("Lakeshore College");
    await s.click(await s.button("Units"));
    await s.click(await s.css('[data-testid="add-unit"]'));
    await s.fill("Code", "cs");
    await s.fill("Name", "School of Computing");
    await s.choose("Kind", "School");
    await s.click(await s.css('[data-testid="unit-save"]'));
    const unitRow = await s.until("the new unit in the list", async () =>
      (await s.rows("units-table")).find((r) => r[1] === "School of Computing"),
    );
    assert.deepEqual(unitRow.slice(0, 4), ["CS", "School of Computing", "School", "—"]);

    // A duplicate code is refused with the field named.
    await s.click(await s.css('[data-testid="add-unit"]'));
    await s.fill("Code", "CS");
    await s.fill("Name", "Computer Studies");
    await s.click(await s.css('[data-testid="unit-save"]'));
    await s.see("the code CS is already used by School of Computing");
    await s.click(await s.button("Cancel"));

    await s.click(await s.button("People"));
    await s.click(await s.css('[data-testid="add-person"]'));
    await s.fill("Name", "Aroha Ngata");
    await s.fill("Email", "aroha.ngata@lakeshore.ac.nz");
    await s.choose("Unit", "School of Computing");
    await s.choose("Roles", "Proposer");
    // A multi-select stays open for more choices; click away to close it.
    await s.click(await s.xpath('//*[contains(@class,"mantine-Modal-title")]'));
    await s.click(await s.css('[data-testid="person-save"]'));
    const personRow = await s.until("the new person in the list", async () =>
      (await s.rows("people-table")).find((r) => r[0] === "Aroha Ngata"),
    );
    assert.deepEqual(personRow.slice(0, 4), ["Aroha Ngata", "aroha.ngata@lakeshore.ac.nz", "CS", "Proposer"]);
    await s.screenshot("setup-people");

    // Every change is in the audit log, under the acting person, and the chain holds.
    await s.click(await s.button("Audit log"));
    await s.see("Mere Tākao");
    await s.click(await s.css('[data-testid="verify-audit"]'));
    await s.see("All 5 entries verified");
    await s.screenshot("setup-audit");
  } catch (e) {
    await s.screenshot(`failed-${Date.now()}`).catch(() => {});
    throw e;
  } finally {
    await s.close();
  }
});

const axeSource = readFileSync(join(root, "ui/node_modules/axe-core/axe.min.js"), "utf8");

/** Runs axe-core on the current screen; returns the serious and critical violations. */
async function seriousViolations(s) {
  await s.execute(`${axeSource}; return true;`);
  const json = await s.executeAsync(`
    const done = arguments[arguments.length - 1];
    axe.run(document, { resultTypes: ["violations"] })
      .then((r) => done(JSON.stringify(r.violations)))
      .catch((e) => done(JSON.stringify([{ id: "axe-error", impact: "critical", help: String(e), nodes: [] }])));
  `);
  return JSON.parse(json)
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

test("the demo workspace opens from the first-launch screen; every screen is accessible in both themes", async () => {
  const home = freshHome("demo");
  const s = await launch(home.env);
  try {
    await s.see("Open the demo workspace");
    assert.deepEqual(await seriousViolations(s), [], "welcome screen");
    await s.click(await s.css('[data-testid="open-demo"]'));
    await s.see("Northfield University");
    for (const theme of ["Light", "Dark"]) {
      await s.click(await s.xpath(`//label[normalize-space(.)="${theme}"]`));
      // Each section with an element that only shows once its data has loaded.
      for (const [section, loaded] of [
        ["Things to do", '[data-testid="inbox-table"] tbody tr'],
        ["Proposals", '[data-testid="proposals-table"] tbody tr[data-index="0"]'],
        ["Meetings", '[data-testid="meetings-table"] tbody tr:nth-child(2)'],
        ["Committee", '[data-testid="service-clock"] tbody tr'],
        ["Credentials", '[data-testid="awards"] tbody tr:nth-child(7)'],
        ["Verify", '[data-testid="drop-zone"]'],
        ["Institution", 'img[alt="Logo of Northfield University"]'],
        ["Units", '[data-testid="units-table"] tbody tr:nth-child(12)'],
        ["People", '[data-testid="people-table"] tbody tr:nth-child(25)'],
        ["Audit log", '[data-testid="audit-trail"] tbody tr:nth-child(37)'],
        ["Taxonomy", '[data-testid="terms-category"] tbody tr:nth-child(4)'],
        ["Policies", "text=Save policies"],
        ["Pathways", '[data-testid="pathway-card"] svg'],
        ["Review routes", '[data-testid="route-card"]'],
      ]) {
        await s.click(await s.button(section));
        if (loaded.startsWith("text=")) await s.see(loaded.slice(5));
        else await s.css(loaded);
        await s.screenshot(`demo-${section.toLowerCase().replace(" ", "-")}-${theme.toLowerCase()}`);
        assert.deepEqual(await seriousViolations(s), [], `${section} in the ${theme} theme`);
      }
    }
  } catch (e) {
    await s.screenshot(`failed-${Date.now()}`).catch(() => {});
    throw e;
  } finally {
    await s.close();
  }
});
