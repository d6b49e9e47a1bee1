// stripe-node against the local server, with the client's default API version (no apiVersion option).
// Run by .ci/stripe-node.sh, which installs stripe@latest in a temp folder, copies this file there (so that
// `import 'stripe'` resolves) and sets FILES_API_BASE, FILES_API_KEY and FILES_API_README.
import Stripe from 'stripe';
import {isDeepStrictEqual} from 'node:util';
import {readFileSync, writeFileSync} from 'node:fs';

const base = new URL(need('FILES_API_BASE'));
const key = need('FILES_API_KEY');
const readmePath = need('FILES_API_README');

function need(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

const pinned = Stripe.API_VERSION;
console.log(`stripe-node ${Stripe.PACKAGE_VERSION}, default API version ${pinned}`);

const stripe = new Stripe(key, {
  host: base.hostname,
  port: Number(base.port),
  protocol: base.protocol.replace(':', ''),
  maxNetworkRetries: 0,
});
// What the client sent: its request events carry the version it put in Stripe-Version.
const sentVersions = [];
stripe.on('request', (event) => sentVersions.push(event.api_version));

function pdf(text) {
  return Buffer.from(`%PDF-1.4\n1 0 obj\n<<>>\nendobj\n% ${text}\ntrailer\n<<>>\n%%EOF\n`, 'latin1');
}

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function equal(actual, expected, what) {
  assert(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** The server answered with the version the client pins, and the client sent that one. */
function echoesPinned(answer, what) {
  equal(answer.lastResponse?.headers?.['stripe-version'], pinned, `${what}: Stripe-Version response header`);
  equal(sentVersions.at(-1), pinned, `${what}: version the client sent`);
}

const checks = [];
const check = (name, fn) => checks.push({name, fn});
const state = {};

check('upload a PDF (files host)', async () => {
  state.bytes = pdf('uploaded by stripe-node');
  const file = await stripe.files.create({
    purpose: 'dispute_evidence',
    file: {data: state.bytes, name: 'node-check.pdf', type: 'application/pdf'},
  });
  echoesPinned(file, 'upload');
  equal(file.object, 'file', 'object');
  equal(file.purpose, 'dispute_evidence', 'purpose');
  equal(file.type, 'pdf', 'type');
  equal(file.filename, 'node-check.pdf', 'filename');
  equal(file.size, state.bytes.length, 'size');
  state.file = file;
});

check('retrieve the file', async () => {
  const file = await stripe.files.retrieve(state.file.id);
  echoesPinned(file, 'retrieve');
  equal(JSON.stringify(file), JSON.stringify(state.file), 'retrieved file');
});

check('list files', async () => {
  const list = await stripe.files.list({limit: 3});
  echoesPinned(list, 'list');
  equal(list.object, 'list', 'object');
  equal(list.data[0]?.id, state.file.id, 'newest file');
});

check('download /v1/files/{id}/contents', async () => {
  const url = `${base.origin}/v1/files/${state.file.id}/contents`;
  equal(state.file.url, url, 'the file\'s url field');
  const response = await fetch(url, {headers: {Authorization: `Bearer ${key}`}});
  equal(response.status, 200, 'status');
  equal(response.headers.get('content-type')?.split(';')[0], 'application/pdf', 'Content-Type');
  const body = Buffer.from(await response.arrayBuffer());
  assert(body.equals(state.bytes), `downloaded ${body.length} bytes differ from the ${state.bytes.length} uploaded`);
});

check('file link create, update (metadata, expires_at), list', async () => {
  const link = await stripe.fileLinks.create({file: state.file.id, metadata: {order: '6735'}});
  echoesPinned(link, 'create link');
  equal(link.object, 'file_link', 'object');
  equal(link.file, state.file.id, 'file');
  equal(link.expired, false, 'expired');
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  const updated = await stripe.fileLinks.update(link.id, {metadata: {case: 'dp_1'}, expires_at: expiresAt});
  echoesPinned(updated, 'update link');
  const merged = {order: '6735', case: 'dp_1'};
  assert(isDeepStrictEqual(updated.metadata, merged),
      `merged metadata: expected ${JSON.stringify(merged)}, got ${JSON.stringify(updated.metadata)}`);
  equal(updated.expires_at, expiresAt, 'expires_at');
  equal(updated.url, link.url, 'url');
  const list = await stripe.fileLinks.list({file: state.file.id});
  echoesPinned(list, 'list links');
  equal(JSON.stringify(list.data.map((l) => l.id)), JSON.stringify([link.id]), 'links of the file');
});

check('unknown file is a StripeInvalidRequestError 404 resource_missing', async () => {
  let error;
  try {
    await stripe.files.retrieve('file_doesnotexist000000000000');
  } catch (e) {
    error = e;
  }
  assert(error, 'retrieving an unknown file succeeded');
  assert(error instanceof Stripe.errors.StripeInvalidRequestError,
      `expected StripeInvalidRequestError, got ${error?.type}: ${error?.message}`);
  equal(error.type, 'StripeInvalidRequestError', 'type');
  equal(error.statusCode, 404, 'statusCode');
  equal(error.code, 'resource_missing', 'code');
  equal(error.headers?.['stripe-version'], pinned, 'Stripe-Version response header');
  assert(error.requestId?.startsWith('req_'), `requestId ${error.requestId}`);
});

check('README stripe-node snippet uploads', async () => {
  const section = "### Pointing Stripe's libraries at it";
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(`\n${section}\n`);
  assert(start >= 0, `README.md has no section ${section}`);
  const rest = readme.slice(start + section.length + 2);
  const end = rest.search(/\n#{1,3} /);
  const block = /```js\n([\s\S]*?)```/.exec(end < 0 ? rest : rest.slice(0, end));
  assert(block, `no \`\`\`js block under ${section}`);
  let code = block[1];
  const substitute = (placeholder, value) => {
    assert(code.includes(placeholder), `the snippet no longer contains ${placeholder}:\n${code}`);
    code = code.replaceAll(placeholder, value);
  };
  substitute("'sk_test_...'", `'${key}'`);
  substitute('port: 8080', `port: ${Number(base.port)}`);
  assert(base.hostname === 'localhost', `the snippet's host is localhost, the server's base is ${base}`);
  // The snippet as written, in a module that imports Stripe and gives it the `buf` it uploads.
  const module = new URL('./readme-snippet.mjs', import.meta.url);
  writeFileSync(module, `import Stripe from 'stripe';\nexport default async function run(buf) {\n${code}}\n`);
  const buf = pdf('uploaded by the README snippet');
  const run = (await import(module.href)).default;
  await run(buf);
  const newest = (await stripe.files.list({limit: 1})).data[0];
  equal(newest?.filename, 'e.pdf', 'newest file\'s name');
  equal(newest?.size, buf.length, 'size');
  equal(newest?.type, 'pdf', 'type');
  equal(newest?.purpose, 'dispute_evidence', 'purpose');
});

let passed = 0;
let failed = 0;
for (const {name, fn} of checks) {
  try {
    await fn();
    passed++;
    console.log(`PASS ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e?.stack ?? e}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
