// End-to-end: a microcredential's life after approval in the real window. A proposer of its
// unit starts a change request from the microcredential, rewords and adds an outcome (the
// redline shows both, the level turns major), gives the details and submits; the route's
// steps are taken by the others with the command line beside the open window, and the
// window shows version 2. Then a termination with its impact report, decided on its route,
// and the coordinator ends the teach-out: retired. Axe checks the new screens.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { freshHome, launch, root, seriousViolations } from "./webdriver.mjs";

function cli(workspace, args) {
  const cmd = process.env.CREDENCE_CLI ?? join(root, "target/debug/credence");
  return execFileSync(cmd, ["--workspace", workspace, ...args], {
    env: { ...process.env, CREDENCE_PASSPHRASE: "northfield demo" },
    encoding: "utf8",
  });
}

const as = (who) => ["--as", `${who}@northfield.edu`];

/** The committee's step, by its chair and four voters: received for information, or voted. */
function committee(workspace, caseId, vote) {
  const chair = as("robert.lindqvist");
  const scheduled = cli(workspace, [...chair, "meeting", "schedule", "--title", "Extra meeting", "--date", "2026-12-09"]);
  const meeting = /^meeting (\d+):/m.exec(scheduled)[1];
  cli(workspace, [...chair, "meeting", "agenda", meeting, String(caseId)]);
  const voters = ["fatima.benali", "olivia.mensah", "mateo.garcia", "arjun.mehta"];
  cli(workspace, [...chair, "meeting", "attend", meeting, "robert.lindqvist@northfield.edu", ...voters.map((v) => `${v}@northfield.edu`)]);
  if (!vote) {
    cli(workspace, [...chair, "meeting", "receive", meeting, String(caseId)]);
  } else {
    const moved = cli(workspace, [...chair, "meeting", "motion", meeting, "--proposal", String(caseId), "--decision", "approve", "--moved-by", "fatima.benali@northfield.edu", "--seconded-by", "olivia.mensah@northfield.edu"]);
    const motion = /^motion (\d+) on proposal/m.exec(moved)[1];
    for (const v of voters) cli(workspace, [...as(v), "meeting", "vote", motion, "for"]);
    cli(workspace, [...chair, "meeting", "close-motion", motion]);
  }
  cli(workspace, [...chair, "meeting", "close", meeting]);
}

