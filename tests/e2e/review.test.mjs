// End-to-end: one proposal walked through its review route in the real window: submitted by
// its proposer, accepted as complete, signed off by the unit head and the dean, put on a
// meeting's agenda, voted on by a quorum with signed votes, approved with a condition,
// signed off finally, and made Active when its condition is met. The people, their keys and
// the committee are set up with the CLI first, as a coordinator would script them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { freshHome, launch, root } from "./webdriver.mjs";

const PASS = "correct horse battery";

function cli(workspace, args, as) {
  const cmd = process.env.CREDENCE_CLI ?? join(root, "target/debug/credence");
  const full = ["--workspace", workspace, ...(as ? ["--as", as] : []), ...args];
  return execFileSync(cmd, full, { env: { ...process.env, CREDENCE_PASSPHRASE: PASS }, encoding: "utf8" });
}

function prepare(workspace) {
  cli(workspace, ["init", "--institution", "Northfield University", "--country", "US"]);
  cli(workspace, ["unit", "add", "--code", "ENG", "--name", "College of Engineering", "--kind", "college"]);
  cli(workspace, ["unit", "add", "--code", "CS", "--name", "Department of Computer Science", "--kind", "department", "--parent", "ENG"]);
  cli(workspace, ["unit", "add", "--code", "HIST", "--name", "Department of History", "--kind", "department"]);
  const people = [
    ["Dana Whitfield", "dana", "coordinator", "HIST"],
    ["Priya Raman", "priya", "proposer", "CS"],
    ["Hana Okafor", "hana", "unit_approver", "CS"],
    ["Omar Haddad", "omar", "unit_approver", "ENG"],
    ["Fiona Grant", "fiona", "final_approver", "HIST"],
    ["Carl Jensen", "carl", "committee_chair", "HIST"],
    ["Vera Lind", "vera", "committee_member", "HIST"],
    ["Wen Zhao", "wen", "committee_member", "HIST"],
  ];
  const codes = {};
  for (const [name, user, role, unit] of people) {
    const out = cli(workspace, ["person", "add", "--name", name, "--email", `${user}@northfield.edu`, "--role", role, "--unit", unit]);
    codes[user] = out.match(/Enrolment code for [^:]+: (\S+)/)[1];
  }
  // The coordinator's key is the workspace's first; everyone else enrols with their code.
  cli(workspace, ["key", "create"], "dana@northfield.edu");
  for (const [, user] of people.slice(1)) cli(workspace, ["enrol", `${user}@northfield.edu`, "--code", codes[user]]);
  cli(workspace, ["committee", "add", "carl@northfield.edu", "--seat", "chair", "--from", "2020-01-01", "--to", "2099-12-31"]);
  cli(workspace, ["committee", "add", "vera@northfield.edu", "--seat", "voting", "--from", "2020-01-01", "--to", "2099-12-31"]);
  cli(workspace, ["committee", "add", "wen@northfield.edu", "--seat", "voting", "--from", "2020-01-01", "--to", "2099-12-31"]);
  cli(workspace, ["committee", "rules", "--quorum", "3"]);
  cli(workspace, ["proposal", "import", join(root, "tests/fixtures/proposals.json")], "priya@northfield.edu");
}

