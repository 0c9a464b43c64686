// End-to-end: the real Credence window under Xvfb, driven through WebKitWebDriver.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { freshHome, launch, seriousViolations } from "./webdriver.mjs";

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
    // Her passphrase unlocks the key that signs every change she makes.
    await s.fill("Your passphrase", "kia kaha mere");
    await s.fill("The passphrase again", "kia kaha mere");
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
    // The coordinator is shown Aroha's one-time enrolment code, to hand over.
    const code = await s.textOf('[data-testid="enrolment-code-shown"]');
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await s.screenshot("setup-enrolment-code");
    await s.click(await s.button("Done"));
    const personRow = await s.until("the new person in the list", async () =>
      (await s.rows("people-table")).find((r) => r[0] === "Aroha Ngata"),
    );
    assert.deepEqual(personRow.slice(0, 5), ["Aroha Ngata", "aroha.ngata@lakeshore.ac.nz", "CS", "Proposer", "Not enrolled"]);
    await s.screenshot("setup-people");

    // Aroha, at this desk, sets her own passphrase with the code and is signed in.
    await s.until("the sign-in screen", async () => {
      if ((await s.findAll("css selector", '[data-testid="sign-in-submit"]')).length) return true;
      const item = (await s.findAll("css selector", '[data-testid="switch-person"]'))[0];
      await s.tryClick(item ?? (await s.css('[data-testid="acting-person"]')));
      return false;
    }, 30000);
    assert.deepEqual(await seriousViolations(s), [], "sign-in screen");
    await s.click(await s.xpath('//*[@role="tab"][normalize-space(.)="I have an enrolment code"]'));
    await s.choose("Who are you?", "Aroha Ngata");
    await s.fill("Enrolment code", "AAAA-BBBB-CCCC");
    await s.fill("Choose a passphrase", "aroha's own words");
    await s.fill("The passphrase again", "aroha's own words");
    await s.click(await s.css('[data-testid="sign-in-submit"]'));
    await s.see("this is not a valid enrolment code for Aroha Ngata");
    await s.screenshot("signin-enrolment-refused");
    assert.deepEqual(await seriousViolations(s), [], "enrolment form");
    await s.fill("Enrolment code", code.toLowerCase());
    await s.click(await s.css('[data-testid="sign-in-submit"]'));
    await s.until("Aroha signed in", async () => (await s.textOf('[data-testid="acting-person"]')).includes("Aroha Ngata"));
    // A proposer is not a coordinator: the People page shows no coordinator actions to her.
    await s.click(await s.button("People"));
    await s.until("Aroha enrolled", async () =>
      (await s.rows("people-table")).find((r) => r[0] === "Aroha Ngata")?.[4] === "Yes",
    );
    // Back to the coordinator: a wrong passphrase is refused where it was typed.
    await s.click(await s.css('[data-testid="acting-person"]'));
    await s.click(await s.css('[data-testid="lock"]'));
    await s.choose("Who are you?", "Mere Tākao");
    await s.fill("Passphrase", "not her passphrase");
    await s.click(await s.css('[data-testid="sign-in-submit"]'));
    await s.see("the passphrase does not open Mere Tākao's signing key");
    await s.screenshot("signin-refused");
    await s.signInAs("Mere Tākao", "kia kaha mere");

    // Every change is in the audit log, under the acting person, and the chain holds.
    await s.click(await s.button("Audit log"));
    await s.see("Mere Tākao");
    await s.click(await s.css('[data-testid="verify-audit"]'));
    await s.see("All 8 entries verified");
    await s.see("7 entries are signed by the person who made them");
    await s.screenshot("setup-audit");
  } catch (e) {
    await s.screenshot(`failed-${Date.now()}`).catch(() => {});
    throw e;
  } finally {
    await s.close();
  }
});

test("the demo workspace opens from the first-launch screen; every screen is accessible in both themes", async () => {
  const home = freshHome("demo");
  const s = await launch(home.env);
  try {
    await s.see("Open the demo workspace");
    assert.deepEqual(await seriousViolations(s), [], "welcome screen");
    await s.click(await s.css('[data-testid="open-demo"]'));
    await s.see("Who are you?");
    assert.deepEqual(await seriousViolations(s), [], "sign-in screen");
    await s.screenshot("demo-sign-in");
    await s.signInAs("Dana Whitfield", "northfield demo");
    for (const theme of ["Light", "Dark"]) {
      await s.click(await s.xpath(`//label[normalize-space(.)="${theme}"]`));
      // Each section with an element that only shows once its data has loaded.
      for (const [section, loaded] of [
        ["Things to do", '[data-testid="inbox-table"] tbody tr'],
        ["Proposals", '[data-testid="proposals-table"] tbody tr[data-index="0"]'],
        ["Meetings", '[data-testid="meetings-table"] tbody tr:nth-child(2)'],
        ["Committee", '[data-testid="service-clock"] tbody tr'],
        ["Credentials", '[data-testid="awards"] tbody tr:nth-child(7)'],
        ["Prior learning", '[data-testid="claims"]'],
        ["Reports", '[data-testid="report-steps"] tbody tr'],
        ["Verify", '[data-testid="drop-zone"]'],
        ["Institution", 'img[alt="Logo of Northfield University"]'],
        ["Units", '[data-testid="units-table"] tbody tr:nth-child(12)'],
        ["People", '[data-testid="people-table"] tbody tr:nth-child(25)'],
        ["Audit log", '[data-testid="audit-trail"] tbody tr:nth-child(37)'],
        ["Taxonomy", '[data-testid="terms-category"] tbody tr:nth-child(4)'],
        ["Policies", "text=Save policies"],
        ["Pathways", '[data-testid="pathway-card"] svg'],
        ["Review routes", '[data-testid="route-card"]'],
        ["Academic calendar", "text=Add a term"],
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
