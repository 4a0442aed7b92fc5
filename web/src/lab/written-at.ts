import type { TFunction } from 'i18next';
import type { EscalationMessage } from '@phytodiag/api/contract';
import type { Lang } from '../db/types';
import { formatDateTime } from '../state/format';

/** Below this, a message's arrival is as good as when it was written: one time is shown. */
export const WRITTEN_APART_MS = 10 * 60_000;

/**
 * The time a thread message shows: its arrival, or, when it waited on its device (written with no
 * signal), when it was written and when it arrived, so the lab reads « les taches gagnent » as
 * true at 14 h, not at 19 h. `writtenAt` is absent from messages kept by an older app.
 */
export function messageTimeText(
  m: Pick<EscalationMessage, 'createdAt'> & { writtenAt?: string | null },
  t: TFunction,
  lang: Lang,
): string {
  const received = formatDateTime(m.createdAt, lang);
  const written = m.writtenAt ? Date.parse(m.writtenAt) : NaN;
  if (!(Date.parse(m.createdAt) - written > WRITTEN_APART_MS)) return received;
  return t('thread.writtenApart', { written: formatDateTime(m.writtenAt ?? '', lang), received });
}
