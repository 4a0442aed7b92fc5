import fp from 'fastify-plugin';
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import { isValidDate } from '../../lib/iso-week';

const COMMON: Options = {
  useDefaults: true,
  allErrors: false,
  // TypeBox schemas carry $ids (e.g. Language) shared by many routes: compile each inline.
  addUsedSchema: false,
  strict: false,
};

/**
 * JSON bodies are typed already: a number where a string is expected, `["x"]` for `"x"`, or a
 * field the contract does not know are client bugs (or probes) and get a 400, not a silent
 * coercion or removal (Fastify's defaults). Query strings, params and headers are text by nature
 * and keep Fastify's coercion (`?since=12` → 12).
 */
function createAjv(options: Options): Ajv {
  const ajv = new Ajv({ ...COMMON, ...options });
  addFormats(ajv);
  // The same calendar days as the TypeBox checks (lib/typebox-formats): ajv-formats lets year
  // 0000 through, which PostgreSQL refuses.
  ajv.addFormat('date', { type: 'string', validate: isValidDate });
  return ajv;
}

export default fp(
  async (app) => {
    const body = createAjv({ coerceTypes: false, removeAdditional: false });
    const text = createAjv({ coerceTypes: 'array', removeAdditional: true });
    app.setValidatorCompiler(({ schema, httpPart }) =>
      (httpPart === 'body' ? body : text).compile(schema),
    );
  },
  { name: 'validation' },
);
