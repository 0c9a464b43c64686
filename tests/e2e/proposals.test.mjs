// End-to-end: a proposal drafted, checked against the policies, submitted, returned and
// resubmitted in the real window (demo workspace, as its coordinator).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshHome, launch } from "./webdriver.mjs";

test("a proposal is drafted, checked, refused, fixed, submitted, returned and resubmitted", async () => {
  const home = freshHome("proposal");
  const s = await launch(home.env);
  try {
    await s.click(await s.css('[data-testid="open-demo"]'));
    await s.signInAs("Dana Whitfield", "northfield demo");
    await s.click(await s.button("Proposals"));
    await s.see("48 cases");

    await s.click(await s.css('[data-testid="new-proposal"]'));
    await s.type(await s.css('[data-testid="new-proposal-title"]'), "Drone Robotics Mapping");
    await s.click(await s.css('[data-testid="create-proposal"]'));
    await s.see("Never submitted");

    await s.choose("Credit status", "Credit-bearing");
    await s.fill("Credits", "3");
    await s.fill("Learning outcomes", "Plan a drone survey.");
    // Three blocking rules fire, each naming its field, and the duplicate check finds Robotics.
    await s.see("3 credits is outside the 6 to 12 credits");
    await s.see("a badge must be assessed");
    await s.see("set a review cycle of 1 to 3 years");
    await s.see("Possible duplicates");
    // The badge preview is a PNG the backend drew from the taxonomy.
    const badge = await s.execute("return document.querySelector('[data-testid=badge-preview]')?.src ?? '';");
    assert.match(badge, /^data:image\/png;base64,/);
    const similar = await s.textOf('[data-testid="similar-proposals"]');
    assert.match(similar, /Robotics/);
    await s.screenshot("proposal-three-rules");

    // Attachments: a syllabus is kept; a program is refused by name.
    const files = join(home.dir, "files");
    mkdirSync(files, { recursive: true });
    writeFileSync(join(files, "syllabus.pdf"), "%PDF-1.4 drone syllabus");
    writeFileSync(join(files, "setup.exe"), "MZ\x90\x00 not a document");
    await s.upload('[data-testid="attach-input"]', [join(files, "syllabus.pdf")]);
    await s.until("the attachment to be listed", async () => (await s.rows("attachments-table")).some((r) => r[0] === "syllabus.pdf" && r[1] === "application/pdf"));
    await s.upload('[data-testid="attach-input"]', [join(files, "setup.exe")]);
    await s.see("setup.exe is a program or script; programs are never attached");
    assert.equal((await s.rows("attachments-table")).length, 1);
    // A custom SVG badge loses its script and its outside link, and replaces the drawn one.
    writeFileSync(
      join(files, "badge.svg"),
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" onload="alert(1)"><script>alert(2)</script>' +
        '<image href="https://tracker.example/p.png" width="1" height="1"/><circle cx="50" cy="50" r="45" fill="#0a7"/></svg>',
    );
    await s.upload('[data-testid="badge-input"]', [join(files, "badge.svg")]);
    await s.see("Removed from the SVG for safety");
    await s.see("the <script> element");
    await s.see("Your own image: badge.svg");
    await s.screenshot("proposal-attachments");

    await s.click(await s.css('[data-testid="submit-proposal"]'));
    await s.css('[data-testid="move-error"]');
    assert.equal(await s.textOf('[data-testid="proposal-status"]'), "Draft");

    await s.fill("Credits", "9");
    await s.choose("Assessment types", "Project");
    await s.click(await s.xpath('//*[@data-testid="proposal-title"]'));
    await s.fill("Review cycle", "2");
    await s.fill("Learning outcomes", "Plan a drone survey.\nFly it safely.\nBuild a map from the images.");
    // The texts in Spanish too: the check asks for every outcome in it before submission.
    const card = '[data-testid="translation-0"]';
    await s.choose("Add a language", "Español", null, async () => (await s.findAll("css selector", card)).length > 0);
    await s.type(await s.css(`${card} [data-testid="translation-title"]`), "Cartografía con drones");
    const translated = await s.css(`${card} [data-testid="translation-outcomes"]`);
    await s.type(translated, "Planificar un vuelo.");
    await s.see("give each of the 3 learning outcomes in Español, one per line (there are 1)");
    await s.type(translated, "\uE007Volar con seguridad.\uE007Construir un mapa con las imágenes.");
    // Should it not pass (seen once in CI), the failure says what the panel and the fields held.
    const policy = '[data-testid="policy-panel"]';
    await s.until("the policy check to pass", async () => (await s.textOf(policy)).includes("Meets every policy."), 20000, async () =>
      JSON.stringify({
        panel: await s.textOf(policy),
        fields: await s.execute("return [...document.querySelectorAll('input, textarea')].filter((e) => e.value).map((e) => e.value.slice(0, 80));"),
      }),
    );
    await s.screenshot("proposal-languages");
    await s.click(await s.css('[data-testid="submit-proposal"]'));
    await s.until("the proposal to be submitted", async () => (await s.textOf('[data-testid="proposal-status"]')) === "Submitted");
    await s.see("Version 1");

    await s.click(await s.css('[data-testid="return-proposal"]'));
    await s.click(await s.css('[data-testid="confirm-return"]'));
    await s.see("say what the proposer must complete");
    await s.type(await s.css('[data-testid="return-comment"]'), "Add the flight-safety assessment.");
    await s.click(await s.css('[data-testid="confirm-return"]'));
    await s.until("the proposal back in draft", async () => (await s.textOf('[data-testid="proposal-status"]')) === "Draft");

    // The revision, as a redline against version 1: an outcome reworded is a major change.
    await s.fill("Learning outcomes", "Plan a drone survey.\nFly it safely within the flight rules.\nBuild a map from the images.");
    await s.until("the redline of the revision", async () =>
      (await s.findAll("css selector", '[data-testid="changes-panel"]')).length > 0 &&
      (await s.textOf('[data-testid="changes-panel"]')).includes("outcomes reworded"),
    );
    assert.match(await s.textOf('[data-testid="changes-panel"]'), /Changes since version 1/);
    assert.match((await s.textOf('[data-testid="change-level"]')).toLowerCase(), /major change/);
    await s.screenshot("proposal-redline");

    await s.click(await s.css('[data-testid="submit-proposal"]'));
    await s.see("Version 2");
    await s.see("Version 1 to 2");
    await s.screenshot("proposal-resubmitted");
  } catch (e) {
    await s.screenshot(`failed-proposal-${Date.now()}`).catch(() => {});
    throw e;
  } finally {
    await s.close();
  }
});