test("a proposal goes from submission through sign-offs and a meeting's signed votes to Active", async () => {
  const home = freshHome("review");
  const workspace = join(home.dir, "review.credence");
  prepare(workspace);
  const s = await launch(home.env, ["--workspace", workspace]);
  // Switching person is signing in again, with that person's passphrase.
  const actAs = (name) => s.signInAs(name, PASS);
  const openProposal = async () => {
    await s.click(await s.button("Proposals"));
    await s.clickFound(() => s.xpath('//a[normalize-space(.)="Machine Learning Foundations"]'));
    await s.see("Machine Learning Foundations");
  };
  const sign = async () => {
    await s.type(await s.css('[data-testid="passphrase"]'), PASS);
    await s.click(await s.css('[data-testid="sign-confirm"]'));
    // The act is done when its dialog closes (a refusal keeps it open, with the reason).
    await s.until("the signing dialog to close", async () => !(await s.dialogOpen()), 30000);
  };
  try {
    await actAs("Priya Raman");
    await openProposal();
    await s.click(await s.css('[data-testid="submit-proposal"]'));
    await s.see("Version 1");

    await actAs("Dana Whitfield");
    await s.click(await s.css('[data-testid="accept-proposal"]'));
    await s.see("Now: Unit head, for Hana Okafor");

    // The dean cannot sign off the unit head's step; the unit head can.
    await actAs("Hana Okafor");
    await s.see("Things to do");
    await s.until("a task in the sidebar", async () => (await s.textOf('[data-testid="inbox-count"]')) === "1");
    await openProposal();
    await s.click(await s.css('[data-testid="sign-off"]'));
    await s.type(await s.css('[data-testid="passphrase"]'), "not my passphrase");
    // A click on a dialog that has just opened was lost once (the dialog stayed, no
    // refusal): it is given again until the refusal shows (a wrong passphrase signs nothing).
    await s.until("the refusal", async () => {
      const refused = await s.findAll("xpath", `//*[contains(text(), "the passphrase does not open Hana Okafor's signing key")]`);
      if (refused.length > 0) return true;
      const confirm = (await s.findAll("css selector", '[data-testid="sign-confirm"]'))[0];
      if (confirm) await s.tryClick(confirm);
      await new Promise((r) => setTimeout(r, 1000));
      return false;
    }, 20000);
    await s.clear(await s.css('[data-testid="passphrase"]'));
    await sign();
    await s.see("Now: Dean, for Omar Haddad");

    await actAs("Omar Haddad");
    await openProposal();
    await s.click(await s.css('[data-testid="sign-off"]'));
    await sign();
    await s.see("Now: Committee, for the committee, at a meeting");
    // The dean leaves a question the proposer will see, about a field.
    await s.choose("About", "Credits");
    await s.type(await s.css('[data-testid="comment-text"]'), "Please confirm the credits.");
    await s.click(await s.css('[data-testid="add-comment"]'));
    await s.see("Please confirm the credits.");

    // The chair schedules a meeting, builds its agenda and records attendance.
    await actAs("Carl Jensen");
    await s.click(await s.button("Meetings"));
    await s.fill("Title", "November meeting");
    await s.fill("Date", "2026-11-20");
    await s.click(await s.css('[data-testid="schedule-meeting"]'));
    await s.see("Nothing on the agenda yet.");
    await s.choose("Add a proposal ready for the committee", "Machine Learning Foundations");
    await s.until("the item on the agenda", async () => (await s.findAll("css selector", '[data-testid="agenda-item"]')).length === 1);
    for (const name of ["Carl Jensen", "Vera Lind", "Wen Zhao"]) {
      await s.click(await s.xpath(`//label[starts-with(normalize-space(.),"${name}")]`));
    }
    await s.click(await s.css('[data-testid="record-attendance"]'));
    await s.see("3 of 3 voting members present; quorum 3: met");

    await s.choose("Item", "Machine Learning Foundations");
    await s.choose("Motion", "Approve with conditions");
    await s.click(await s.css('[data-testid="add-condition"]'));
    await s.type(await s.css('[data-testid="condition-text-0"]'), "Add a grading rubric");
    await s.choose("Owner", "Priya Raman");
    await s.type(await s.css('[data-testid="condition-due-0"]'), "2026-12-15");
    await s.choose("Moved by", "Vera Lind");
    await s.choose("Seconded by", "Wen Zhao");
    await s.click(await s.css('[data-testid="record-motion"]'));
    await s.css('[data-testid="motion"]');
    const meetingUrl = await s.execute("return location.hash;");

    for (const [voter, choice] of [["Vera Lind", "for"], ["Wen Zhao", "for"], ["Carl Jensen", "against"]]) {
      await actAs(voter);
      await s.execute("location.hash = arguments[0];", [meetingUrl]);
      await s.click(await s.css(`[data-testid="vote-${choice}"]`));
      await sign();
      await s.see(`${voter} (${choice})`);
    }
    await s.click(await s.css('[data-testid="close-motion"]'));
    await sign();
    await s.see("2 for, 1 against, 0 abstaining: carried");
    await s.screenshot("review-meeting");
    await s.click(await s.css('[data-testid="close-meeting"]'));
    await s.see("November meeting");

    await actAs("Fiona Grant");
    await openProposal();
    await s.see("Now: Final sign-off, for Fiona Grant");
    await s.click(await s.css('[data-testid="sign-off"]'));
    await sign();
    await s.see("Add a grading rubric");

    await actAs("Priya Raman");
    await openProposal();
    await s.see("Please confirm the credits.");
    await s.click(await s.xpath('//*[starts-with(@data-testid,"meet-condition-")]'));
    await s.type(await s.css('[data-testid="sign-comment"]'), "Rubric attached as rubric.pdf");
    await sign();
    await s.until("the proposal to be Active", async () => (await s.textOf('[data-testid="proposal-status"]')) === "Active");
    await s.screenshot("review-active");

    // A member renews their key with its passphrase; a coordinator resets another's
    // forgotten one, signing the act with her own key.
    await actAs("Carl Jensen");
    await s.click(await s.button("Things to do"));
    await s.click(await s.css('[data-testid="renew-key-open"]'));
    await s.type(await s.css('[data-testid="renew-current"]'), PASS);
    await s.type(await s.css('[data-testid="renew-new"]'), "another horse battery");
    await s.click(await s.css('[data-testid="renew-key"]'));
    await s.see("Renewed: your new key signs from now on.");
    await actAs("Dana Whitfield");
    await s.click(await s.button("People"));
    await s.click(await s.css(`[aria-label="Reset key of Vera Lind"]`));
    await s.type(await s.css('[data-testid="reset-reason"]'), "Forgot the passphrase");
    await s.type(await s.css('[data-testid="passphrase"]'), PASS);
    await s.click(await s.css('[data-testid="sign-confirm"]'));
    // The coordinator is shown Vera's new enrolment code, to hand over.
    assert.match(await s.textOf('[data-testid="enrolment-code-shown"]'), /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await s.screenshot("people-key-reset");
    await s.click(await s.button("Done"));
    await s.until("Vera's key gone", async () => {
      const rows = await s.rows("people-table");
      return rows.some((r) => r[0] === "Vera Lind" && r[4] === "Not enrolled");
    });

    // A member keeps a signed receipt of the log's head (made with the CLI, beside the open
    // window); the Audit screen checks it and shows the head it vouches for.
    const receipt = join(home.dir, "receipt.json");
    cli(workspace, ["audit", "receipt", "--out", receipt], "wen@northfield.edu");
    await s.click(await s.button("Audit log"));
    await s.click(await s.css('[data-testid="verify-audit"]'));
    await s.see("Head: entry");
    // The coordinator's reset of Vera's key shows in every later report.
    await s.see("Dana Whitfield reset Vera Lind's signing key on");
    await s.upload('[data-testid="receipt-input"]', [receipt]);
    await s.see("The receipt holds");
    await s.see("as Wen Zhao on");
    await s.screenshot("audit-receipt");
  } catch (e) {
    await s.screenshot(`failed-review-${Date.now()}`).catch(() => {});
    throw e;
  } finally {
    await s.close();
  }
  // Every act the window signed verifies: two sign-offs, three votes, the decision (on the
  // motion and on the proposal), the final sign-off, the met condition, a renewed key and a
  // coordinator's reset.
  const verdict = cli(workspace, ["audit", "verify"]);
  assert.match(verdict, /signed statements hold: 11 signatures verified/);
  // And every entry after the coordinator's first key is signed by the person who made it.
  assert.match(verdict, /entries signed by who made them: [1-9]\d* verified; \d+ written before entries were signed/);
});
