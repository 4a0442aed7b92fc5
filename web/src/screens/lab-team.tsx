import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResetLink, Role, TeamMember, TeamMemberList } from '@phytodiag/api/contract';
import { errorText } from '../api/error-text';
import { ErrorAlert } from '../components/error-alert';
import { fetchTeam, issueResetLink, setMemberRole } from '../lab/lab-api';
import { canManageTeam } from '../lab/roles';
import { formatDateTime } from '../state/format';
import { useLang } from '../state/library-hooks';
import { useOnline } from '../state/online';
import { href } from '../state/router';
import { useUser } from '../state/session';
import { useFetched } from '../state/use-fetched';
import { Forbidden } from './forbidden';

const ROLES: readonly Role[] = ['producer', 'agronomist', 'specialist', 'admin'];

export function LabTeam() {
  const user = useUser();
  if (!user || !canManageTeam(user)) return <Forbidden audience="admins" />;
  return <Team selfId={user.id} />;
}

/**
 * « Équipe » : who has which role, and an account found by its e-mail given another. A colleague
 * makes their own account first (register always makes a producer): no password passes
 * through an admin.
 */
function Team({ selfId }: { selfId: string }) {
  const { t } = useTranslation();
  const online = useOnline();
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const { data, error, loading } = useFetched<TeamMemberList>(
    `${search ?? ''}|${reload}|${online}`,
    () => fetchTeam(search ?? undefined),
  );
  const [done, setDone] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function find(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    setSearch(query.trim() || null);
  }

  async function save(member: TeamMember, role: Role) {
    setBusy(true);
    setDone(null);
    setFailed(null);
    try {
      const changed = await setMemberRole(member.id, role);
      setDone(t('team.saved', { email: changed.email, role: t(`team.roles.${changed.role}`) }));
      setReload((n) => n + 1);
    } catch (err) {
      setFailed(errorText(err, t));
      // Refused (the last administrator): the select goes back to the role the account has.
      setReload((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  const count = data?.items.length ?? 0;
  return (
    <main id="main" className="page">
      <p>
        <a href={href({ name: 'lab' })}>{t('lab.backToQueue')}</a>
      </p>
      <h1>{t('team.title')}</h1>
      <p>{t('team.intro')}</p>
      <form role="search" className="row wrap lab-filters" onSubmit={find} noValidate>
        <div className="field">
          <label htmlFor="team-q">{t('team.search')}</label>
          <input
            id="team-q"
            type="search"
            inputMode="email"
            autoComplete="off"
            value={query}
            aria-describedby="team-q-hint"
            onChange={(e) => setQuery(e.target.value)}
          />
          <p id="team-q-hint" className="hint">
            {t('team.searchHint')}
          </p>
        </div>
        <button type="submit" className="btn" disabled={query.trim().length < 3}>
          {t('team.find')}
        </button>
        {search !== null && (
          <button
            type="button"
            className="btn secondary"
            onClick={() => {
              setQuery('');
              setSearch(null);
            }}
          >
            {t('team.showStaff')}
          </button>
        )}
      </form>
      <ErrorAlert message={failed ?? error} />
      <p role="status" data-testid="team-status">
        {done ??
          (loading
            ? t('app.loading')
            : data
              ? t(search === null ? 'team.staff' : 'team.found', { count })
              : '')}
      </p>
      {data && (
        <ul className="stack team-list" data-testid="team">
          {data.items.map((m) => (
            <MemberRow
              key={`${m.id}|${m.role}|${reload}`}
              member={m}
              self={m.id === selfId}
              disabled={busy || !online}
              onSave={(role) => void save(m, role)}
            />
          ))}
        </ul>
      )}
      {data?.truncated && <p className="hint">{t('team.truncated')}</p>}
    </main>
  );
}

function MemberRow({
  member,
  self,
  disabled,
  onSave,
}: {
  member: TeamMember;
  self: boolean;
  disabled: boolean;
  onSave: (role: Role) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const id = useId();
  const [role, setRole] = useState<Role>(member.role);
  const change = member.roleChange;
  return (
    <li className="card team-member">
      <p>
        <strong>{member.displayName ?? member.email}</strong>
        {self && ` (${t('team.you')})`}
        {member.displayName && (
          <>
            <br />
            {member.email}
          </>
        )}
      </p>
      <div className="row wrap">
        <div className="field">
          <label htmlFor={id}>{t('team.roleOf', { email: member.email })}</label>
          <select
            id={id}
            value={role}
            aria-describedby={`${id}-rights`}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`team.roles.${r}`)}
              </option>
            ))}
          </select>
          <p className="hint" id={`${id}-rights`} data-testid="role-rights">
            {t(`team.roleRights.${role}`)}
          </p>
        </div>
        <button
          type="button"
          className="btn"
          disabled={disabled || role === member.role}
          aria-label={t('team.saveFor', { email: member.email })}
          onClick={() => onSave(role)}
        >
          {t('team.save')}
        </button>
      </div>
      {change && (
        <p className="hint" data-testid="role-change">
          {t(
            change.by
              ? 'team.changedBy'
              : change.commandLine
                ? 'team.changedOnCommandLine'
                : 'team.changedByDeleted',
            { date: formatDateTime(change.at, lang), email: change.by },
          )}
        </p>
      )}
      {!self && <PasswordLink member={member} disabled={disabled} />}
    </li>
  );
}

/**
 * « Lien pour un nouveau mot de passe »: with no mail server, or a mailbox lost, the person calls
 * the lab; the admin checks who is calling and gives them this one-hour, one-time link.
 */
function PasswordLink({ member, disabled }: { member: TeamMember; disabled: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const id = useId();
  const [issued, setIssued] = useState<ResetLink | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);

  // Who gave the last link, as recorded; once one is given here, the link below says it all.
  const given = member.passwordLink;

  async function issue() {
    setFailed(null);
    setCopied(null);
    try {
      setIssued(await issueResetLink(member.id));
    } catch (err) {
      setFailed(errorText(err, t));
    }
  }

  return (
    <div className="stack team-password">
      <button
        type="button"
        className="btn"
        disabled={disabled}
        aria-label={t(issued ? 'team.resetLinkAgainFor' : 'team.resetLinkFor', {
          email: member.email,
        })}
        onClick={() => void issue()}
      >
        {t(issued ? 'team.resetLinkAgain' : 'team.resetLink')}
      </button>
      {given && !issued && (
        <p className="hint" data-testid="link-given">
          {t(given.by ? 'team.linkGivenBy' : 'team.linkGivenByDeleted', {
            date: formatDateTime(given.at, lang),
            email: given.by,
          })}
        </p>
      )}
      <ErrorAlert message={failed} />
      {issued && (
        <div className="field" data-testid="reset-link">
          <label htmlFor={id}>
            {t('team.resetLinkIssued', {
              email: member.email,
              time: formatDateTime(issued.expiresAt, lang),
            })}
          </label>
          <input
            id={id}
            type="text"
            readOnly
            value={issued.link}
            onFocus={(e) => e.target.select()}
          />
          <p className="hint">{t('team.resetLinkCheck')}</p>
          <button
            type="button"
            className="btn"
            onClick={() =>
              void navigator.clipboard
                .writeText(issued.link)
                .then(() => setCopied('copied'))
                // No clipboard here (an insecure page, a refusal): the field is selectable.
                .catch(() => setCopied('failed'))
            }
          >
            {t('team.copy')}
          </button>
          <p role="status">
            {copied === 'copied' ? t('team.copied') : copied ? t('team.copyFailed') : ''}
          </p>
        </div>
      )}
    </div>
  );
}
