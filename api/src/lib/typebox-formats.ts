import { FormatRegistry } from '@sinclair/typebox';
import { isValidDate } from './iso-week';

// TypeBox's Value.Check rejects unknown formats; register the ones our contract uses so values
// checked outside Fastify's Ajv (multipart `case` JSON, fact sheets) follow the same rules.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID.test(v));
if (!FormatRegistry.Has('email')) FormatRegistry.Set('email', (v) => EMAIL.test(v));
if (!FormatRegistry.Has('date')) {
  // A real calendar day that PostgreSQL can store: not 2026-02-30, not year 0000.
  FormatRegistry.Set('date', isValidDate);
}
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set(
    'date-time',
    (v) => !Number.isNaN(Date.parse(v)) && isValidDate(v.slice(0, 10)),
  );
}
