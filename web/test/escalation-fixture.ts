import type { Escalation } from '@phytodiag/api/contract';

export const ID = '0b9b2a51-8f0e-4c1e-9d43-6c1f1a0b7e11';

/** A producer's corn case as the API returns it, answered by the lab; `patch` changes fields. */
export function anEscalation(patch: Partial<Escalation> = {}): Escalation {
  return {
    id: ID,
    clientId: 'c0a8012e-0000-4000-8000-000000000001',
    status: 'answered',
    crop: 'Maïs',
    description: 'taches orangées',
    prediction: null,
    location: null,
    regionCode: '16',
    profileKind: 'producer',
    contactPreference: 'app',
    contactPhone: null,
    requesterLanguage: 'fr',
    photos: [{ url: '/p/1', thumbUrl: '/p/1t', width: 10, height: 10 }],
    answer: {
      diagnosisSlug: 'corn_common_rust',
      diagnosisText: null,
      message: 'Rouille commune.',
      recommendations: 'Rien à faire cette année.',
      cannedAnswerId: null,
      specialistName: 'Dre Spécialiste',
      at: '2026-06-02T10:00:00.000Z',
    },
    history: [],
    createdAt: '2026-06-01T10:00:00.000Z',
    consentPhotoReuse: false,
    caseRef: null,
    sampleInstructions: null,
    sampleAddress: null,
    assignee: null,
    dueAt: null,
    overdue: false,
    replyWaitingSince: null,
    rating: null,
    ...patch,
  };
}
