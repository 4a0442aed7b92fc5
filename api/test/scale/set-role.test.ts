import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { TeamMemberList } from '../../src/contract/user';
import { createTestApp } from '../helpers/test-app';
import { login, register } from '../helpers/http';
import { runScript } from './scale-helpers';

// The first administrator of a new installation: the person registers in the app, the operator
// runs `npm run user:role -- <email> admin` (API stopped: PGlite is single-process), and the
// person's next request is an admin's.
it('npm run user:role gives an existing account its role; an unknown e-mail changes nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phytodiag-role-'));
  const env = { DATA_DIR: dir, PGLITE_DIR: join(dir, 'pglite'), DATABASE_URL: '' };
  try {
    let t = await createTestApp(env);
    await register(t.app, 'premiere.admin@example.com');
    await t.close();

    const unknown = await runScript('set-role', ['personne@example.com', 'admin'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no account with the e-mail personne@example.com');
    const bad = await runScript('set-role', ['premiere.admin@example.com', 'chef'], env);
    expect(bad.code).toBe(2);
    const ok = await runScript('set-role', [' Premiere.Admin@example.com', 'admin'], env);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toEqual({
      email: 'premiere.admin@example.com',
      from: 'producer',
      to: 'admin',
    });

    t = await createTestApp(env);
    try {
      const cookie = await login(t.app, 'premiere.admin@example.com');
      const team = await t.app.inject({ url: '/api/users', headers: { cookie } });
      expect(team.statusCode).toBe(200);
      // Recorded as given on the command line.
      expect((team.json() as TeamMemberList).items).toEqual([
        expect.objectContaining({
          email: 'premiere.admin@example.com',
          roleChange: expect.objectContaining({ by: null, commandLine: true }),
        }),
      ]);
    } finally {
      await t.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
