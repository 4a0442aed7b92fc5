import { randomUUID } from 'node:crypto';

/** The `case` field of POST /api/escalations: a valid case with a fresh clientId. */
export function caseJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    clientId: randomUUID(),
    crop: 'Pomme de terre',
    description: 'Taches brunes sur les feuilles du bas',
    prediction: {
      modelVersion: 'v-test',
      abstained: false,
      top: [{ slug: 'potato_late_blight', p: 0.8 }],
    },
    location: { lat: 46.81, lon: -71.21, accuracyM: 12 },
    regionCode: '03',
    ...overrides,
  });
}
