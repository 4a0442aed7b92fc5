import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createPgliteDb } from './db/pglite-db';
import { migrate } from './db/migrate';
import { createRepositories } from './repositories';
const db = await createPgliteDb(await mkdtemp(`${tmpdir()}/qb-`));
await migrate(db);
const repos = createRepositories(db);
const users = [];
for (let i = 0; i < 20; i++) {
  const u = await repos.users.insert({ email: `u${i}@x.y`, passwordHash: 'x', role: 'producer' as never, displayName: null, profileKind: 'producer' as never, language: 'fr' as never });
  const tok = createHash('sha256').update(String(i)).digest('hex');
  await repos.sessions.insert(tok, u!.id, new Date(Date.now() + 1e9));
  users.push({ u: u!, tok });
}
const t: Record<string, number> = {};
const time = async <T>(k: string, f: () => Promise<T>) => { const s = performance.now(); const r = await f(); t[k] = (t[k] ?? 0) + performance.now() - s; return r; };
const N = 400;
for (let i = 0; i < N; i++) {
  const { u, tok } = users[i % 20]!;
  const sha = [0, 1, 2].map(() => randomBytes(32).toString('hex'));
  const clientId = randomUUID();
  await time('session', () => repos.sessions.findUser(tok));
  const g = { userId: u.id, clientId, sha256s: sha, openStatuses: ['received', 'in_review'] as never, windowHours: 24 };
  await time('guards', () => repos.escalations.creationGuards(g));
  await time('tx', () => db.transaction(async (tx) => {
    const r = createRepositories(tx);
    await time('guards-tx', () => r.escalations.creationGuards(g));
    return time('insert', () => r.escalations.insert({ clientId, userId: u.id, crop: 'x', description: 'd', prediction: { modelVersion: 'b', abstained: false, top: [{ slug: 'potato_late_blight', p: 0.8 }] } as never, location: { lat: 46, lon: -71, accuracyM: 12 }, regionCode: '03', profileKind: 'producer' as never, contactPreference: null, consentPhotoReuse: false },
      sha.map((s) => ({ mediaKey: s, sha256: s, width: 256, height: 256, key: s })) as never));
  }));
  if (i === 99) for (const k of Object.keys(t)) t[k] = 0;
}
for (const [k, v] of Object.entries(t)) console.log(k.padEnd(10), (v / (N - 100)).toFixed(3), 'ms');
await db.close();
