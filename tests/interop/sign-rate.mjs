// The JavaScript reference's signing rate on this machine, for comparison with Credence's:
// signs a Credence credential again and again with @digitalbazaar/vc and eddsa-rdfc-2022 (the
// same offline contexts as verify.mjs), each time with its own id, on one thread.
//
//   node tests/interop/sign-rate.mjs CREDENTIAL.json [COUNT]
//
// Prints "javascript reference (eddsa-rdfc-2022): N signed per second".

import {readFileSync} from 'node:fs';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as rdfc} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

import {offlineLoader} from './loader.mjs';

const [file, countText] = process.argv.slice(2);
if(!file) {
  console.error('usage: node tests/interop/sign-rate.mjs CREDENTIAL.json [COUNT]');
  process.exit(2);
}
const count = Number(countText || 300);
const template = JSON.parse(readFileSync(file, 'utf8'));
delete template.proof;

const key = await Ed25519Multikey.generate({controller: 'did:key:placeholder'});
const did = `did:key:${key.publicKeyMultibase}`;
key.controller = did;
key.id = `${did}#${key.publicKeyMultibase}`;
template.issuer = {...template.issuer, id: did};
const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite: rdfc});
const documentLoader = offlineLoader(() => null);

// One warm-up signature (contexts parsed, code compiled), then the measured ones.
await vc.issue({credential: structuredClone(template), suite, documentLoader});
const start = process.hrtime.bigint();
for(let i = 0; i < count; i++) {
  const credential = structuredClone(template);
  credential.id = `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  await vc.issue({credential, suite, documentLoader});
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`javascript reference (eddsa-rdfc-2022): ${(count / seconds).toFixed(1)} signed per second ` +
  `(${count} in ${seconds.toFixed(2)} s)`);
