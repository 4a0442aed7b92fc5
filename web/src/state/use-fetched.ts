import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text';

interface Fetched<T> {
  key: string;
  data: T | null;
  error: string | null;
}

/**
 * Data of a read-only screen: `load` runs whenever `key` (which must encode everything `load`
 * depends on) changes. The previous data stays shown while the next one loads, so filters do not
 * blank the screen; `loading` is true until the answer for the current key is in.
 */
export function useFetched<T>(
  key: string,
  load: () => Promise<T>,
): { data: T | null; error: string | null; loading: boolean } {
  const { t } = useTranslation();
  const [state, setState] = useState<Fetched<T> | null>(null);
  useEffect(() => {
    let live = true;
    load()
      .then((data) => live && setState({ key, data, error: null }))
      .catch(
        (err: unknown) =>
          live && setState((s) => ({ key, data: s?.data ?? null, error: errorText(err, t) })),
      );
    return () => {
      live = false;
    };
    // `key` stands for everything `load` reads; a new `load` closure each render is not a change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, t]);
  return {
    data: state?.data ?? null,
    error: state?.error ?? null,
    loading: state?.key !== key,
  };
}
