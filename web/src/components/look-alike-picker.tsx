import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ENTRY_LIMITS } from '../lab/limits';
import { sortedByName, useEntryMap, useLang } from '../state/library-hooks';

/**
 * « Sosies » of the library editor: the other entries an entry can be mistaken for. Those of the
 * same crop (and those chosen) first; the rest on request, since 29 and more boxes would bury
 * the few that matter.
 */
export function LookAlikePicker({
  slug,
  crop,
  selected,
  onChange,
}: {
  slug: string;
  /** The entry's crop, in English (the key both languages share). */
  crop: string;
  selected: readonly string[];
  onChange: (next: string[]) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useEntryMap();
  const [allCrops, setAllCrops] = useState(false);
  const others = sortedByName(
    [...entries.values()].filter((e) => e.slug !== slug),
    lang,
  );
  const choices = allCrops
    ? others
    : others.filter((e) => e.crop.en === crop || selected.includes(e.slug));
  // The contract's limit: further boxes are disabled, not refused once sent.
  const full = selected.length >= ENTRY_LIMITS.lookAlikes;
  return (
    <fieldset aria-describedby="ed-similar-hint">
      <legend>{t('libraryEdit.similar')}</legend>
      <p id="ed-similar-hint" className="hint">
        {t('libraryEdit.similarHint')}
      </p>
      <ul className="check-list">
        {choices.map((e) => {
          const checked = selected.includes(e.slug);
          const id = `ed-like-${e.slug}`;
          return (
            <li key={e.slug} className="check">
              <input
                id={id}
                type="checkbox"
                checked={checked}
                disabled={!checked && full}
                onChange={() =>
                  onChange(checked ? selected.filter((s) => s !== e.slug) : [...selected, e.slug])
                }
              />
              <label htmlFor={id}>
                {e.name[lang]} <span className="hint">· {e.crop[lang]}</span>
              </label>
            </li>
          );
        })}
      </ul>
      {!allCrops && others.length > choices.length && (
        <button type="button" className="btn secondary" onClick={() => setAllCrops(true)}>
          {t('libraryEdit.showAll')}
        </button>
      )}
    </fieldset>
  );
}
