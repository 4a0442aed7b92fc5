import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AcronymNotes } from '../components/acronym-notes';
import { LibraryImage } from '../components/library-image';
import { PhotoCredits } from '../components/photo-credits';
import { db } from '../db/db';
import { canCurate } from '../lab/roles';
import type { Profile } from '../db/types';
import { displayName, useEntryMap, useLang } from '../state/library-hooks';
import { clearFlash, peekFlash } from '../state/flash';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';

export function LibraryEntry({ slug, profile }: { slug: string; profile: Profile }) {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  // null while reading: a first render must not flash « introuvable », nor show a heading that
  // the entry's own then replaces (the focus, moved to the first, would be lost).
  const e = useLiveQuery(() => db.libraryEntries.get(slug), [slug], null);
  const user = useUser();
  const online = useOnline();
  // « Fiche enregistrée » after the lab's editor.
  const [done] = useState(peekFlash);
  useEffect(clearFlash, []);
  if (e === null)
    return (
      <main id="main" className="page">
        <p role="status">{t('app.loading')}</p>
      </main>
    );
  if (!e)
    return (
      <main id="main" className="page">
        <h1>{t('library.title')}</h1>
        <p>{t('library.notFound')}</p>
      </main>
    );
  const s = e.factSheet?.[lang];
  const sections: [string, string | string[]][] = s
    ? profile === 'gardener'
      ? // Plain words only: the sheet's symptoms and « when to call the lab » are written for
        // growers and advisors (pycnidia, MAPAQ's lab, fungicide resistance).
        [
          ['plain', s.gardener.plain],
          ['homeGarden', s.gardener.homeGarden],
          ['gardenerAsk', t('library.gardenerAskText')],
        ]
      : profile === 'producer'
        ? [
            ['actNow', s.producer.actNow],
            ['symptoms', s.symptoms],
            ['management', s.management],
            ['lookAlikes', s.lookAlikes],
            ['callLab', s.callLab],
          ]
        : [
            ['summary', s.summary],
            ['symptoms', s.symptoms],
            ['lookAlikes', s.lookAlikes],
            ['biology', s.biology],
            ['scouting', s.scouting],
            ['management', s.management],
            ['callLab', s.callLab],
          ]
    : [];
  return (
    <main id="main" className="page">
      <p>
        <a href={href({ name: 'library' })}>← {t('library.title')}</a>
      </p>
      <h1>{e.name[lang]}</h1>
      {done && (
        <p className="notice" role="status" data-testid="entry-flash">
          {t(done.i18nKey)}
        </p>
      )}
      <p className="entry-sub">
        {t(`library.kinds.${e.kind}`)} · {e.crop[lang]}
        {e.scientificName && (
          <>
            {' · '}
            <i>{e.scientificName}</i>
          </>
        )}
      </p>
      {canCurate(user) && (
        <p>
          {online ? (
            <a className="btn secondary" href={href({ name: 'entryEdit', slug })}>
              {t(s ? 'libraryEdit.edit' : 'libraryEdit.write')}
            </a>
          ) : (
            <span className="hint">{t('libraryEdit.needOnline')}</span>
          )}
        </p>
      )}
      {e.images.length > 0 && (
        <section aria-labelledby="imgs-h">
          <h2 id="imgs-h">{t('library.images')}</h2>
          <ul className="ref-list">
            {e.images.slice(0, 6).map((img, i, shown) => (
              <li key={img.thumbUrl}>
                {/* Numbered: six images all read « Tavelure du pommier » tell a screen reader
                    user nothing about how many there are or which one has focus. */}
                <LibraryImage
                  url={img.thumbUrl}
                  alt={t('library.imageAlt', { name: e.name[lang], n: i + 1, total: shown.length })}
                />
              </li>
            ))}
          </ul>
          <PhotoCredits images={e.images.slice(0, 6)} />
        </section>
      )}
      {!s && <p className="notice">{t('library.noSheet')}</p>}
      {sections.map(([key, value]) => (
        <section key={key} className="card">
          <h2>{t(`library.${key}`)}</h2>
          {Array.isArray(value) ? (
            <ul className="bullets">
              {value.map((v) => (
                <li key={v}>{v}</li>
              ))}
            </ul>
          ) : (
            <p>{value}</p>
          )}
        </section>
      ))}
      <AcronymNotes texts={sections.flatMap(([, value]) => value)} />
      {e.lookAlikes.length > 0 && (
        <section className="card">
          <h2>{t('result.lookAlikes')}</h2>
          <ul className="link-list">
            {e.lookAlikes.map((l) => (
              <li key={l}>
                <a href={href({ name: 'entry', slug: l })}>{displayName(l, entries, lang)}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <a
        className="btn big secondary"
        href={href({ name: 'escalate', diagnosisId: null, about: slug })}
      >
        {t('home.ask')}
      </a>
    </main>
  );
}
