// End-to-end: a proposal drafted, checked against the policies, submitted, returned and
// resubmitted in the real window (demo workspace, as its coordinator).
import { test } from "node:test";
import assert from "node:assert/strict";
import { freshHome, launch } from "./webdriver.mjs";

test("a proposal is drafted, checked, refused, fixed, submitted, returned and resubmitted", async () => {
  const home = freshHome("proposal");
  const s = await launch(home.env);
  try {
    await s.click(await s.css('[data-testid="open-demo"]'));
    await s.see("Northfield University");
    await s.click(await s.button("Proposals"));
    await s.see("40 proposals");

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
    const similar = await s.textOf('[data-testid="similar-proposals"]');
    assert.match(similar, /Robotics/);
    await s.screenshot("proposal-three-rules");

    await s.click(await s.css('[data-testid="submit-proposal"]'));
    await s.css('[data-testid="move-error"]');
    assert.equal(await s.textOf('[data-testid="proposal-status"]'), "Draft");

    await s.fill("Credits", "9");
    await s.choose("Assessment types", "Project");
    await s.click(await s.xpath('//*[@data-testid="proposal-title"]'));
    await s.fill("Review cycle", "2");
    await s.fill("Learning outcomes", "Plan a drone survey.\nFly it safely.\nBuild a map from the images.");
    await s.see("Meets every policy.");
    await s.click(await s.css('[data-testid="submit-proposal"]'));
    await s.until("the proposal to be submitted", async () => (await s.textOf('[data-testid="proposal-status"]')) === "Submitted");
    await s.see("Version 1");

    await s.click(await s.css('[data-testid="return-proposal"]'));
    await s.click(await s.css('[data-testid="confirm-return"]'));
    await s.see("say what the proposer must complete");
    await s.type(await s.css('[data-testid="return-comment"]'), "Add the flight-safety assessment.");
    await s.click(await s.css('[data-testid="confirm-return"]'));
    await s.until("the proposal back in draft", async () => (await s.textOf('[data-testid="proposal-status"]')) === "Draft");

    await s.click(await s.css('[data-testid="submit-proposal"]'));
    await s.see("Version 2");
    await s.screenshot("proposal-resubmitted");
  } catch (e) {
    await s.screenshot(`failed-proposal-${Date.now()}`).catch(() => {});
    throw e;
  } finally {
    await s.close();
  }
});
