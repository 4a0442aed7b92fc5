import { AcronymNotes } from '../components/acronym-notes';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { clampFactor } from '@phytodiag/model/classifier-core';
import { DeleteDiagnosis } from '../components/delete-diagnosis';
import { BlobImage, LibraryImage } from '../components/library-image';
import { inRegion } from '../components/region-options';
import { db } from '../db/db';
import type { DiagnosisRow, Lang, LibraryEntryRow, Profile } from '../db/types';
import { runnerUpOf } from '../result/confidence';
import { contextWeighed } from '../result/context-weighed';
import { otherCropDeclared } from '../result/other-crop';
import { formatFactor, formatList, formatMonth, formatProbability } from '../state/format';
import { cropsOf, displayName, useEntryMap, useLang } from '../state/library-hooks';
import { SharePrompt } from '../privacy/share-prompt';
import { href } from '../state/router';
import { PUBLIC_MIN_CELL_COUNT } from '../surveillance/limits';
import { REGIONAL_WEEKS, useRegionalConfirmed } from '../surveillance/regional-situation';

export function Result({ id, profile }: { id: string; profile: Profile }) {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  // From the entries already read (useCrops would read the library a second time).
  const crops = useMemo(() => cropsOf(entries.values(), lang), [entries, lang]);
  // null while reading (a first render must not flash « introuvable »), undefined when absent.
  const d = useLiveQuery(() => db.diagnoses.get(id), [id], null);
  // Asked only where it is shown: beside an answer, or in the advisor's differential.
  const showsRegional = !!d && (!d.result.abstained || profile === 'advisor');
  const regional = useRegionalConfirmed(
    showsRegional ? (d?.context.regionCode ?? null) : null,
    d?.createdAt ?? null,
  );
  if (!d)
    return (
      <main id="main" className="page">
        <h1>{t('result.title')}</h1>
        <p>{d === null ? t('app.loading') : t('result.notFound')}</p>
      </main>
    );
  const top = d.result.ranked[0];
  const entry = top ? entries.get(top.slug) : undefined;
  const { context } = d;
  const month = formatMonth(context.month, lang);
  const contextUsed = contextWeighed({ ...context, priors: context.priorsEnabled }, t, lang, crops);
  const runnerUp = profile === 'advisor' ? null : runnerUpOf(d.result);
  const declaredOther = d.result.abstained ? null : otherCropDeclared(context.crop, entry, crops);
  const askHref = href({ name: 'escalate', diagnosisId: d.id });
  const ask = (
    <a
      className={`btn big ${d.result.abstained ? 'primary' : 'secondary'}`}
      href={askHref}
      data-testid="ask-specialist"
    >
      {d.result.abstained ? t('result.askAbstain') : t('result.ask')}
    </a>
  );
  return (
    <main id="main" className="page result" data-profile={profile}>
      <h1>{t('result.title')}</h1>
      <ul className="photo-list" aria-label={t('capture.photos', { count: d.photos.length })}>
        {d.photos.map((p, i) => (
          <li key={i}>
            <BlobImage blob={p} alt={t('capture.photoAlt', { n: i + 1 })} size={96} />
          </li>
        ))}
      </ul>
      {d.result.abstained && d.result.abstainReason === 'crop_not_covered' ? (
        <section className="card abstain" aria-labelledby="abstain-h" data-testid="not-covered">
          <h2 id="abstain-h">{t('result.notCoveredTitle')}</h2>
          {/* The covered crops come from the library: none listed before its first download. */}
          {crops.length > 0 && (
            <p>
              {t('result.notCoveredCrops', {
                crops: formatList(
                  crops.map((c) => c.name.toLocaleLowerCase(lang)),
                  lang,
                ),
              })}
            </p>
          )}
          <p>{t('result.notCoveredBody')}</p>
          {ask}
        </section>
      ) : d.result.abstained ? (
        <section className="card abstain" aria-labelledby="abstain-h">
          <h2 id="abstain-h">{t('result.abstainTitle')}</h2>
          <p>{t('result.abstainBody')}</p>
          {ask}
          {/* A second try the model is likelier to read (the bank's own way of photographing). */}
          <p data-testid="leaf-tip">{t('capture.leafTip')}</p>
        </section>
      ) : (
        top && (
          <>
            <section className="card verdict" aria-labelledby="verdict-h">
              <p className={`badge conf-${d.result.confidence}`}>
                {t(`result.${d.result.confidence}`)}
              </p>
              <h2 id="verdict-h" data-testid="top-name">
                {displayName(top.slug, entries, lang)}
              </h2>
              {profile === 'advisor' && entry?.scientificName && (
                <p>
                  <i>{entry.scientificName}</i>
                </p>
              )}
              {runnerUp && (
                <p data-testid="runner-up">
                  {t('result.runnerUp')}{' '}
                  <a href={href({ name: 'entry', slug: runnerUp.slug })}>
                    {displayName(runnerUp.slug, entries, lang)}
                  </a>
                </p>
              )}
              {declaredOther && entry && (
                <p className="notice warn" data-testid="other-crop">
                  {t('result.declaredOtherCrop', {
                    declared: declaredOther.name.toLocaleLowerCase(lang),
                    crop: entry.crop[lang].toLocaleLowerCase(lang),
                  })}
                </p>
              )}
              {d.result.closeUp && <p data-testid="close-up-note">{t('result.closeUp')}</p>}
              {regional && d.context.regionCode && entry?.kind !== 'healthy' && (
                <RegionalNote
                  count={regional.get(top.slug) ?? 0}
                  regionCode={d.context.regionCode}
                />
              )}
            </section>
            {profile === 'producer' && <ProducerView entry={entry} lang={lang} />}
            {profile === 'gardener' && <GardenerView entry={entry} lang={lang} />}
            {profile === 'advisor' && (
              <AdvisorView d={d} entries={entries} lang={lang} regional={regional} />
            )}
            {entry && (
              <p>
                <a href={href({ name: 'entry', slug: entry.slug })}>{t('result.sheet')}</a>
              </p>
            )}
            {ask}
          </>
        )
      )}
      {d.result.abstained && profile === 'advisor' && (
        <AdvisorView d={d} entries={entries} lang={lang} regional={regional} />
      )}
      <p className="meta">
        {/* Timings and the compute backend are for the advisor; the version goes with a request. */}
        {profile === 'advisor'
          ? t('result.meta', {
              version: d.result.modelVersion,
              ms: d.result.elapsedMs,
              backend: d.result.backend,
            })
          : t('result.metaShort', { version: d.result.modelVersion })}
        {' · '}
        {/* What weighed on the answer: the crop, and the lab's season where it has data. */}
        {contextUsed.length > 0
          ? t('result.contextUsed', { context: contextUsed.join(', ') })
          : t('result.contextOff')}
        {context.priorsEnabled &&
          context.season === 'none' &&
          ` (${t('result.seasonNone', { month })})`}
      </p>
      <p className="meta">{t(`result.disclaimer.${profile}`)}</p>
      <SharePrompt diagnosis={d} />
      <DeleteDiagnosis id={d.id} />
    </main>
  );
}

