import { randomUUID } from 'node:crypto';
import type { App } from '../app';
import type { Prediction } from '../contract/escalation';
import type { User } from '../contract/user';
import type { LibrarySummary } from '../repositories/library-repository';
import { AppError } from '../errors';
import { toPublicUser } from '../services/auth-service';
import { createEscalationWorkflowService } from '../services/escalation-workflow-service';
import { prng } from './detection-generator';
import { bankPhotos } from './demo-photos';

/** What a seeded past case looked like from the lab's side. */
export interface DemoHistoryCase {
  /** The demo account that sent it. */
  requester: string;
  slug: string;
  crop: string;
  regionCode: string;
  description: string;
  /** When the request came in, hours before now. */
  hoursAgo: number;
  /** Hours from the request to the lab's first response (the answer, or a sample request). */
  responseHours: number;
  /** The lab asked for a physical sample first: received two days later, answered a day after. */
  sample: boolean;
  prediction: Omit<Prediction, 'modelVersion'>;
  /** The requester's satisfaction (1–5), or null if they did not rate the answer. */
  score: number | null;
}

// Farm regions first, as in the surveillance demo data.
const REGIONS = ['16', '16', '16', '17', '17', '12', '12', '05', '14', '03', '04', '15', '07'];
// Written like the demo clients': a detail of the field and a question.
const PRODUCER = 'producteur@demo.local';
const DESCRIPTIONS: Readonly<Record<string, readonly string[]>> = {
  [PRODUCER]: [
    'Symptômes observés au champ, photo jointe. Pouvez-vous confirmer ?',
    'Ça progresse depuis une semaine, surtout dans le bas du champ. Faut-il traiter ?',
    'Quelques plants touchés près du brise-vent. Est-ce que ça risque de s’étendre ?',
    'Vu ce matin en faisant le tour des rangs. Je n’ai jamais eu ça ici.',
  ],
  'agronome@demo.local': [
    'Pour un client : taches apparues après la grêle. Diagnostic souhaité avant de recommander.',
    'Plusieurs foyers chez un client, l’application hésite. Confirmation souhaitée.',
  ],
};
const SAMPLE_NOTE =
  'Les photos ne suffisent pas à trancher. Envoyez quelques feuilles atteintes, dans un sac ' +
  'de papier, avec la référence du dossier.';
const SAMPLE_DELAY_HOURS = 48;
const LAB_ANALYSIS_HOURS = 24;
const ANSWER_FROM = {
  photos: 'Diagnostic confirmé d’après vos photos.',
  sample: 'Diagnostic confirmé par l’analyse de votre échantillon au laboratoire.',
};
const ANSWER_NEXT =
  ' La fiche jointe détaille les mesures à prendre ; répondez ici si les symptômes évoluent.';
const COMMENTS: Readonly<Partial<Record<number, string>>> = {
  2: 'Le traitement proposé ne convient pas à ma régie.',
  3: 'J’aurais aimé une réponse plus tôt.',
  4: 'Réponse claire, merci.',
};

/**
 * The plan for `count` answered demo cases spread over the last twelve weeks (newest last),
 * drawn with a fixed seed from the library's diseases, insects and weeds: the same plan every
 * time for the same library. Most answers come within a day; about one in eight misses the
 * service commitment. The device is right about four times in five, hesitates on some cases
 * and is wrong on the rest, so the agreement table has something to say.
 */
export function planDemoHistory(
  entries: readonly Pick<LibrarySummary, 'slug' | 'kind' | 'crop'>[],
  count: number,
): DemoHistoryCase[] {
  const pests = entries.filter((e) => e.kind !== 'healthy');
  if (pests.length === 0 || count <= 0) return [];
  const random = prng(20_261_203);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const plan: DemoHistoryCase[] = [];
  for (let i = 0; i < count; i++) {
    const truth = pick(pests);
    const sameCrop = pests.filter((e) => e.crop.fr === truth.crop.fr && e.slug !== truth.slug);
    const others = sameCrop.length > 0 ? sameCrop : pests.filter((e) => e !== truth);
    const other = others.length > 0 ? pick(others) : truth;
    const outcome = random();
    const p = 0.6 + random() * 0.35;
    const prediction: Omit<Prediction, 'modelVersion'> =
      outcome < 0.78
        ? { abstained: false, top: [{ slug: truth.slug, p }] }
        : outcome < 0.9
          ? // Unsure: the right answer second, below the confidence the app trusts.
            {
              abstained: true,
              top: [
                { slug: other.slug, p: 0.38 },
                { slug: truth.slug, p: 0.31 },
              ],
            }
          : { abstained: false, top: [{ slug: other.slug, p: p - 0.2 }] };
    const late = random() < 0.12;
    const responseHours = late ? 60 + random() * 50 : 1 + random() * 26;
    const rated = random();
    const requester = random() < 0.75 ? PRODUCER : 'agronome@demo.local';
    plan.push({
      requester,
      slug: truth.slug,
      crop: truth.crop.fr,
      regionCode: pick(REGIONS),
      description: pick(DESCRIPTIONS[requester] ?? []),
      // From 76 days ago to about ten days ago, evenly, with a little jitter. The indicators
      // show twelve weeks, this one included: on a Monday just after midnight their first day
      // is 77 days back, so nothing older may be planned.
      hoursAgo: Math.round(24 * (76 - (i * 70) / count) - random() * 12),
      responseHours,
      sample: i % 10 === 4,
      prediction,
      score: rated < 0.3 ? null : late ? 3 : rated < 0.45 ? 4 : rated < 0.97 ? 5 : 2,
    });
  }
  return plan;
}

