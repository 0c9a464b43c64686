// The offline JSON-LD document loader both scripts use: the contexts Credence bundles (the
// published Verifiable Credentials 2.0 and Open Badges 3.0 ones), the DID, Multikey and Data
// Integrity contexts as their own packages ship them, did:key documents from the method
// driver, and whatever `other(url)` returns (the exported status lists). Nothing is fetched.

import {readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as didKey from '@digitalbazaar/did-method-key';
import didContext from 'did-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
export const vcCrate = join(root, 'src-tauri/crates/vc');

const contexts = new Map([
  ['https://www.w3.org/ns/credentials/v2', 'credentials-v2.json'],
  ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'ob-context-3.0.3.json'],
  ['https://purl.imsglobal.org/spec/ob/v3p0/extensions.json', 'ob-extensions.json'],
].map(([url, file]) => [url, JSON.parse(readFileSync(join(vcCrate, 'contexts', file), 'utf8'))]));
for(const pkg of [didContext, multikeyContext, dataIntegrityContext]) {
  for(const [url, doc] of pkg.contexts) {
    contexts.set(url, doc);
  }
}

const didKeyDriver = didKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

export function offlineLoader(other) {
  return async url => {
    if(contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    if(url.startsWith('did:key:')) {
      const document = await didKeyDriver.get({url});
      return {contextUrl: null, documentUrl: url, document};
    }
    const document = other(url);
    if(document) {
      return {contextUrl: null, documentUrl: url, document};
    }
    throw new Error(`offline: ${url} is neither a bundled context, a did:key nor an ` +
      'exported status list among the files given');
  };
}
