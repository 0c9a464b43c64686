// End-to-end: the demo's issuing staff flow in the real window. The coordinator unlocks the
// issuer key, issues a badge to one learner and a roster of two, finds them in the list, runs
// a cohort's roster as a batch (cancelled part-way, resumed), opens a learner's bundle page,
// and verifies the badge files (written by `credence credential export`) on the Verify
// screen: valid, then tampered, then revoked from the window (one, then two at once), and one corrected.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshHome, launch, root, seriousViolations } from "./webdriver.mjs";

function cli(workspace, args) {
  const cmd = process.env.CREDENCE_CLI ?? join(root, "target/debug/credence");
  return execFileSync(cmd, ["--workspace", workspace, ...args], { env: { ...process.env, CREDENCE_ISSUER_PASSPHRASE: "demo", CREDENCE_PASSPHRASE: "northfield demo" }, encoding: "utf8" });
}

test("a badge is issued, verified, tampered with and revoked in the window", async () => {
  const home = freshHome("credentials");
  const workspace = join(home.dir, "demo.credence");
  cli(workspace, ["demo"]);
  const s = await launch(home.env, ["--workspace", workspace]);
  try {
    await s.signInAs("Dana Whitfield", "northfield demo");
    await s.click(await s.button("Credentials"));
    await s.see("Issuer keys");
    // A wrong passphrase is refused where it was typed; the right one unlocks.
    await s.type(await s.css('[data-testid="issuer-passphrase"] input, input[data-testid="issuer-passphrase"]'), "wrong");
    await s.click(await s.css('[data-testid="unlock-issuer"]'));
    await s.see("the passphrase does not open the issuer key");
    const pass = await s.css('[data-testid="issuer-passphrase"] input, input[data-testid="issuer-passphrase"]');
    await s.clear(pass);
    await s.type(pass, "demo");
    await s.click(await s.css('[data-testid="unlock-issuer"]'));
    await s.until("the key unlocked", async () => (await s.textOf('[data-testid="issuer-lock"]')).toLowerCase().startsWith("unlocked"));

    await s.choose("Microcredential", "Data Visualization");
    await s.fill("Learner's name", "Ngozi Adeyemi");
    await s.fill("Email", "not-an-email");
    await s.click(await s.css('[data-testid="issue-one"]'));
    await s.see("is not an email address");
    await s.fill("Email", "ngozi.adeyemi@example.org");
    await s.click(await s.css('[data-testid="issue-one"]'));
    await s.see("1 issued: Ngozi Adeyemi");

    const roster = join(home.dir, "roster.csv");
    writeFileSync(roster, "name,email,grade\nYusuf Demir,yusuf@example.org,A\nΕλένη Νικολάου,eleni@example.org,B+\n");
    await s.upload('[data-testid="roster-input"]', [roster]);
    // Previewed before anything is issued: what each column fills, and no problem.
    await s.see("Credence roster: 2 learners");
    await s.see("Every row reads well.");
    await s.click(await s.css('[data-testid="roster-issue"]'));
    const state = async () => (await s.textOf('[data-testid="batch-state"]')).toLowerCase();
    await s.until("the roster issued", async () => (await state()) === "finished");
    await s.see("2 of 2 learners issued (2 new)");
    await s.until("its learners listed", async () => (await s.rows("awards")).some((r) => r.some((c) => c.includes("Ελένη Νικολάου"))));
    await s.see("ngozi.adeyemi@example.org");
    await s.screenshot("credentials-issued");

    // The demo's spreadsheets award about to expire is in Things to do; it opens the list
    // searched for it, where it is renewed (under the version in effect, a year from today).
    await s.click(await s.button("Things to do"));
    await s.see("1 award expires within 60 days");
    await s.click(await s.xpath('//tr[contains(normalize-space(.), "award expires within")]//a'));
    const renew = await s.css('[aria-label="Renew Kofi Boateng, Spreadsheet Modelling Basics"]');
    await s.see("Valid until");
    await s.click(renew);
    await s.see("Renew this credential");
    assert.deepEqual(await seriousViolations(s, '[role="dialog"]'), [], "the renewal dialog");
    await s.type(await s.css('[data-testid="renew-date"]'), "2020-01-01");
    await s.click(await s.css('[data-testid="confirm-renew"]'));
    await s.see("a renewal is earned after the award it renews");
    await s.fill("Qualified again on", new Date().toISOString().slice(0, 10));
    await s.click(await s.css('[data-testid="confirm-renew"]'));
    await s.see("Renewed: a new credential for Kofi Boateng");
    await s.see("Renews an earlier award");
    await s.until("the earlier award marked renewed", async () => (await s.textOf('[data-testid="awards"]')).includes("Renewed"));
    assert.deepEqual(await seriousViolations(s), [], "a renewed award");
    await s.screenshot("credentials-renewed");
    await s.click(await s.button("Things to do"));
    await s.until("the expiring task done", async () => !(await s.pageText()).includes("award expires within"));
    await s.click(await s.button("Credentials"));


    // The microcredential's own record: suspended with a reason it awards nothing, and
    // resumed it awards again.
    await s.click(await s.button("Microcredentials"));
    await s.clickFound(() => s.css('[aria-label="Details of Data Visualization for Decision Makers"]'));
    await s.see("Version 1 (in effect now)");
    await s.fill("Reason to suspend issuing", "Assessment under review");
    await s.click(await s.css('[data-testid="suspend"]'));
    await s.until("suspended", async () => (await s.textOf('[data-testid="microcredential-status"]')).toLowerCase() === "suspended");
    await s.see("Assessment under review");
    await s.screenshot("microcredential-suspended");
    await s.click(await s.css('[data-testid="resume"]'));
    await s.until("active again", async () => (await s.textOf('[data-testid="microcredential-status"]')).toLowerCase() === "active");
    // A periodic review that renews it, with what it found.
    // The demo's review is due; recorded as renewed, the next falls a cycle from today.
    await s.see("Periodic review due since");
    await s.click(await s.css('[data-testid="record-review"]'));
    await s.see("say what the review found");
    await s.fill("Periodic review: what it found", "Outcomes still current");
    await s.click(await s.css('[data-testid="record-review"]'));
    await s.see("last reviewed");
    await s.see("Next periodic review due");
    await s.screenshot("microcredential-reviewed");
    assert.deepEqual(await seriousViolations(s), [], "microcredential page");

    // The files of Ngozi's award, as the CLI writes them.
    const awards = JSON.parse(cli(workspace, ["credential", "awards", "--search", "Ngozi", "--json"]));
    assert.equal(awards.length, 1);
    const out = join(home.dir, "out");
    cli(workspace, ["credential", "export", awards[0].id, "--out", out]);
    const dir = join(out, awards[0].id);
    const tampered = join(home.dir, "tampered.json");
    writeFileSync(tampered, readFileSync(join(dir, "credential.json"), "utf8").replace("Ngozi Adeyemi", "Ngozi Adeyemo"));

    await s.click(await s.button("Verify"));
    await s.upload('[data-testid="verify-input"]', [join(dir, "badge.png")]);
    await s.until("the verdict", async () => (await s.textOf('[data-testid="verification-verdict"]')).toLowerCase() === "verified");
    await s.see("it matches the Open Badges 3.0 JSON schema");
    await s.see("it has not been revoked");
    await s.upload('[data-testid="verify-input"]', [tampered]);
    await s.see("it was changed after signing");
    await s.screenshot("credentials-verify");

    await s.click(await s.button("Credentials"));
    await s.click(await s.css('[aria-label="Revoke Ngozi Adeyemi"]'));
    await s.type(await s.css('[data-testid="revoke-reason"]'), "Issued to the wrong learner");
    await s.click(await s.css('[data-testid="confirm-revoke"]'));
    // The status cell may say more below its badge (what the award renews or corrects).
    const revoked = (r) => r.some((c) => c.toLowerCase().startsWith("revoked"));
    await s.until("the award shown as revoked", async () => (await s.rows("awards")).some((r) => r.some((c) => c.includes("Ngozi")) && revoked(r)));
    // Several at once: two ticked, one reason.
    const before = (await s.rows("awards")).filter(revoked).length;
    const ticks = await s.findAll("css selector", '[data-testid="awards"] tbody input[type="checkbox"]');
    for (const el of ticks.slice(0, 2)) await s.click(el);
    await s.click(await s.css('[data-testid="revoke-selected"]'));
    await s.type(await s.css('[data-testid="revoke-reason"]'), "Cohort cancelled");
    await s.click(await s.css('[data-testid="confirm-revoke"]'));
    await s.see("Revoked 2 credentials");
    await s.until("two more revoked", async () => (await s.rows("awards")).filter(revoked).length === before + 2);
    // A misspelled name corrected: a new credential, the old one superseded.
    await s.click(await s.css('[aria-label^="Correct "]'));
    const name = await s.css('[data-testid="correct-name"]');
    await s.type(name, "\uE009a\uE000\uE003");
    await s.type(name, "Zoë Ångström-Núñez");
    await s.type(await s.css('[data-testid="correct-reason"]'), "Name misspelled");
    await s.click(await s.css('[data-testid="confirm-correct"]'));
    await s.see("Corrected: a new credential for Zoë Ångström-Núñez");
    await s.until("the old one superseded", async () => (await s.rows("awards")).some((r) => r.some((c) => c.toLowerCase().startsWith("superseded"))));
    await s.screenshot("credentials-corrected");

    await s.click(await s.button("Verify"));
    await s.upload('[data-testid="verify-input"]', [join(dir, "badge.svg")]);
    await s.see("it has been revoked by its issuer");
    await s.screenshot("credentials-revoked");

    // A cohort's roster runs as a batch: its progress shown chunk by chunk, cancelled
    // part-way (what was issued stays), then resumed to the end.
    // Long enough that the cancel lands part-way: a batch signs a chunk while it commits
    // the one before, and 4,000 learners were all issued before the click arrived.
    const cohortSize = 20000;
    const cohort = join(home.dir, "cohort.csv");
    writeFileSync(cohort, "name,email\n" + Array.from({ length: cohortSize }, (_, i) => `Learner ${i},learner${i}@example.org`).join("\n") + "\n");
    await s.click(await s.button("Credentials"));
    await s.choose("Microcredential", "Data Visualization");
    await s.upload('[data-testid="roster-input"]', [cohort]);
    await s.see(`Credence roster: ${cohortSize} learners`);
    await s.see(`The first 5 of ${cohortSize} rows.`);
    await s.click(await s.css('[data-testid="roster-issue"]'));
    await s.clickFound(() => s.css('[data-testid="batch-cancel"]'));
    await s.until("cancelled part-way", async () => (await state()) === "cancelled");
    const count = async () => Number((await s.textOf('[data-testid="batch-count"]')).split(" of ")[0]);
    const part = await count();
    assert.ok(part > 0 && part < cohortSize && part % 200 === 0, `cancelled after ${part} learners`);
    assert.equal(Number(await s.execute("return document.querySelector(arguments[0]).getAttribute('aria-valuenow');", ['[data-testid="batch-progress"]'])), Math.round((100 * part) / cohortSize));
    await s.screenshot("batch-cancelled");
    assert.deepEqual(await seriousViolations(s), [], "a cancelled batch");
    await s.click(await s.css('[data-testid="batch-resume"]'));
    await s.until("resumed to the end", async () => (await state()) === "finished", 180000);
    await s.see(`${cohortSize} of ${cohortSize} learners issued (${cohortSize} new)`);
    await s.screenshot("batch-finished");
    // Published on another platform too: the platform and its badge id are asked for.
    await s.click(await s.css('[data-testid="batch-platform"]'));
    await s.see("Publish on another platform too");
    await s.see("Credly's badge template ID");
    assert.deepEqual(await seriousViolations(s, '[role="dialog"]'), [], "the platform export");
    await s.click(await s.css('button[aria-label="Close"]'));

    // A registrar's export whose columns Credence does not know: each named by hand in the
    // preview (every problem shown until then), then issued; the naming is remembered.
    const registrar = join(root, "tests/fixtures/rosters/registrar-export.csv");
    await s.upload('[data-testid="roster-input"]', [registrar]);
    await s.see("not recognized: Student, E-mail, Finished, Cohort");
    const field = (column) => s.css(`input[aria-label="Field for the column ${column}"]`);
    await s.choose("Student", "name", await field("Student"));
    await s.choose("E-mail", "email", await field("E-mail"));
    await s.choose("Finished", "completed on", await field("Finished"));
    await s.choose("Cohort", "not used", await field("Cohort"));
    await s.see("Roster with columns named by hand: 1 learner");
    await s.see("Every row reads well.");
    await s.screenshot("roster-mapped");
    assert.deepEqual(await seriousViolations(s, '[data-testid="roster-preview"]'), [], "the roster preview");
    await s.click(await s.css('[data-testid="roster-issue"]'));
    await s.until("the export issued", async () => (await state()) === "finished");
    await s.see("1 of 1 learners issued (1 new)");
    await s.upload('[data-testid="roster-input"]', [registrar]);
    await s.see("Roster with columns named by hand: 1 learner");
    await s.click(await s.css('button[aria-label="Close"]'));

    // A change made with the command line beside the open window reaches it: the window
    // notices the new audit entries and refreshes what they name.
    await s.click(await s.button("Academic calendar"));
    await s.see("Add a term");
    cli(workspace, ["calendar", "add", "--code", "WI31", "--name", "Winter 2031", "--from", "2031-01-02", "--to", "2031-01-20"]);
    await s.see("Winter 2031");

    // What a learner receives: their bundle's page, opened from the folder in the webview.
    const [cohortAward] = JSON.parse(cli(workspace, ["credential", "awards", "--search", "learner17@example.org", "--json"]));
    const bundles = join(home.dir, "bundles");
    cli(workspace, ["credential", "export", cohortAward.id, "--out", bundles, "--formats", "bundle"]);
    await s.cmd("POST", "/url", { url: `file://${join(bundles, cohortAward.id, "index.html")}` });
    await s.see("Awarded to Learner 17");
    await s.see("Add to your LinkedIn profile");
    const linkedin = await s.execute("return [...document.links].find((a) => a.textContent.includes('LinkedIn')).href;");
    assert.match(linkedin, /^https:\/\/www\.linkedin\.com\/profile\/add\?startTask=CERTIFICATION_NAME&name=Data%20Visualization%20for%20Decision%20Makers&organizationId=90412873&issueYear=\d{4}&issueMonth=\d{1,2}&certId=urn:uuid:/);
    const downloads = await s.execute("return [...document.querySelectorAll('a[download]')].map((a) => a.getAttribute('href'));");
    assert.deepEqual(downloads, ["credential.json", "badge.png", "badge.svg", "certificate.pdf", "bundle.zip"]);
    await s.screenshot("learner-bundle");
    assert.deepEqual(await seriousViolations(s), [], "a learner's bundle page");
  } catch (e) {
    await s.screenshot(`failed-${Date.now()}`).catch(() => {});
    throw e;
  } finally {
    await s.close();
  }
});