/** The top answer confirmed lately by the lab in the diagnosis's region (nothing when not). */
function RegionalNote({ count, regionCode }: { count: number; regionCode: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  if (count === 0) return null;
  return (
    <p data-testid="regional-confirmed">
      {t('result.regionalConfirmed', {
        count,
        inRegion: inRegion(regionCode, lang),
        weeks: REGIONAL_WEEKS,
      })}{' '}
      <a href={href({ name: 'public' })}>{t('result.regionalLink')}</a>
    </p>
  );
}

/** For the differential: which hypotheses the lab confirmed lately in the region, and how often. */
function RegionalCandidates({
  slugs,
  counts,
  regionCode,
  entries,
  lang,
}: {
  slugs: string[];
  counts: Map<string, number>;
  regionCode: string;
  entries: Map<string, LibraryEntryRow>;
  lang: Lang;
}) {
  const { t } = useTranslation();
  const seen = slugs.filter((slug) => (counts.get(slug) ?? 0) > 0);
  return (
    <section className="card" aria-labelledby="regional-h" data-testid="regional-candidates">
      <h3 id="regional-h">
        {t('result.regionalTitle', {
          inRegion: inRegion(regionCode, lang),
          weeks: REGIONAL_WEEKS,
        })}
      </h3>
      {seen.length > 0 ? (
        <ul className="bullets">
          {seen.map((slug) => (
            <li key={slug}>
              {t('result.regionalItem', {
                name: displayName(slug, entries, lang),
                count: counts.get(slug) ?? 0,
              })}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('result.regionalNone')}</p>
      )}
      <p className="hint">{t('result.regionalHint', { min: PUBLIC_MIN_CELL_COUNT })}</p>
    </section>
  );
}

function ReferenceImages({ entry, lang }: { entry: LibraryEntryRow; lang: Lang }) {
  const { t } = useTranslation();
  if (entry.images.length === 0) return null;
  return (
    <section aria-label={t('result.compare')}>
      <h3>{t('result.compare')}</h3>
      <ul className="ref-list">
        {entry.images.slice(0, 4).map((img, i, shown) => (
          <li key={img.thumbUrl}>
            <LibraryImage
              url={img.thumbUrl}
              alt={t('library.imageAlt', { name: entry.name[lang], n: i + 1, total: shown.length })}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ProducerView({ entry, lang }: { entry: LibraryEntryRow | undefined; lang: Lang }) {
  const { t } = useTranslation();
  const sheet = entry?.factSheet?.[lang];
  if (!entry || !sheet) return <p className="notice">{t('result.noSheet')}</p>;
  return (
    <>
      <section className="card" aria-labelledby="actnow-h">
        <h3 id="actnow-h">{t('result.actNow')}</h3>
        <ul className="bullets">
          {sheet.producer.actNow.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
        <AcronymNotes texts={sheet.producer.actNow} />
      </section>
      <ReferenceImages entry={entry} lang={lang} />
    </>
  );
}

function GardenerView({ entry, lang }: { entry: LibraryEntryRow | undefined; lang: Lang }) {
  const { t } = useTranslation();
  const sheet = entry?.factSheet?.[lang];
  if (!entry || !sheet) return <p className="notice">{t('result.noSheet')}</p>;
  return (
    <>
      <section className="card" aria-labelledby="plain-h">
        <h3 id="plain-h">{t('result.inPlainWords')}</h3>
        <p>{sheet.gardener.plain}</p>
        <h3>{t('result.homeGarden')}</h3>
        <ul className="bullets">
          {sheet.gardener.homeGarden.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
        <AcronymNotes texts={[sheet.gardener.plain, ...sheet.gardener.homeGarden]} />
      </section>
      <ReferenceImages entry={entry} lang={lang} />
    </>
  );
}

function AdvisorView({
  d,
  entries,
  lang,
  regional,
}: {
  d: DiagnosisRow;
  entries: Map<string, LibraryEntryRow>;
  lang: Lang;
  regional: Map<string, number> | null;
}) {
  const { t } = useTranslation();
  const top5 = d.result.ranked.slice(0, 5);
  const topEntry = entries.get(top5[0]?.slug ?? '');
  const sheet = topEntry?.factSheet?.[lang];
  // The season's weight on each hypothesis, for the agronomist to judge (only when it weighed).
  const factors = d.context.priorsEnabled ? (d.context.factors ?? null) : null;
  const seasonWeighed = !!factors && top5.some((r) => factors[r.slug] !== undefined);
  return (
    <>
      <section className="card" aria-labelledby="top5-h">
        <h3 id="top5-h">{t('result.top5')}</h3>
        <table className="top5 hypotheses" data-testid="top5">
          <thead>
            <tr>
              <th scope="col">{t('result.hypothesis')}</th>
              <th scope="col">{t('result.probability')}</th>
              {seasonWeighed && <th scope="col">{t('result.seasonFactor')}</th>}
            </tr>
          </thead>
          <tbody>
            {top5.map((r) => (
              <tr key={r.slug}>
                {/* The scientific name under the common one, not in a column of its own: on a
                    phone three columns of names were cut every few letters. */}
                <td>
                  <a href={href({ name: 'entry', slug: r.slug })}>
                    {displayName(r.slug, entries, lang)}
                  </a>
                  {entries.get(r.slug)?.scientificName && (
                    <i className="scientific">{entries.get(r.slug)?.scientificName}</i>
                  )}
                </td>
                <td className="num">{formatProbability(r.probability, lang)}</td>
                {seasonWeighed && (
                  <td className="num">
                    {factors[r.slug] === undefined
                      ? '—'
                      : formatFactor(clampFactor(factors[r.slug]), lang)}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {regional && d.context.regionCode && top5.length > 0 && (
        <RegionalCandidates
          slugs={top5.map((r) => r.slug)}
          counts={regional}
          regionCode={d.context.regionCode}
          entries={entries}
          lang={lang}
        />
      )}
      {sheet && (
        <section className="card" aria-labelledby="lookalikes-h">
          <h3 id="lookalikes-h">{t('result.lookAlikes')}</h3>
          <p>{sheet.lookAlikes}</p>
        </section>
      )}
      <section aria-label={t('result.compare')}>
        <h3>{t('result.compare')}</h3>
        <div className="side-by-side">
          {top5.slice(0, 3).map((r) => {
            const e = entries.get(r.slug);
            const img = e?.images[0];
            return (
              <figure key={r.slug}>
                {img && e ? (
                  <LibraryImage url={img.thumbUrl} alt={e.name[lang]} size={140} />
                ) : null}
                <figcaption>{displayName(r.slug, entries, lang)}</figcaption>
              </figure>
            );
          })}
        </div>
      </section>
    </>
  );
}
