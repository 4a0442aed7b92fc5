import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnswerBody, CannedAnswer, Escalation } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { ErrorAlert } from '../components/error-alert';
import { MissingFields } from '../components/missing-fields';
import { cannedGroups } from '../lab/canned-groups';
import { answerCase, fetchCannedAnswers } from '../lab/lab-api';
import { sortedByName, useEntryMap, useLang } from '../state/library-hooks';
import { href } from '../state/router';

const OTHER = 'other';
type Missing = 'diagnosis' | 'otherText' | 'message';

interface Props {
  escalation: Escalation;
  onAnswered: (e: Escalation) => void;
  /** The server refused the answer (e.g. 409: the case changed meanwhile). */
  onRefused: (err: unknown) => void;
  disabled: boolean;
}

/**
 * Diagnosis from the library (or "other" + free text), message, recommendations. A canned
 * answer fills the diagnosis; fields left empty are completed by the server from that canned
 * answer in the PRODUCER's language, so they are only previewed here.
 */
export function AnswerForm({ escalation, onAnswered, onRefused, disabled }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  const [canned, setCanned] = useState<CannedAnswer[]>([]);
  const [cannedId, setCannedId] = useState('');
  // Never pre-filled with the model's guess: a default kept unread would count as the lab
  // agreeing with the model, and become a confirmed detection on the maps.
  const [slug, setSlug] = useState('');
  const suggested = escalation.prediction?.abstained ? null : escalation.prediction?.top[0]?.slug;
  const suggestedEntry = suggested ? entries.get(suggested) : undefined;
  const [otherText, setOtherText] = useState('');
  const [message, setMessage] = useState('');
  const [recommendations, setRecommendations] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetchCannedAnswers()
      .then((l) => setCanned(l.items))
      .catch(() => setCanned([]));
  }, []);

  const chosen = canned.find((c) => c.id === cannedId) ?? null;
  const sorted = sortedByName(entries.values(), lang);
  // What the answer still needs, field by field; listed once a send was refused.
  const lacking: Missing[] = [
    ...(!slug ? (['diagnosis'] as const) : []),
    ...(slug === OTHER && !otherText.trim() ? (['otherText'] as const) : []),
    ...(!chosen && !message.trim() ? (['message'] as const) : []),
  ];
  const [refused, setRefused] = useState(0);
  const missing = refused > 0 ? lacking : [];

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (lacking.length > 0) {
      setRefused((n) => n + 1);
      return;
    }
    const body: AnswerBody = {
      diagnosisSlug: slug,
      ...(slug === OTHER ? { diagnosisText: otherText.trim() } : {}),
      ...(message.trim() ? { message: message.trim() } : {}),
      ...(recommendations.trim() ? { recommendations: recommendations.trim() } : {}),
      ...(chosen ? { cannedAnswerId: chosen.id } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      onAnswered(await answerCase(escalation.id, body));
    } catch (err) {
      setError(errorText(err, t));
      onRefused(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card stack lab-form"
      aria-labelledby="ans-h"
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h3 id="ans-h">{t('lab.answerTitle')}</h3>
      {canned.length > 0 && (
        <div className="field">
          <label htmlFor="ans-canned">{t('lab.canned')}</label>
          <select
            id="ans-canned"
            value={cannedId}
            onChange={(e) => {
              setCannedId(e.target.value);
              const c = canned.find((x) => x.id === e.target.value);
              if (c) setSlug(c.slug);
            }}
          >
            <option value="">{t('lab.cannedNone')}</option>
            {cannedGroups(canned, entries, lang, escalation.crop).map((g) => (
              <optgroup key={g.crop} label={g.crop}>
                {g.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c[lang].title}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
      )}
      {chosen && (
        <div className="notice" data-testid="canned-preview">
          <p>
            <a href={href({ name: 'entry', slug: chosen.slug })}>{t('lab.cannedSheet')}</a>
          </p>
          <p className="pre">{chosen[lang].message}</p>
          <p className="pre">{chosen[lang].recommendations}</p>
          <p className="hint">{t('lab.cannedHint')}</p>
        </div>
      )}
      <div className="field">
        <label htmlFor="ans-diag">{t('lab.diagnosis')}</label>
        <select
          id="ans-diag"
          value={slug}
          required
          aria-required="true"
          aria-invalid={missing.includes('diagnosis') || undefined}
          onChange={(e) => setSlug(e.target.value)}
        >
          <option value="">{t('lab.diagnosisPick')}</option>
          {sorted.map((e) => (
            <option key={e.slug} value={e.slug}>
              {e.name[lang]}
            </option>
          ))}
          <option value={OTHER}>{t('lab.other')}</option>
        </select>
        {suggestedEntry && slug !== suggestedEntry.slug && (
          <button
            type="button"
            className="btn small"
            data-testid="use-suggestion"
            onClick={() => setSlug(suggestedEntry.slug)}
          >
            {t('lab.suggestionUse', { name: suggestedEntry.name[lang] })}
          </button>
        )}
      </div>
      {slug === OTHER && (
        <div className="field">
          <label htmlFor="ans-other">{t('lab.otherText')}</label>
          <input
            id="ans-other"
            required
            aria-required="true"
            aria-invalid={missing.includes('otherText') || undefined}
            maxLength={500}
            value={otherText}
            onChange={(e) => setOtherText(e.target.value)}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor="ans-msg">{t('lab.message')}</label>
        <textarea
          id="ans-msg"
          rows={4}
          maxLength={5000}
          aria-required={chosen ? 'false' : 'true'}
          aria-invalid={missing.includes('message') || undefined}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="ans-rec">{t('lab.recommendations')}</label>
        <textarea
          id="ans-rec"
          rows={4}
          maxLength={5000}
          value={recommendations}
          onChange={(e) => setRecommendations(e.target.value)}
        />
      </div>
      <MissingFields
        title={t('escalate.missing')}
        items={missing.map((m) => t(`lab.answerMissingWhat.${m}`))}
        attempt={refused}
      />
      <ErrorAlert message={error} />
      <button
        type="submit"
        className="btn primary"
        disabled={busy || disabled}
        data-testid="send-answer"
      >
        {t('lab.sendAnswer')}
      </button>
    </form>
  );
}
