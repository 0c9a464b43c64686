// An independent verifier for everything Credence issues, written on code nobody here wrote:
// Digital Bazaar's VC stack (@digitalbazaar/vc with the eddsa-rdfc-2022 and eddsa-jcs-2022
// cryptosuites, JSON-LD in safe mode, did:key, bitstring status lists) and ajv with formats
// asserted on the bundled 1EdTech Open Badges 3.0 schema. It runs offline: every context comes
// from the files Credence bundles, did:key documents from the method driver, and status lists
// from the exported files found beside the credentials.
//
//   node tests/interop/verify.mjs [--expect KIND,...] PATH...
//
// PATH: files or folders (walked) of .json (credentials and status lists), baked .png and .svg
// badges, and .pdf certificates (the credential attached; read with poppler's pdfdetach).
// KIND: json, png, svg, pdf, status-list, eddsa-rdfc-2022, eddsa-jcs-2022, revoked: at least one
// file of each named kind must be among those verified. Before verifying, the script checks that
// its own checks bite (a changed byte fails the proof, a bare date fails the schema).
// Exit 0 when every file verifies; the last line reads "interop: N passed, M failed".

import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, extname, join, relative, resolve, sep} from 'node:path';
import {inflateSync} from 'node:zlib';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as rdfc} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createVerifyCryptosuite as jcsVerify} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

import {offlineLoader, root, vcCrate} from './loader.mjs';

// ----- status lists, from the exported files -----

/** Status list credentials found among the files: id -> [{dir, credential}]. */
const statusLists = new Map();

function nearestStatusList(url, forFile) {
  const candidates = statusLists.get(url) || [];
  let best = null;
  let bestLength = -1;
  for(const c of candidates) {
    // The list exported nearest the credential: the longest shared folder prefix.
    const a = c.dir.split(sep);
    const b = dirname(forFile).split(sep);
    let n = 0;
    while(n < a.length && n < b.length && a[n] === b[n]) {
      n++;
    }
    if(n > bestLength) {
      best = c;
      bestLength = n;
    }
  }
  return best;
}

function loaderFor(file) {
  return offlineLoader(url => nearestStatusList(url, file)?.credential);
}

const suite = [
  new DataIntegrityProof({cryptosuite: rdfc}),
  new DataIntegrityProof({cryptosuite: jcsVerify()}),
];

// ----- the 1EdTech schema, formats asserted -----

const ajv = new Ajv2019({strict: false, allErrors: true});
addFormats(ajv);
const validateOb = ajv.compile(JSON.parse(readFileSync(
  join(vcCrate, 'schema/ob_v3p0_achievementcredential_schema.json'), 'utf8')));

function schemaProblems(credential) {
  // VC Data Integrity allows one proof object; the schema lists proofs: check it as a list.
  const listed = {...credential};
  if(listed.proof && !Array.isArray(listed.proof)) {
    listed.proof = [listed.proof];
  }
  if(validateOb(listed)) {
    return [];
  }
  return validateOb.errors.slice(0, 5).map(e => `${e.instancePath || '/'} ${e.message}`);
}

// ----- reading the credential out of each kind of file -----

function fromPng(bytes) {
  let at = 8;
  while(at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const kind = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if(kind === 'iTXt') {
      const keywordEnd = data.indexOf(0);
      if(data.toString('latin1', 0, keywordEnd) === 'openbadgecredential') {
        const compressed = data[keywordEnd + 1] === 1;
        const languageEnd = data.indexOf(0, keywordEnd + 3);
        const translatedEnd = data.indexOf(0, languageEnd + 1);
        const text = data.subarray(translatedEnd + 1);
        return (compressed ? inflateSync(text) : text).toString('utf8');
      }
    }
    if(kind === 'IEND') {
      break;
    }
    at += 12 + length;
  }
  throw new Error('no openbadgecredential iTXt chunk in the PNG');
}

function fromSvg(text) {
  const m = text.match(/<openbadges:credential[^>]*>\s*(?:<!\[CDATA\[([\s\S]*?)\]\]>|([\s\S]*?))\s*<\/openbadges:credential>/);
  if(!m) {
    throw new Error('no <openbadges:credential> element in the SVG');
  }
  return m[1] ?? m[2];
}

function fromPdf(file) {
  const out = mkdtempSync(join(tmpdir(), 'credence-interop-'));
  try {
    const listing = execFileSync('pdfdetach', ['-list', file], {encoding: 'utf8'});
    const line = listing.split('\n').find(l => /^\d+: credential\.json$/.test(l.trim()));
    if(!line) {
      throw new Error(`pdfdetach finds no credential.json attached (${listing.trim()})`);
    }
    const target = join(out, 'credential.json');
    execFileSync('pdfdetach', ['-save', line.trim().split(':')[0], '-o', target, file]);
    return readFileSync(target, 'utf8');
  } finally {
    rmSync(out, {recursive: true, force: true});
  }
}

function credentialText(file) {
  switch(extname(file)) {
  case '.png': return fromPng(readFileSync(file));
  case '.svg': return fromSvg(readFileSync(file, 'utf8'));
  case '.pdf': return fromPdf(file);
  default: return readFileSync(file, 'utf8');
  }
}

// ----- verification -----

