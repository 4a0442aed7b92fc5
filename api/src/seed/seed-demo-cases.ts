import { randomUUID } from 'node:crypto';
import type { App } from '../app';
import type { Prediction } from '../contract/escalation';
import { AppError } from '../errors';
import { toPublicUser } from '../services/auth-service';
import { bankPhotos } from './demo-photos';
import { seedDemoHistory } from './seed-demo-history';

/** One demo request: who sent it, how long ago, what they wrote and what the device thought. */
interface DemoCase {
  email: string;
  hoursAgo: number;
  regionCode: string;
  description: string;
  /** The device's answer: sure of the photo's class, or abstained. */
  confident: boolean;
}

// Farm requests first (the lab's priority clientele), one of them past the service commitment,
// then an agronomist's on a client's behalf. Descriptions are written like a producer's.
const DEMO_CASES: readonly DemoCase[] = [
  {
    email: 'producteur@demo.local',
    hoursAgo: 168,
    regionCode: '12',
    description:
      'Des taches s’étendent sur plusieurs rangs depuis les pluies de la semaine passée.',
    confident: true,
  },
  {
    email: 'producteur@demo.local',
    hoursAgo: 20,
    regionCode: '16',
    description: 'Feuilles abîmées par plaques, surtout en bordure du champ. L’application hésite.',
    confident: false,
  },
  {
    email: 'producteur@demo.local',
    hoursAgo: 3,
    regionCode: '05',
    description: 'Premiers symptômes ce matin sur une dizaine de plants. Faut-il traiter ?',
    confident: true,
  },
  {
    email: 'agronome@demo.local',
    hoursAgo: 28,
    regionCode: '03',
    description: 'Pour un client maraîcher : je soupçonne une maladie, confirmation souhaitée.',
    confident: true,
  },
];

/**
 * Demo only: a few open requests in the lab queue, so a new user signing in as the specialist has
 * something to claim and answer. They go through the same service as a real upload (photos
 * decoded, stripped of metadata, stored), then are dated back. Diseases come from the library, one
 * crop each, whatever the bank holds. With `history` > 0, that many answered past requests come
 * first (see seed-demo-history.ts). Never touches a database that already holds a case; returns
 * how many of each were created.
 */
export async function seedDemoCases(
  app: App,
  modelVersion: string | null,
  history = 0,
): Promise<{ open: number; answered: number }> {
  const { repos, services, config } = app;
  if (await repos.escalations.any()) return { open: 0, answered: 0 };
  const answered = await seedDemoHistory(app, modelVersion, history);
  const diseases: { slug: string; crop: string }[] = [];
  for (const entry of await repos.library.listSummaries()) {
    if (entry.kind !== 'disease' || diseases.some((d) => d.crop === entry.crop.fr)) continue;
    diseases.push({ slug: entry.slug, crop: entry.crop.fr });
  }
  let created = 0;
  for (const [i, demo] of DEMO_CASES.entries()) {
    const disease = diseases[i];
    const record = await repos.users.findByEmail(demo.email);
    if (!disease || !record) continue;
    const photos = await bankPhotos(config.imagebankDir, disease.slug, 2);
    if (photos.length === 0) continue;
    const prediction: Prediction = {
      modelVersion: modelVersion ?? 'demo',
      abstained: !demo.confident,
      top: [{ slug: disease.slug, p: demo.confident ? 0.82 : 0.41 }],
    };
    try {
      const { escalation } = await services.escalations.create(toPublicUser(record), {
        caseValue: {
          clientId: randomUUID(),
          crop: disease.crop,
          description: demo.description,
          prediction,
          regionCode: demo.regionCode,
        },
        photos,
      });
      await repos.escalations.backdate(escalation.id, demo.hoursAgo);
      created += 1;
    } catch (err) {
      // A refused request (e.g. CASE_RATE_LIMIT_MAX=1) must not stop the server from starting.
      if (!(err instanceof AppError)) throw err;
      app.log.warn({ code: err.code, slug: disease.slug }, 'demo request not created');
    }
  }
  return { open: created, answered };
}
