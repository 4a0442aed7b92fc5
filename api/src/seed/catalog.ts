import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { LibraryKind } from '../contract/library';
import { LocalizedText } from '../contract/common';

/** The part of IMAGEBANK_DIR/catalog.json the API uses (other fields are ignored). */
const CatalogClass = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9_]+$' }),
  kind: LibraryKind,
  crop: LocalizedText,
  scientific_name: Type.Union([Type.String(), Type.Null()]),
  common_name: LocalizedText,
  source_repository: Type.Optional(Type.String()),
  source_license: Type.Optional(Type.String()),
});
export type CatalogClass = Static<typeof CatalogClass>;

const Catalog = Type.Object({ classes: Type.Array(CatalogClass) });

export async function readCatalog(imagebankDir: string): Promise<CatalogClass[]> {
  const path = join(imagebankDir, 'catalog.json');
  const json: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!Value.Check(Catalog, json)) {
    const first = [...Value.Errors(Catalog, json)][0];
    throw new Error(`${path} is invalid at ${first?.path}: ${first?.message}`);
  }
  return json.classes;
}