test("a major change becomes version 2 and a termination ends in retirement", async () => {
  const home = freshHome("lifecycle");
  const workspace = join(home.dir, "demo.credence");
  cli(workspace, ["demo"]);
  // A term far enough ahead that it is open whatever day the test runs.
  cli(workspace, ["calendar", "add", "--code", "FA40", "--name", "Fall 2040", "--from", "2040-08-27", "--to", "2040-12-14"]);
  const s = await launch(home.env, ["--workspace", workspace]);
  try {
    await s.signInAs("Priya Raman", "northfield demo");
    await s.click(await s.button("Microcredentials"));
    await s.see("Web Accessibility Essentials");
    await s.screenshot("microcredentials");
    await s.clickFound(() => s.css('[aria-label="Details of Data Visualization for Decision Makers"]'));
    await s.see("Cases and decisions");
    assert.deepEqual(await seriousViolations(s), [], "microcredential page");
    await s.click(await s.css('[data-testid="start-change"]'));

    // The change request opens in the editor, holding version 1.
    await s.see("Change request: data-visualization-for-decision-makers version 1 to version 2");
    await s.see("Nothing changed yet");
    const outcomes = await s.css('[data-testid="proposal-outcomes"] textarea, textarea[data-testid="proposal-outcomes"]');
    await s.reveal(outcomes);
    // To the end of the text (Ctrl+End), then a reworded second outcome is too fiddly by
    // keys: the whole list is typed again, one outcome a line.
    await s.type(outcomes, "\uE009a\uE000\uE003");
    await s.type(
      outcomes,
      [
        "Explain the core concepts and vocabulary of data visualization for decision makers.",
        "Apply data visualization for decision makers methods to a realistic case, showing communication and critique.",
        "Evaluate and present the results of a data visualization for decision makers project.",
        "Critique a dashboard for misleading scales and encodings.",
      ].join("\uE007"),
    );
    // The redline: one outcome reworded (struck through and underlined), one added; major.
    await s.until("the change triaged major", async () => (await s.textOf('[data-testid="change-request-level"]')).toLowerCase().startsWith("major"), 20000);
    await s.see("outcomes reworded");
    await s.see("outcomes added");
    const redline = await s.textOf('[data-testid="change-redline"]');
    assert.match(redline, /Before: Apply data visualization for decision makers methods to a realistic case, showing communication\./);
    assert.match(redline, /After: Critique a dashboard for misleading scales and encodings\./);

    // Submitting before the details are given names each missing one.
    await s.click(await s.css('[data-testid="submit-proposal"]'));
    await s.see("say why the change is needed");
    await s.fill("Why the change is needed", "Employers asked for critique of dashboards");
    await s.choose("Effective term", "Fall 2040");
    await s.fill("How learners already enrolled are told", "Email to the current cohort");
    await s.click(await s.css('[data-testid="save-change-details"]'));
    await s.see("takes effect on 2040-08-27");
    await s.screenshot("change-request");
    assert.deepEqual(await seriousViolations(s), [], "change request");
    await s.click(await s.css('[data-testid="submit-proposal"]'));
    await s.until("submitted", async () => (await s.textOf('[data-testid="proposal-status"]')).toLowerCase() === "submitted");
    const caseId = Number(/\/proposals\/(\d+)/.exec(await s.cmd("GET", "/url"))[1]);

    // The route, by the coordinator, the unit head and the committee, beside the window.
    cli(workspace, [...as("dana.whitfield"), "proposal", "accept", String(caseId)]);
    cli(workspace, [...as("sofia.rossi"), "review", "sign-off", String(caseId)]);
    committee(workspace, caseId, false);
    await s.until("the case active", async () => (await s.textOf('[data-testid="proposal-status"]')).toLowerCase() === "active", 20000);

    await s.click(await s.button("Microcredentials"));
    await s.clickFound(() => s.css('[aria-label="Details of Data Visualization for Decision Makers"]'));
    await s.see("Version 2 (approved, waiting for its term)");
    await s.see("version 2, in effect from 2040-08-27");
    await s.see("Version 1 (in effect now)");

    // Termination: the impact first, then the request.
    await s.click(await s.css('[data-testid="request-termination"]'));
    await s.see("award");
    const impact = await s.textOf('[data-testid="termination-impact"]');
    assert.match(impact, /7 awards issued \(all stay valid; 1 revoked\)/);
    await s.click(await s.css('[data-testid="submit-termination"]'));
    await s.see("say why the microcredential ends");
    await s.fill("Reason", "Replaced by the analytics certificate");
    await s.fill("Teach-out until", "2040-06-30");
    await s.screenshot("termination-request");
    assert.deepEqual(await seriousViolations(s), [], "termination request");
    await s.click(await s.css('[data-testid="submit-termination"]'));
    await s.see("Termination request: data-visualization-for-decision-makers");
    const termination = Number(/\/proposals\/(\d+)/.exec(await s.cmd("GET", "/url"))[1]);
    assert.deepEqual(await seriousViolations(s), [], "termination case");

    cli(workspace, [...as("dana.whitfield"), "proposal", "accept", String(termination)]);
    cli(workspace, [...as("sofia.rossi"), "review", "sign-off", String(termination)]);
    committee(workspace, termination, true);

    // The coordinator ends the teach-out: retired, and it awards nothing more.
    await s.signInAs("Dana Whitfield", "northfield demo");
    await s.click(await s.button("Microcredentials"));
    await s.clickFound(() => s.css('[aria-label="Details of Data Visualization for Decision Makers"]'));
    await s.until("teach-out", async () => (await s.textOf('[data-testid="microcredential-status"]')).toLowerCase() === "teach-out", 20000);
    // (The page re-renders as the views refresh after the switch of person; a click that
    // lands on a button being replaced is lost, so it is given again until it takes.)
    await s.until("retired", async () => {
      if ((await s.textOf('[data-testid="microcredential-status"]')).toLowerCase() === "retired") return true;
      const button = (await s.findAll("css selector", '[data-testid="end-teach-out"]'))[0];
      if (button) await s.tryClick(button);
      await new Promise((r) => setTimeout(r, 1000));
      return false;
    }, 20000);
    await s.screenshot("microcredential-retired");
    assert.deepEqual(await seriousViolations(s), [], "retired microcredential");
    const list = JSON.parse(cli(workspace, ["microcredential", "list", "--json"]));
    const ours = list.find((m) => m.slug === "data-visualization-for-decision-makers");
    assert.deepEqual([ours.status, ours.version], ["retired", 1]);
  } catch (e) {
    await s.screenshot(`failed-${Date.now()}`).catch(() => {});
    throw e;
  } finally {
    await s.close();
  }
});
