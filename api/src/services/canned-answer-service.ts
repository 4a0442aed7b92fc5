import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import type { Repositories } from '../repositories';
import type { CannedAnswer, CannedAnswerBody } from '../contract/lab';

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

  async function checked(id: string, body: CannedAnswerBody): Promise<CannedAnswer> {
    const slug = body.slug.trim();
    // A template for a class the library does not have would answer with a dead link.
    if (!(await repos.library.existingSlugs([slug])).has(slug))
      throw new AppError('UNKNOWN_SLUG', 422, { slug });
    return { id, slug, fr: trimmed(body.fr), en: trimmed(body.en) };
  }

  return {
    list: () => repos.lab.listCannedAnswers(),

    async create(body: CannedAnswerBody): Promise<CannedAnswer> {
      const canned = await checked(randomUUID(), body);
      await repos.lab.insertCannedAnswer(canned);
      return canned;
    },

    async update(id: string, body: CannedAnswerBody): Promise<CannedAnswer> {
      const canned = await checked(id, body);
      if (!(await repos.lab.updateCannedAnswer(canned)))
        throw new AppError('UNKNOWN_CANNED_ANSWER', 404, { id });
      return canned;
    },

    async remove(id: string): Promise<void> {
      if (!(await repos.lab.deleteCannedAnswer(id)))
        throw new AppError('UNKNOWN_CANNED_ANSWER', 404, { id });
    },
  };
}
export type CannedAnswerService = ReturnType<typeof createCannedAnswerService>;
