import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CropOptions, KindOptions } from '../components/select-options';
import { LibraryImage } from '../components/library-image';
import { db } from '../db/db';
import { searchLibrary } from '../library/search';
import { sortedByName, useLang } from '../state/library-hooks';
import { href } from '../state/router';

export function Library() {
  const { t } = useTranslation();
  const lang = useLang();
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState('');
  const [crop, setCrop] = useState('');
  const rows = useLiveQuery(() => searchLibrary(db, { query, kind, crop }), [query, kind, crop]);
  const total = useLiveQuery(() => db.libraryEntries.count(), []);
  const sorted = sortedByName(rows ?? [], lang);
  return (
    <main id="main" className="page">
      <h1>{t('library.title')}</h1>
      {total === 0 && (
        <p className="notice">
          {t('library.empty')} <a href={href({ name: 'settings' })}>{t('library.download')}</a>
        </p>
      )}
      <div className="stack" role="search">
        <div className="field">
          <label htmlFor="lib-q">{t('library.search')}</label>
          <input
            id="lib-q"
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        <div className="row wrap">
          <div className="field">
            <label htmlFor="lib-kind">{t('library.kind')}</label>
            <select id="lib-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="">{t('library.kindAll')}</option>
              <KindOptions />
            </select>
          </div>
          <div className="field">
            <label htmlFor="lib-crop">{t('library.crop')}</label>
            <select id="lib-crop" value={crop} onChange={(e) => setCrop(e.target.value)}>
              <option value="">{t('library.cropAll')}</option>
              <CropOptions />
            </select>
          </div>
        </div>
      </div>
      <p role="status">{t('library.results', { count: sorted.length })}</p>
      <ul className="entry-list" data-testid="library-list">
        {sorted.map((r) => (
          <li key={r.slug}>
            <a href={href({ name: 'entry', slug: r.slug })} className="entry-link">
              {r.images[0] && <LibraryImage url={r.images[0].thumbUrl} alt="" size={64} />}
              <span>
                <span className="entry-name">{r.name[lang]}</span>
                <span className="entry-sub">
                  {t(`library.kinds.${r.kind}`)} · {r.crop[lang]}
                  {r.scientificName ? ' · ' : ''}
                  {r.scientificName && <i>{r.scientificName}</i>}
                </span>
              </span>
            </a>
          </li>
        ))}
      </ul>
    </main>
  );
}
