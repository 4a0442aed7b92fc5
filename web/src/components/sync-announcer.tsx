import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { db } from '../db/db';
import { BANK_UPLOADS_SENT } from '../state/bank-uploads-runner';
import { useOnline } from '../state/online';

/**
 * Tells screen-reader users what happens in the background, which sighted users see as a card
 * moving from « En attente d'envoi » to « Demandes envoyées » or a banner going away: the network
 * is back, a waiting request reached the lab, photos queued for the bank were sent. One live region, present from the start (a region
 * that appears already filled is missed by some screen readers).
 */
export function SyncAnnouncer() {
  const { t } = useTranslation();
  const online = useOnline();
  const sent = useLiveQuery(() => db.outbox.where('state').equals('sent').count(), []);
  const [message, setMessage] = useState('');
  const lastSent = useRef<number | undefined>(undefined);
  const wasOnline = useRef(online);

  useEffect(() => {
    if (sent === undefined) return;
    const before = lastSent.current;
    if (before !== undefined && sent > before) {
      setMessage(t('app.requestsSent', { count: sent - before }));
    }
    lastSent.current = sent;
  }, [sent, t]);

  useEffect(() => {
    const onSent = (e: Event) => {
      const count = (e as CustomEvent<number>).detail;
      setMessage(t('app.bankUploadsSent', { count }));
    };
    window.addEventListener(BANK_UPLOADS_SENT, onSent);
    return () => window.removeEventListener(BANK_UPLOADS_SENT, onSent);
  }, [t]);

  useEffect(() => {
    if (online && !wasOnline.current) setMessage(t('app.backOnline'));
    wasOnline.current = online;
  }, [online, t]);

  return (
    <p className="visually-hidden" role="status" data-testid="sync-announcer">
      {message}
    </p>
  );
}
