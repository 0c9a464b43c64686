// End-to-end: certificates in the real window. The coordinator edits the demo's template
// with a live preview (the preview redraws from the backend as the heading and the
// orientation change), a corrupt signature image is refused by field, a learner's
// certificate is previewed before issuing, then issued and opened, and the PDF written
// passes qpdf and verifies on the Verify screen and with `credence verify`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshHome, launch, root } from "./webdriver.mjs";

function cli(workspace, args) {
  const cmd = process.env.CREDENCE_CLI ?? join(root, "target/debug/credence");
  return execFileSync(cmd, ["--workspace", workspace, ...args], { env: { ...process.env, CREDENCE_ISSUER_PASSPHRASE: "demo", CREDENCE_PASSPHRASE: "northfield demo" }, encoding: "utf8" });
}

const alt = (s, testid) => s.execute(`const i = document.querySelector('[data-testid="${testid}"]'); return i ? i.getAttribute("alt") : "";`);

test("a template is edited with a live preview and a certificate is previewed, issued, opened and verified", async () => {
  const home = freshHome("certificates");
  const workspace = join(home.dir, "demo.credence");
  cli(workspace, ["demo"]);
  const s = await launch(home.env, ["--workspace", workspace]);
  try {
    await s.signInAs("Dana Whitfield", "northfield demo");
    await s.click(await s.button("Credentials"));
    await s.see("Certificate templates");
    await s.click(await s.css('[aria-label="Edit Northfield standard"]'));
    await s.until("the live preview", async () => (await alt(s, "template-preview")).includes("Certificate of Achievement"));
    await s.until("the stored signature shown beside its signatory", async () =>
      s.execute(`return !!document.querySelector('img[alt="Signature of Dana Whitfield"]');`),
    );
    const heading = await s.css('[data-testid="template-heading"] input, input[data-testid="template-heading"]');
    await s.clear(heading);
    await s.type(heading, "Certificate of Completion");
    await s.until("the preview redrawn with the new heading", async () => (await alt(s, "template-preview")).includes("Certificate of Completion"));
    await s.click(await s.xpath(`//label[normalize-space(.)="Portrait"]`));
    await s.until("the preview in portrait", async () =>
      s.execute(`const i = document.querySelector('[data-testid="template-preview"]'); return !!i && i.naturalHeight > i.naturalWidth;`),
    );
    // A corrupt signature image is refused, naming the signatory's field.
    const bad = join(home.dir, "signature.png");
    writeFileSync(bad, Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"));
    await s.upload('[data-testid="signature-input-0"]', [bad]);
    await s.see("signatories[0].signature");
    await s.screenshot("certificates-editor");
    await s.click(await s.css('[data-testid="template-save"]'));
    await s.until("the template saved", async () => (await s.pageText()).includes("A4, portrait"));

    // Before issuing: the learner's certificate, previewed.
    await s.choose("Microcredential", "Data Visualization");
    await s.fill("Learner's name", "Ελένη Οικονόμου");
    await s.fill("Email", "eleni.oikonomou@example.org");
    await s.click(await s.css('[data-testid="preview-certificate"]'));
    await s.until("the certificate preview", async () => {
      const a = await alt(s, "certificate-preview");
      return a.includes("Ελένη Οικονόμου") && a.includes("Certificate of Completion");
    });
    await s.screenshot("certificates-preview");
    await s.click(await s.css('.mantine-Modal-close'));

    await s.type(await s.css('[data-testid="issuer-passphrase"] input, input[data-testid="issuer-passphrase"]'), "demo");
    await s.click(await s.css('[data-testid="unlock-issuer"]'));
    await s.until("the key unlocked", async () => (await s.textOf('[data-testid="issuer-lock"]')).toLowerCase().startsWith("unlocked"));
    await s.click(await s.css('[data-testid="issue-one"]'));
    await s.see("1 issued: Ελένη Οικονόμου");
    await s.click(await s.css('[aria-label="Open the certificate of Ελένη Οικονόμου"]'));
    await s.until("the certificate written", async () => (await s.textOf('[data-testid="awards-saved"]')).includes(".pdf"));
    const path = (await s.textOf('[data-testid="awards-saved"]')).match(/\((.*\.pdf)\)/)[1];
    assert.ok(existsSync(path), path);
    try {
      execFileSync("qpdf", ["--check", path], { encoding: "utf8" });
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
    }
    assert.match(cli(workspace, ["verify", path]), /verified/);

    await s.click(await s.button("Verify"));
    await s.upload('[data-testid="verify-input"]', [path]);
    await s.until("the verdict", async () => (await s.textOf('[data-testid="verification-verdict"]')).toLowerCase() === "verified");
    await s.screenshot("certificates-verified");
  } catch (e) {
    await s.screenshot(`failed-${Date.now()}`).catch(() => {});
    throw e;
  } finally {
    await s.close();
  }
});