const isStatusList = c => Array.isArray(c.type) && c.type.includes('BitstringStatusListCredential');
const isBadge = c => Array.isArray(c.type) &&
  (c.type.includes('OpenBadgeCredential') || c.type.includes('AchievementCredential'));

function reason(result) {
  const errors = [];
  const walk = e => {
    if(!e) {
      return;
    }
    if(Array.isArray(e)) {
      e.forEach(walk);
      return;
    }
    errors.push(e.message || String(e));
    if(e.errors) {
      walk(e.errors);
    }
    if(e.cause) {
      walk(e.cause);
    }
  };
  walk(result.error);
  for(const r of result.results || []) {
    if(!r.verified) {
      walk(r.error);
    }
  }
  if(result.statusResult && !result.statusResult.verified) {
    walk(result.statusResult.error);
  }
  return [...new Set(errors)].join('; ') || 'not verified';
}

/** Verifies one credential: {ok, problems, kinds}. */
async function verifyCredential(credential, file) {
  const problems = [];
  const kinds = new Set();
  if(isBadge(credential)) {
    problems.push(...schemaProblems(credential).map(p => `schema: ${p}`));
  }
  const proofs = [credential.proof].flat().filter(Boolean);
  for(const p of proofs) {
    kinds.add(p.cryptosuite);
  }
  const documentLoader = loaderFor(file);
  const result = await vc.verifyCredential({
    credential,
    suite,
    documentLoader,
    checkStatus: credential.credentialStatus ?
      options => checkStatus({...options, suite, documentLoader}) : undefined,
  });
  if(!result.verified) {
    problems.push(`proof: ${reason(result)}`);
  }
  const status = result.statusResult?.results?.[0]?.status ?? result.statusResult?.status;
  if(status === true) {
    kinds.add('revoked');
  }
  return {ok: problems.length === 0, problems, kinds, status};
}

/** Fails the run unless the checks above refuse what they must refuse. */
async function selfTest(sample) {
  const changed = structuredClone(sample.credential);
  changed.name = `${changed.name} (changed)`;
  const a = await verifyCredential(changed, sample.file);
  if(a.ok || !a.problems.some(p => p.startsWith('proof:'))) {
    throw new Error('self-test: a changed name still verified');
  }
  const bare = structuredClone(sample.credential);
  bare.credentialSubject.activityEndDate = '2026-05-15';
  if(!schemaProblems(bare).some(p => p.includes('activityEndDate') && p.includes('date-time'))) {
    throw new Error('self-test: a bare-date activityEndDate passed the schema');
  }
  const extra = structuredClone(sample.credential);
  extra.credentialSubject.undefinedTerm = 'not in any context';
  const c = await verifyCredential(extra, sample.file);
  if(c.ok) {
    throw new Error('self-test: an undefined term passed (JSON-LD safe mode is off)');
  }
}

function walk(path, out) {
  const st = statSync(path);
  if(st.isDirectory()) {
    for(const name of readdirSync(path).sort()) {
      walk(join(path, name), out);
    }
  } else if(['.json', '.png', '.svg', '.pdf'].includes(extname(path))) {
    out.push(resolve(path));
  }
}

async function main() {
  const args = process.argv.slice(2);
  let expect = [];
  const paths = [];
  for(let i = 0; i < args.length; i++) {
    if(args[i] === '--expect') {
      expect = args[++i].split(',').filter(Boolean);
    } else {
      paths.push(args[i]);
    }
  }
  if(paths.length === 0) {
    console.error('usage: node tests/interop/verify.mjs [--expect KIND,...] PATH...');
    process.exit(2);
  }
  const files = [];
  for(const p of paths) {
    walk(p, files);
  }
  // Read every file first, so that status lists are known before credentials are checked.
  const read = [];
  let failed = 0;
  for(const file of files) {
    try {
      const credential = JSON.parse(credentialText(file));
      if(extname(file) === '.json' && isStatusList(credential)) {
        const list = statusLists.get(credential.id) || [];
        list.push({dir: dirname(file), credential});
        statusLists.set(credential.id, list);
      }
      read.push({file, credential});
    } catch(e) {
      console.log(`FAIL ${relative(root, file)}: cannot read a credential (${e.message})`);
      failed++;
    }
  }
  const badge = read.find(r => isBadge(r.credential));
  if(badge) {
    await selfTest(badge);
  }
  const seen = new Set();
  let passed = 0;
  for(const {file, credential} of read) {
    const name = relative(root, file);
    const v = await verifyCredential(credential, file);
    if(v.ok) {
      passed++;
      seen.add(isStatusList(credential) ? 'status-list' : extname(file).slice(1));
      v.kinds.forEach(k => seen.add(k));
      const status = credential.credentialStatus ?
        (v.status ? 'revoked' : 'not revoked') : 'no status';
      console.log(`ok   ${name} (${[...v.kinds].filter(k => k !== 'revoked').join(', ')}; ${status})`);
    } else {
      failed++;
      console.log(`FAIL ${name}: ${v.problems.join('; ')}`);
    }
  }
  for(const kind of expect) {
    if(!seen.has(kind)) {
      console.log(`FAIL no file of kind "${kind}" verified (expected at least one)`);
      failed++;
    }
  }
  console.log(`interop: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch(e => {
  console.error(`interop: ${e.stack || e}`);
  process.exit(1);
});
