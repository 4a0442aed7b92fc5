import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import type { Repositories } from '../repositories';
import type { CannedAnswerRecord, CannedAnswerTexts } from '../repositories/lab-repository';
import type { CannedAnswer, CannedAnswerBody } from '../contract/lab';
import type { User } from '../contract/user';
import { ANONYMISED_EMAIL } from './auth-service';

const trimmed = (t: CannedAnswerBody['fr']): CannedAnswer['fr'] => ({
  title: t.title.trim(),
  message: t.message.trim(),
  recommendations: t.recommendations.trim(),
});

/**
 * The lab's canned answers: written and kept up to date by the specialists who use them. An
 * answer already sent keeps its own text (escalation_answers), whatever becomes of its template.
 */
export function createCannedAnswerService(deps: { repos: Repositories }) {
  const { repos } = deps;

  async function checked(id: string, body: CannedAnswerBody): Promise<CannedAnswerTexts> {
    const slug = body.slug.trim();
    // A template for a class the library does not have would answer with a dead link.
    if (!(await repos.library.existingSlugs([slug])).has(slug))
      throw new AppError('UNKNOWN_SLUG', 422, { slug });
    return { id, slug, fr: trimmed(body.fr), en: trimmed(body.en) };
  }

  /** As the lab reads it: a deleted author's work reads as the lab's, nameless. */
  function toCannedAnswer({ edited, ...texts }: CannedAnswerRecord): CannedAnswer {
    return {
      ...texts,
      lastEdit: edited && {
        at: edited.at,
        by: ANONYMISED_EMAIL.test(edited.byEmail) ? null : edited.byEmail,
      },
    };
  }

  async function get(id: string): Promise<CannedAnswer> {
    const found = await repos.lab.findCannedAnswer(id);
    if (!found) throw new AppError('UNKNOWN_CANNED_ANSWER', 404, { id });
    return toCannedAnswer(found);
  }

  return {
    list: async () => (await repos.lab.listCannedAnswers()).map(toCannedAnswer),

    async create(editor: User, body: CannedAnswerBody): Promise<CannedAnswer> {
      const canned = await checked(randomUUID(), body);
      await repos.lab.insertCannedAnswer(canned, editor.id);
      return get(canned.id);
    },

    async update(editor: User, id: string, body: CannedAnswerBody): Promise<CannedAnswer> {
      const canned = await checked(id, body);
      if (!(await repos.lab.updateCannedAnswer(canned, editor.id)))
        throw new AppError('UNKNOWN_CANNED_ANSWER', 404, { id });
      return get(id);
    },

    async remove(id: string): Promise<void> {
      if (!(await repos.lab.deleteCannedAnswer(id)))
        throw new AppError('UNKNOWN_CANNED_ANSWER', 404, { id });
    },
  };
}
export type CannedAnswerService = ReturnType<typeof createCannedAnswerService>;
