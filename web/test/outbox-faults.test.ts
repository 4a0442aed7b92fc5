import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { PhytoDb } from '../src/db/db';
import type { OutboxCase } from '../src/db/types';
import { coalescingRunner } from '../src/outbox/coalescing-runner';
import { claimDue, queueCase } from '../src/outbox/outbox-repo';
import { flushOutbox } from '../src/outbox/sender';
import { anEscalation } from './escalation-fixture';

// Faults the e2e outbox-faults spec exposed: a flapping network and a server killed mid-upload.
let db: PhytoDb;
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

const aCase = (): OutboxCase => ({
  clientId: crypto.randomUUID(),
  crop: 'Maïs',
  description: 'rouille',
});
const photo = () => new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' });

/** A server keeping cases by clientId that can be switched off (fetch rejects, as offline). */
function flakyServer() {
  const byClientId = new Set<string>();
  const state = { up: false, posts: 0 };
  const impl: typeof fetch = async (_input, init) => {
    state.posts += 1;
    if (!state.up) throw new TypeError('Failed to fetch');
    const c = JSON.parse(String((init?.body as FormData).get('case'))) as OutboxCase;
    const created = !byClientId.has(c.clientId);
    byClientId.add(c.clientId);
    return new Response(JSON.stringify(anEscalation({ id: c.clientId, clientId: c.clientId })), {
      status: created ? 201 : 200,
    });
  };
  return { impl, state, byClientId };
}

describe('outbox under faults', () => {
  it('an unreachable server stops the run: one attempt spent, the other cases stay queued', async () => {
    db = new PhytoDb(`faults-${crypto.randomUUID()}`);
    for (let i = 0; i < 5; i++) await queueCase(db, aCase(), [photo()]);
    const server = flakyServer();

    const report = await flushOutbox(db, { fetchImpl: server.impl });
    expect(report).toEqual({ sent: 0, failed: 1, waitingForSignIn: 0 });
    expect(server.state.posts).toBe(1);
    const rows = await db.outbox.toArray();
    expect(rows.filter((r) => r.state === 'failed').map((r) => r.attempts)).toEqual([1]);
    expect(rows.filter((r) => r.state === 'queued').map((r) => r.attempts)).toEqual([0, 0, 0, 0]);

    // Back up: an ordinary (not forced) run sends the untried ones at once; the failed one waits
    // for its backoff, or for a forced run (the network came back).
    server.state.up = true;
    expect((await flushOutbox(db, { fetchImpl: server.impl })).sent).toBe(4);
    expect(await claimDue(db)).toHaveLength(0);
    expect((await flushOutbox(db, { fetchImpl: server.impl, force: true })).sent).toBe(1);
    expect(server.byClientId.size).toBe(5);
    expect((await db.outbox.toArray()).every((r) => r.state === 'sent')).toBe(true);
  });

  it('many flaps do not push every case into a long backoff', async () => {
    db = new PhytoDb(`faults-${crypto.randomUUID()}`);
    for (let i = 0; i < 20; i++) await queueCase(db, aCase(), [photo()]);
    const server = flakyServer();
    // Each flap back online forces a run (the 'online' event), which meets the network gone again.
    for (let flap = 0; flap < 10; flap++)
      await flushOutbox(db, { fetchImpl: server.impl, force: true });
    const attempts = (await db.outbox.toArray()).map((r) => r.attempts);
    // Before the fix: 10 attempts on every case (200), i.e. a 2-hour-plus backoff for each.
    expect(attempts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10);
    server.state.up = true;
    await flushOutbox(db, { fetchImpl: server.impl, force: true });
    expect(server.byClientId.size).toBe(20);
  });
});

describe('coalescingRunner', () => {
  it('a kick during a run is followed by ONE more run, forced if any folded kick was', async () => {
    const runs: boolean[] = [];
    let release: () => void = () => undefined;
    const runner = coalescingRunner(async (force) => {
      runs.push(force);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
    });
    const first = runner.kick(false);
    expect(runner.busy).toBe(true);
    const second = runner.kick(false);
    const third = runner.kick(true);
    release();
    await Promise.all([first, second, third]);
    expect(runs).toEqual([false, true]);
    expect(runner.busy).toBe(false);
    await runner.kick(false);
    expect(runs).toEqual([false, true, false]);
  });

  it('does not run (nor follow up) while it may not', async () => {
    let online = false;
    const runs: boolean[] = [];
    let release: () => void = () => undefined;
    const runner = coalescingRunner(
      async (force) => {
        runs.push(force);
        if (runs.length === 1) await new Promise<void>((r) => (release = r));
      },
      { canRun: () => online },
    );
    await runner.kick(true);
    expect(runs).toEqual([]);
    online = true;
    const first = runner.kick(false);
    void runner.kick(true);
    online = false; // went offline again before the run ended: no follow-up now
    release();
    await first;
    expect(runs).toEqual([false]);
  });
});
