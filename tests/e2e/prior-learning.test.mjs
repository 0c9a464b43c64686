// End-to-end: awards not earned by completing a course, in the real window (demo workspace).
// Recognition of prior learning: the coordinator opens a claim with evidence; the assessor
// (Chen Wei) finds it in Things to do, is refused recognizing it with an outcome not met, then
// signs it recognized; the coordinator awards the credential, which the Credentials list
// marks as earned that way. Open Badges 2.0 assertions from a previous platform
// (tests/fixtures/ob2) are imported with a report, and an unknown badge imported as an archived
// microcredential.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshHome, launch, root, seriousViolations } from "./webdriver.mjs";

function cli(workspace, args) {
  const cmd = process.env.CREDENCE_CLI ?? join(root, "target/debug/credence");
  return execFileSync(cmd, ["--workspace", workspace, ...args], { encoding: "utf8" });
}

test("prior learning is assessed, signed and awarded, and Open Badges 2.0 assertions imported, in the window", async () => {
  const home = freshHome("prior-learning");
  const workspace = join(home.dir, "demo.credence");
  cli(workspace, ["demo"]);
  const files = join(home.dir, "files");
  mkdirSync(files, { recursive: true });
  writeFileSync(join(files, "portfolio.pdf"), "%PDF-1.4 five years of dashboards");
  const s = await launch(home.env, ["--workspace", workspace]);
  try {
    await s.signInAs("Dana Whitfield", "northfield demo");
    await s.click(await s.button("Prior learning"));
    await s.see("No claims yet.");
    await s.click(await s.css('[data-testid="new-claim"]'));
    await s.choose("Microcredential", "Data Visualization");
    await s.fill("Learner's name", "Maya Ortiz");
    await s.fill("Learner's email", "maya@example.org");
    await s.fill("What the learner learned, where and how", "Five years building dashboards for the city's planning office.");
    await s.upload('[data-testid="claim-evidence-input"]', [join(files, "portfolio.pdf")]);
    await s.see("portfolio.pdf");
    assert.deepEqual(await seriousViolations(s, '[role="dialog"]'), [], "the new claim dialog");
    await s.click(await s.css('[data-testid="open-claim"]'));
    await s.until("the claim shown", async () => (await s.textOf('[data-testid="claim-state"]')).toLowerCase() === "to assess");
    await s.see("Five years building dashboards");

    // The assessor: the claim is in Things to do; recognizing with an outcome not met is refused.
    await s.signInAs("Chen Wei", "northfield demo");
    await s.click(await s.button("Things to do"));
    await s.see("Assess Maya Ortiz's prior learning against the outcomes");
    await s.click(await s.xpath('//tr[contains(normalize-space(.), "Assess Maya Ortiz")]//a'));
    await s.css('[data-testid="assess-form"]');
    await s.click(await s.css('[data-testid="outcome-met-0"]'));
    await s.fill("Your passphrase (signs the decision)", "northfield demo");
    await s.click(await s.css('[data-testid="sign-assessment"]'));
    await s.see("is not met: prior learning is recognized only when every outcome is");
    for (const i of [1, 2]) await s.click(await s.css(`[data-testid="outcome-met-${i}"]`));
    await s.type(await s.css('[aria-label="What the evidence shows for outcome 1"]'), "The budget dashboard in the portfolio");
    assert.deepEqual(await seriousViolations(s), [], "the assessment form");
    await s.click(await s.css('[data-testid="sign-assessment"]'));
    await s.until("recognized", async () => (await s.textOf('[data-testid="claim-state"]')).toLowerCase() === "recognized");
    await s.see("Recognized by Chen Wei");
    await s.see("Met: The budget dashboard in the portfolio");
    await s.screenshot("prior-learning-recognized");

    // The coordinator awards it, the issuer keys unlocked.
    await s.signInAs("Dana Whitfield", "northfield demo");
    await s.click(await s.button("Credentials"));
    await s.type(await s.css('[data-testid="issuer-passphrase"] input, input[data-testid="issuer-passphrase"]'), "demo");
    await s.click(await s.css('[data-testid="unlock-issuer"]'));
    await s.until("the key unlocked", async () => (await s.textOf('[data-testid="issuer-lock"]')).toLowerCase().startsWith("unlocked"));
    await s.click(await s.button("Prior learning"));
    await s.click(await s.css('[aria-label="Claim of Maya Ortiz to Data Visualization for Decision Makers"]'));
    await s.click(await s.css('[data-testid="award-claim"]'));
    await s.see("marked as earned by recognition of prior learning");
    assert.deepEqual(await seriousViolations(s), [], "an awarded claim");
    await s.click(await s.button("Credentials"));
    await s.until("the award marked", async () => (await s.textOf('[data-testid="awards"]')).includes("By recognition of prior learning"));

    // Open Badges 2.0 from a previous platform: a report, then the unknown badge mapped.
    const ob2 = join(root, "tests/fixtures/ob2");
    const assertions = readdirSync(ob2).filter((f) => /\.(json|jws|png|svg)$/.test(f)).map((f) => join(ob2, f));
    await s.click(await s.css('[data-testid="ob2-open"]'));
    await s.upload('[data-testid="ob2-files-input"]', assertions);
    await s.upload('[data-testid="ob2-learners-input"]', [join(ob2, "learners.csv")]);
    await s.see(`${assertions.length} files`);
    await s.click(await s.css('[data-testid="ob2-import"]'));
    await s.see("Imported 4, skipped 2");
    await s.see("Skipped: signed, but the signature does not match");
    // The unknown badge may be mapped to a microcredential, or kept as an archived one.
    await s.see("Microcredential awarded by the badge https://badges.oldplatform.example/badges/baskets");
    assert.deepEqual(await seriousViolations(s, '[role="dialog"]'), [], "the import report");
    await s.click(await s.css('[data-testid="ob2-archive"]'));
    await s.click(await s.css('[data-testid="ob2-import"]'));
    await s.see("Imported 1, skipped 5");
    await s.see("Archived microcredential made: Underwater Basket Weaving (underwater-basket-weaving), retired");
    await s.screenshot("ob2-import");
  } finally {
    await s.close();
  }
});
