import type { CannedAnswerBody, EscalationAnswer } from '@phytodiag/api/contract';
import type { Lang, LibraryEntryRow } from '../db/types';
import { displayName } from '../state/library-hooks';

/**
 * An answer just written on a case, carried to « Réponses types » to be kept as one (the
 * specialist then checks it and writes the other language). Read with a peek, which may run
 * twice in React's strict mode, and cleared once the screen that uses it has mounted.
 */
let pending: CannedAnswerBody | null = null;

export function prefillCanned(body: CannedAnswerBody): void {
  pending = body;
}

export function peekCannedPrefill(): CannedAnswerBody | null {
  return pending;
}

export function clearCannedPrefill(): void {
  pending = null;
}

/**
 * A canned answer made from a case's answer: written in the requester's language (the answer
 * form asks for it), titled with the diagnosis's name; the other language left to write.
 */
export function cannedFromAnswer(
  answer: EscalationAnswer,
  language: Lang,
  entries: Map<string, LibraryEntryRow>,
): CannedAnswerBody {
  const empty = { title: '', message: '', recommendations: '' };
  const written = {
    title: displayName(answer.diagnosisSlug, entries, language),
    message: answer.message,
    recommendations: answer.recommendations ?? '',
  };
  return {
    slug: answer.diagnosisSlug,
    fr: language === 'fr' ? written : empty,
    en: language === 'en' ? written : empty,
  };
}
