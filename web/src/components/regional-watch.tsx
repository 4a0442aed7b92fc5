import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lang, LibraryEntryRow } from '../db/types';
import { displayName } from '../state/library-hooks';
import { href } from '../state/router';
import { useSettings } from '../state/settings-hooks';
import { PUBLIC_MIN_CELL_COUNT } from '../surveillance/limits';
import { REGIONAL_WEEKS, useRegionalConfirmed } from '../surveillance/regional-situation';
import { inRegion } from './region-options';

/** At most this many problems on the home screen; the public situation has the rest. */
const SHOWN = 5;

/**
 * Home: the crop enemies the lab confirmed lately in the user's region, most cases first, in the
 * spirit of the regional warning networks: a grower learns what is going round before scouting.
 * Nothing without a region (set in the diagnosis context or Settings) or when nothing was
 * published; offline, the service worker's last copy.
 */
export function RegionalWatch({
  entries,
  lang,
}: {
  entries: Map<string, LibraryEntryRow>;
  lang: Lang;
}) {
  const { t } = useTranslation();
  const regionCode = useSettings()?.regionCode ?? null;
  // The weeks up to today, fixed for the life of the screen (a new visit moves them on).
  const [today] = useState(() => new Date().toISOString());
  const counts = useRegionalConfirmed(regionCode, today);
  if (!regionCode || !counts) return null;
  const shown = [...counts]
    .filter(([slug]) => entries.get(slug)?.kind !== 'healthy')
    .sort(
      ([a, m], [b, n]) =>
        n - m || displayName(a, entries, lang).localeCompare(displayName(b, entries, lang), lang),
    )
    .slice(0, SHOWN);
  if (shown.length === 0) return null;
  return (
    <section aria-labelledby="regional-watch-h" data-testid="regional-watch">
      <h2 id="regional-watch-h">
        {t('home.regionalTitle', {
          inRegion: inRegion(regionCode, lang),
          weeks: REGIONAL_WEEKS,
        })}
      </h2>
      <ul className="link-list">
        {shown.map(([slug, count]) => (
          <li key={slug}>
            <a href={href({ name: 'entry', slug })}>
              {t('result.regionalItem', { name: displayName(slug, entries, lang), count })}
            </a>
          </li>
        ))}
      </ul>
      <p className="hint">{t('result.regionalHint', { min: PUBLIC_MIN_CELL_COUNT })}</p>
    </section>
  );
}
