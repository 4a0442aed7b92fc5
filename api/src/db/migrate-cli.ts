import { ConfigError, loadConfig } from '../config';
import { createDb } from './create-db';
import { migrate } from './migrate';

// `npm run db:migrate -w @phytodiag/api`: applies pending migrations and exits.
try {
  const config = loadConfig();
  const db = await createDb(config);
  try {
    const { applied, alreadyApplied } = await migrate(db);
    console.log(
      `[${db.kind}] ${applied.length} migration(s) applied${applied.length ? `: ${applied.join(', ')}` : ''}; ${alreadyApplied} already present.`,
    );
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
