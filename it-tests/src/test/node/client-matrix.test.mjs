// The JSON sign-in (docs/signin.md), an account reset and /api/login (docs/legacy-login.md) from Node's own fetch() (undici), the way a
// Node, Deno or Bun backend calls the pack. Run by ClientMatrixIT with `node --test` against the suite's server;
// the Java side prepares the accounts and the Auth0 token and checks the mail. No npm package is needed.
//
// undici sends `Sec-Fetch-Mode: cors` on every request and neither Origin nor Sec-Fetch-Site: the pack must take it
// for what it is, a program and not a web page (providers/routes/.../SameOrigin.java).
import { test } from 'node:test';
import assert from 'node:assert/strict';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run through ClientMatrixIT)`);
  return v;
};
const base = env('AUTHORITY_BASE');           // http://127.0.0.1:<port>
const issuer = `${base}/realms/authority`;
const password = env('AUTHORITY_PASSWORD');

const form = (fields) => new URLSearchParams(fields);
const json = { Accept: 'application/json' };

async function signin(email, pw, accept = json) {
  return fetch(`${issuer}/signin`, { method: 'POST', body: form({ email, password: pw }), headers: accept, redirect: 'manual' });
}

test('GET /signin answers its description as JSON', async () => {
  const r = await fetch(`${base}/signin`, { headers: json, redirect: 'manual' });
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.deepEqual(body.fields.slice(0, 2), ['email', 'password']);
});

test('a wrong password is 401 with the error object', async () => {
  const r = await signin(env('AUTHORITY_EMAIL'), 'wrong-password-node');
  assert.equal(r.status, 401, await r.clone().text());
  assert.equal((await r.json()).error, 'invalid_credentials');
});

test('the right password signs in: 302 to the profile, JSON too', async () => {
  const r = await signin(env('AUTHORITY_EMAIL'), password);
  assert.equal(r.status, 302, await r.clone().text());
  assert.match(r.headers.get('location'), /\/realms\/authority\/profile$/);
  const body = await r.json();
  assert.equal(body.status, 'ok');
  assert.ok(r.headers.getSetCookie().some((c) => c.startsWith('KEYCLOAK_IDENTITY=') && !c.startsWith('KEYCLOAK_IDENTITY=;')),
    'the SSO cookie is set');
  const html = await signin(env('AUTHORITY_EMAIL'), password, {});
  assert.equal(html.status, 302, 'without Accept too');
});

test('a locked account is 423 with Retry-After', async () => {
  const email = env('AUTHORITY_LOCKED_EMAIL');
  let r;
  // brute-force detection writes failures in the background (docs/signin.md, Lockout): keep failing until it says so
  for (let i = 0; i < 20; i++) {
    r = await signin(email, `wrong-${i}`);
    if (r.status === 423) break;
    assert.equal(r.status, 401, await r.text());
    await new Promise((ok) => setTimeout(ok, 150));
  }
  assert.equal(r.status, 423);
  assert.ok(Number(r.headers.get('retry-after')) >= 1, `Retry-After: ${r.headers.get('retry-after')}`);
  assert.equal((await r.json()).error, 'account_locked');
  const right = await signin(email, password);
  assert.equal(right.status, 423, 'the right password while locked is 423 too');
});

test('an account reset answers 200 and mails the account', async () => {
  const r = await fetch(`${base}/account/password/reset`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...json }, body: JSON.stringify({ email: env('AUTHORITY_RESET_EMAIL') }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  const unknown = await fetch(`${base}/account/password/reset`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: `nobody-${Date.now()}@example.com` }),
  });
  assert.equal(unknown.status, 200);
  assert.deepEqual(await unknown.json(), await r.json(), 'the same answer for an unknown address');
});

test('/api/login exchanges the Auth0 token for a realm JWT, and refuses without one', async () => {
  const email = Buffer.from(env('AUTHORITY_LEGACY_EMAIL')).toString('base64');
  const ok = await fetch(`${base}/api/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${env('AUTHORITY_AUTH0_TOKEN')}` },
    body: JSON.stringify({ email }),
  });
  assert.equal(ok.status, 200, await ok.clone().text());
  const body = await ok.json();
  assert.equal(body.status, 'success');
  assert.equal(body.token.split('.').length, 3);
  const refused = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email }) });
  assert.equal(refused.status, 401);
  assert.deepEqual(await refused.json(), { status: 'error', message: 'Unauthorized or invalid token' });
});
