import { useTranslation } from 'react-i18next';
import type { DiagnosisRow } from '../db/types';
import { formatDateTime } from '../state/format';
import { displayName, useEntryMap, useLang } from '../state/library-hooks';
import { href } from '../state/router';

/** Diagnoses as links to their results: name (or « ne peut pas se prononcer ») and time. */
export function DiagnosisLinks({ rows }: { rows: DiagnosisRow[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  return (
    <ul className="link-list">
      {rows.map((d) => (
        <li key={d.id}>
          <a href={href({ name: 'result', id: d.id })}>
            {d.result.abstained
              ? t('result.abstainTitle')
              : displayName(d.result.ranked[0]?.slug ?? '', entries, lang)}{' '}
            · {formatDateTime(d.createdAt, lang)}
          </a>
        </li>
      ))}
    </ul>
  );
}
