import { AppError } from '../errors';
import { PASSWORD_MIN_LENGTH } from '../contract/user';

/**
 * Passwords attackers try first (top of public breach lists, plus French and local favourites).
 * Small on purpose: the length rule already excludes most of the classic lists; this catches the
 * long-but-obvious ones. Compared case-insensitively, ignoring spaces and separators.
 */
const COMMON_PASSWORDS = new Set(
  [
    '1234567890',
    '12345678910',
    '123456789012',
    '0123456789',
    '9876543210',
    '1111111111',
    '0000000000',
    '1q2w3e4r5t',
    '1qaz2wsx3edc',
    'qwertyuiop',
    'azertyuiop',
    'qwertzuiop',
    'asdfghjkl;',
    'password12',
    'password123',
    'password1234',
    'passw0rd123',
    'motdepasse',
    'motdepasse1',
    'motdepasse123',
    'iloveyou123',
    'jetaime123',
    'bonjour123',
    'soleil1234',
    'letmein123',
    'welcome123',
    'changeme123',
    'administrator',
    'admin12345',
    'qwerty12345',
    'qwerty123456',
    'azerty12345',
    'azerty123456',
    'abcdefghij',
    'abcd123456',
    'abc1234567',
    'football123',
    'baseball123',
    'superman123',
    'sunshine123',
    'princess123',
    'dragon12345',
    'trustno1234',
    'phytodiag123',
    'phytodiagdemo',
    'agriculture',
    'agriculteur',
    'quebec1234',
    'montreal123',
    'canadiens123',
  ].map(normalise),
);

function normalise(text: string): string {
  return text.toLowerCase().replace(/[\s._-]+/g, '');
}

/** Throws PASSWORD_TOO_SHORT, PASSWORD_CONTAINS_EMAIL or PASSWORD_TOO_COMMON (localised). */
export function assertAcceptablePassword(password: string, email: string): void {
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    throw new AppError('PASSWORD_TOO_SHORT', undefined, { min: PASSWORD_MIN_LENGTH });
  }
  const candidate = normalise(password);
  const [local = ''] = email.trim().toLowerCase().split('@');
  const address = normalise(email.trim());
  // The address, or its local part when long enough to be a real hint (not "a@b.ca").
  if (candidate.includes(address) || (local.length >= 4 && candidate.includes(normalise(local)))) {
    throw new AppError('PASSWORD_CONTAINS_EMAIL');
  }
  const repeated = /^(.)\1+$/.test(candidate);
  if (repeated || COMMON_PASSWORDS.has(candidate)) throw new AppError('PASSWORD_TOO_COMMON');
}
