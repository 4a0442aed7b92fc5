import '../lib/typebox-formats';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import { FactSheetFile } from '../contract/fact-sheet';

export const FACT_SHEETS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fact-sheets');

export type FactSheetResult =
  | { status: 'ok'; sheet: FactSheetFile }
  | { status: 'missing' }
  | { status: 'invalid'; problems: string[] };

/** Loads and validates `<dir>/<slug>.json`. Never throws for content problems. */
export async function loadFactSheet(dir: string, slug: string): Promise<FactSheetResult> {
  let text: string;
  try {
    text = await readFile(join(dir, `${slug}.json`), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { status: 'invalid', problems: [`not JSON: ${(err as Error).message}`] };
  }
  if (!Value.Check(FactSheetFile, json)) {
    return {
      status: 'invalid',
      problems: [...Value.Errors(FactSheetFile, json)]
        .slice(0, 5)
        .map((e) => `${e.path || '/'}: ${e.message}`),
    };
  }
  if (json.slug !== slug) {
    return { status: 'invalid', problems: [`slug "${json.slug}" does not match file name`] };
  }
  // Keep only the documented keys (authors' extra fields must not leak into the API).
  return { status: 'ok', sheet: Value.Clean(FactSheetFile, Value.Clone(json)) as FactSheetFile };
}
