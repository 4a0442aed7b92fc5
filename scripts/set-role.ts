// `npm run user:role -- <email> <role>`: gives an existing account its role (producer,
// agronomist, specialist, admin) in the configured database (DATABASE_URL, else PGlite in
// DATA_DIR). For the first administrator of a new installation: registering always makes a
// producer, and from then on an admin gives roles in the app (« Équipe », #/team). PGlite is
// single-process: stop the API first (as for db:backup). Prints one JSON line.
import { ConfigError, loadConfig } from '../api/src/config';
import type { Role } from '../api/src/contract/user';
import { createDb } from '../api/src/db/create-db';
import { migrate } from '../api/src/db/migrate';
import { userRepository } from '../api/src/repositories/user-repository';

const ROLES: readonly Role[] = ['producer', 'agronomist', 'specialist', 'admin'];
const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

const [email, role] = process.argv.slice(2);
if (!email || !role || !isRole(role)) {
  console.error(`usage: npm run user:role -- <email> <${ROLES.join('|')}>`);
  process.exit(2);
}

try {
  const config = loadConfig();
  const db = await createDb(config);
  try {
    await migrate(db);
    const users = userRepository(db);
    const user = await users.findByEmail(email.trim().toLowerCase());
    if (!user) {
      console.error(`no account with the e-mail ${email}: the person registers in the app first`);
      process.exitCode = 1;
    } else {
      await users.setRole(user.id, role, null);
      console.log(JSON.stringify({ email: user.email, from: user.role, to: role }));
    }
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
}
