import { useTranslation } from 'react-i18next';

/** Acronyms the fact sheets use that a gardener (or an English reader) may not know. */
const ACRONYMS = ['RAP'] as const;

/**
 * A short explanation under a text that uses one of ACRONYMS: « RAP » is common ground for a
 * Quebec grower, not for a home gardener or someone reading the English sheets.
 */
export function AcronymNotes({ texts }: { texts: readonly string[] }) {
  const { t } = useTranslation();
  const used = ACRONYMS.filter((a) => texts.some((text) => new RegExp(`\\b${a}\\b`).test(text)));
  if (used.length === 0) return null;
  return (
    <>
      {used.map((a) => (
        <p key={a} className="hint" data-testid={`acronym-${a}`}>
          {t(`library.acronyms.${a}`)}
        </p>
      ))}
    </>
  );
}