/**
 * Demo only: answered and rated past requests, so a new admin sees response times, satisfaction
 * and model-vs-specialist agreement instead of empty tables. Every case goes through the real
 * services (upload, claim, sometimes a sample request, answer, rating): agreement and
 * surveillance are computed as in use, and each step is dated back as it happens. Returns how
 * many were created.
 */
export async function seedDemoHistory(
  app: App,
  modelVersion: string | null,
  count: number,
): Promise<number> {
  const { repos, config } = app;
  const { escalations, detections, alerts } = app.services;
  // The app's own workflow, but for the e-mail to the requester: weeks-old answers are history,
  // not news (nor 40 e-mails at each demo start-up).
  const workflow = createEscalationWorkflowService({
    db: app.db,
    repos,
    media: app.media,
    escalations,
    detections,
    afterConfirmedAnswer: alerts.afterConfirmedAnswer,
    messageRateLimit: config.messageRateLimit,
  });
  const specialistRecord = await repos.users.findByEmail('specialiste@demo.local');
  if (!specialistRecord || count <= 0) return 0;
  const specialist = toPublicUser(specialistRecord);
  const plan = planDemoHistory(await repos.library.listSummaries(), count);
  // The demo clients, looked up once (not once per case).
  const requesters = new Map<string, User>();
  for (const email of new Set(plan.map((c) => c.requester))) {
    const record = await repos.users.findByEmail(email);
    if (record) requesters.set(email, toPublicUser(record));
  }
  // Photos the open demo requests do not use (they take each class's first two).
  const used = new Map<string, number>();
  let created = 0;
  for (const demo of plan) {
    const requester = requesters.get(demo.requester);
    if (!requester) continue;
    const taken = used.get(demo.slug) ?? 0;
    used.set(demo.slug, taken + 1);
    const photos = await bankPhotos(config.imagebankDir, demo.slug, 1, 2 + taken);
    if (photos.length === 0) continue;
    try {
      const { escalation } = await escalations.create(requester, {
        caseValue: {
          clientId: randomUUID(),
          crop: demo.crop,
          description: demo.description,
          prediction: { ...demo.prediction, modelVersion: modelVersion ?? 'demo' },
          regionCode: demo.regionCode,
        },
        photos,
      });
      const id = escalation.id;
      // Dated back before the answer, so the surveillance week is the request's.
      await repos.escalations.backdate(id, demo.hoursAgo);
      /** Runs a step of the case now, then dates what it wrote `hoursAgo` back. */
      const at = async (hoursAgo: number, step: () => Promise<unknown>) => {
        const since = new Date();
        await step();
        await repos.escalations.backdateSince(id, since, Math.max(0, hoursAgo));
      };
      let answerHoursAgo = demo.hoursAgo - demo.responseHours;
      await at(answerHoursAgo, async () => {
        await workflow.claim(specialist, id);
        if (demo.sample)
          await workflow.sampleRequest(specialist, id, { instructions: SAMPLE_NOTE });
      });
      if (demo.sample) {
        answerHoursAgo -= SAMPLE_DELAY_HOURS;
        await at(answerHoursAgo, () => workflow.sampleReceived(specialist, id));
        answerHoursAgo -= LAB_ANALYSIS_HOURS;
      }
      await at(answerHoursAgo, async () => {
        const message = ANSWER_FROM[demo.sample ? 'sample' : 'photos'] + ANSWER_NEXT;
        await workflow.answer(specialist, id, { diagnosisSlug: demo.slug, message });
        // Weeks-old answers were read long ago: the demo requester's bell shows none of them.
        await workflow.markRead(requester, { escalationId: id });
        if (demo.score === null) return;
        const comment = COMMENTS[demo.score];
        await workflow.rate(requester, id, { score: demo.score, ...(comment ? { comment } : {}) });
      });
      created += 1;
    } catch (err) {
      // A refused request (e.g. a very low CASE_RATE_LIMIT_MAX) must not stop the start-up.
      if (!(err instanceof AppError)) throw err;
      app.log.warn({ code: err.code, slug: demo.slug }, 'demo history request not created');
    }
  }
  return created;
}
