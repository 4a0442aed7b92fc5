import { Type, type Static } from '@sinclair/typebox';

export const Health = Type.Object({
  status: Type.Literal('ok'),
  db: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  model: Type.Union([Type.Object({ version: Type.String() }), Type.Null()]),
});
export type Health = Static<typeof Health>;
