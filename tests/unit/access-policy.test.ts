/**
 * The API's access matrix (server/api/access-policy.ts) with real tokens: no token / view / edit /
 * admin / wrong room / expired / admin token × each need, with and without an auth secret, with
 * and without an admin token. Also the admin role's rule: only with room "*".
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { SignJWT } from 'jose';
import { createAuth } from '../../server/auth.ts';
import { AdminDisabledError, createAccessPolicy, type AccessNeed } from '../../server/api/access-policy.ts';
import { AccessError, ConfigError } from '../../server/errors.ts';

const SECRET = 'policy-secret-0123456789-abcdefghijklmn';
const ADMIN_TOKEN = 'admin-token-0123456789-abcdefghijklmnopq';
const auth = createAuth(SECRET);
const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600;

const request = (token: string | null): IncomingMessage => ({ headers: token === null ? {} : { authorization: `Bearer ${token}` } }) as IncomingMessage;

type Outcome = 'ok' | 401 | 403 | 404;

async function outcome(policy: ReturnType<typeof createAccessPolicy>, token: string | null, need: AccessNeed, room: string | null): Promise<Outcome> {
  try {
    await policy.check(request(token), need, room);
    return 'ok';
  } catch (error) {
    if (error instanceof AccessError) return error.httpStatus;
    if (error instanceof AdminDisabledError) return 404;
    throw error;
  }
}

describe('access matrix', async () => {
  const tokens = {
    none: null,
    view: await auth.sign({ room: 'r', role: 'view', expiresAt: inAnHour() }),
    edit: await auth.sign({ room: 'r', role: 'edit', expiresAt: inAnHour() }),
    admin: await auth.sign({ room: '*', role: 'admin', expiresAt: inAnHour() }),
    wrongRoom: await auth.sign({ room: 'other', role: 'edit', expiresAt: inAnHour() }),
    expired: await auth.sign({ room: 'r', role: 'edit', expiresAt: Math.floor(Date.now() / 1000) - 10 }),
    adminToken: ADMIN_TOKEN,
  };
  // [token, view on room r, edit on room r, admin on room r, admin on no room]
  const withSecret: Array<[keyof typeof tokens, Outcome, Outcome, Outcome, Outcome]> = [
    ['none', 401, 401, 401, 401],
    ['view', 'ok', 403, 403, 403],
    ['edit', 'ok', 'ok', 403, 403],
    ['admin', 'ok', 'ok', 'ok', 'ok'],
    ['wrongRoom', 403, 403, 403, 403],
    ['expired', 401, 401, 401, 401],
  ];
  const cases: Array<{ name: string; policy: ReturnType<typeof createAccessPolicy>; rows: Array<[keyof typeof tokens, Outcome, Outcome, Outcome, Outcome]> }> = [
    { name: 'auth secret, no admin token', policy: createAccessPolicy(auth, null), rows: [...withSecret, ['adminToken', 401, 401, 401, 401]] },
    { name: 'auth secret and admin token', policy: createAccessPolicy(auth, ADMIN_TOKEN), rows: [...withSecret, ['adminToken', 'ok', 'ok', 'ok', 'ok']] },
    {
      name: 'open server, no admin token',
      policy: createAccessPolicy(null, null),
      rows: (Object.keys(tokens) as Array<keyof typeof tokens>).map((name) => [name, 'ok', 'ok', 404, 404]),
    },
    {
      name: 'open server with an admin token',
      policy: createAccessPolicy(null, ADMIN_TOKEN),
      rows: (Object.keys(tokens) as Array<keyof typeof tokens>).map((name) => [name, 'ok', 'ok', name === 'adminToken' ? 'ok' : 401, name === 'adminToken' ? 'ok' : 401]),
    },
  ];
  for (const { name, policy, rows } of cases) {
    test(name, async () => {
      for (const [token, view, edit, adminRoom, admin] of rows) {
        const got = [
          await outcome(policy, tokens[token], 'view', 'r'),
          await outcome(policy, tokens[token], 'edit', 'r'),
          await outcome(policy, tokens[token], 'admin', 'r'),
          await outcome(policy, tokens[token], 'admin', null),
        ];
        assert.deepEqual(got, [view, edit, adminRoom, admin], `${name}: ${token}`);
        assert.equal(await outcome(policy, tokens[token], 'none', null), 'ok');
      }
    });
  }
});

describe('the admin role is only for room "*"', () => {
  test('signing refuses it for one room; verifying refuses a forged one', async () => {
    await assert.rejects(auth.sign({ room: 'r', role: 'admin', expiresAt: inAnHour() }), ConfigError);
    const forged = await new SignJWT({ room: 'r', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(inAnHour())
      .sign(new TextEncoder().encode(SECRET));
    await assert.rejects(auth.verify(forged), (error: unknown) => error instanceof AccessError && /only valid with room "\*"/.test(error.message));
    assert.deepEqual({ ...(await auth.verify(await auth.sign({ room: '*', role: 'admin', expiresAt: inAnHour() }))), expiresAt: 0 }, { room: '*', role: 'admin', expiresAt: 0 });
  });
});
