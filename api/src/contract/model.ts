import { Type, type Static } from '@sinclair/typebox';

export const ModelFile = Type.Object({
  path: Type.String(),
  sha256: Type.String(),
  bytes: Type.Integer(),
});
export type ModelFile = Static<typeof ModelFile>;

/**
 * GET /api/model/manifest: MODEL_DIR/<version>/manifest.json as written by the model package,
 * plus `baseUrl` (`/models/<version>/`) under which every `files[].path` is served (immutable).
 * Extra manifest fields are passed through untouched.
 */
export const ModelManifest = Type.Object(
  {
    version: Type.String(),
    created: Type.Optional(Type.String()),
    classes: Type.Array(
      Type.Object(
        {
          slug: Type.String(),
          kind: Type.Optional(Type.String()),
          crop: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: true },
      ),
    ),
    inputSize: Type.Optional(Type.Integer()),
    files: Type.Array(ModelFile),
    quantization: Type.Optional(Type.Unknown()),
    metrics: Type.Optional(Type.Unknown()),
    baseUrl: Type.String(),
  },
  { additionalProperties: true },
);
export type ModelManifest = Static<typeof ModelManifest>;