test("a pathway that would stack into itself is refused, naming the loop", async () => {
  const home = freshHome("pathway");
  const s = await launch(home.env);
  try {
    await s.click(await s.css('[data-testid="open-demo"]'));
    await s.signInAs("Dana Whitfield", "northfield demo");
    await s.click(await s.button("Pathways"));
    await s.see("Artificial Intelligence");
    await s.click(await s.css('[data-testid="new-pathway"]'));
    await s.fill("Name of the larger credential", "Engineering Futures");
    await s.choose("Parts", "Pathway: Artificial Intelligence");
    await s.click(await s.xpath('//*[contains(@class,"mantine-Modal-title")]'));
    await s.click(await s.css('[data-testid="pathway-save"]'));
    await s.until("two pathways", async () => (await s.findAll("css selector", '[data-testid="pathway-card"]')).length === 2);

    await s.click(await s.xpath('//button[@aria-label="Edit Artificial Intelligence"]'));
    await s.choose("Parts", "Pathway: Engineering Futures");
    await s.click(await s.xpath('//*[contains(@class,"mantine-Modal-title")]'));
    await s.click(await s.css('[data-testid="pathway-save"]'));
    await s.see("the pathways would stack into themselves: Artificial Intelligence → Engineering Futures → Artificial Intelligence");
    const shown = await s.execute(
      `const el = [...document.querySelectorAll(".mantine-InputWrapper-error")].find((e) => e.innerText.includes("stack into themselves"));
       return el ? el.getBoundingClientRect().height > 0 : false;`,
    );
    assert.equal(shown, true, "the cycle message is shown under the Parts field");
    await s.screenshot("pathway-cycle");
  } catch (e) {
    await s.screenshot(`failed-pathway-${Date.now()}`).catch(() => {});
    throw e;
  } finally {
    await s.close();
  }
});
