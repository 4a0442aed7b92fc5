import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../errors';
import type { Repositories } from '../repositories';
import type { AlertRecipient } from '../repositories/alert-repository';
import type { AlertInfo } from '../contract/lab';
import type { AlertSubscription, AlertSubscriptionBody } from '../contract/surveillance';
import type { User } from '../contract/user';
import { PUBLIC_MIN_CELL_COUNT } from '../contract/surveillance';
import type { Mailer } from './mailer';

type Names = { fr: string; en: string };

/** Text of an alert e-mail: the class, its crop, the region and week only (nothing of the case). */
function alertMail(alert: AlertInfo, r: AlertRecipient, names: Names, crops: Names | null) {
  const crop = (lang: keyof Names) => (crops ? ` (${crops[lang]})` : '');
  return r.language === 'en'
    ? {
        to: r.email,
        subject: `Phytodiag alert: ${names.en} confirmed in region ${alert.regionCode}`,
        text: `A lab specialist confirmed ${names.en}${crop('en')} in region ${alert.regionCode}, week of ${alert.week}.\n\nYou receive this e-mail because you subscribed to alerts for this region. Manage your alerts in the Phytodiag app (Settings).`,
      }
    : {
        to: r.email,
        subject: `Alerte Phytodiag : ${names.fr} confirmé(e) dans la région ${alert.regionCode}`,
        text: `Un spécialiste du laboratoire a confirmé ${names.fr}${crop('fr')} dans la région ${alert.regionCode}, semaine du ${alert.week}.\n\nVous recevez ce courriel parce que vous êtes abonné(e) aux alertes de cette région. Gérez vos alertes dans l'application Phytodiag (Réglages).`,
      };
}

/**
 * Alert subscriptions and the fan-out that follows a specialist's confirmation. The fan-out runs
 * AFTER the answer has committed and never throws: a failure there is logged, the answer stands.
 */
export function createAlertService(deps: {
  repos: Repositories;
  mailer: Mailer;
  log: FastifyBaseLogger;
}) {
  const { repos, mailer, log } = deps;

  async function fanOut(escalationId: string): Promise<number> {
    const c = await repos.alerts.confirmedCase(escalationId);
    // No confirmed detection with a region (a healthy plant, a class outside the library, a case
    // that cannot be placed): nothing the public view would show, so nothing to announce. The
    // detection's region is the case's, or derived from its location when it had none.
    const regionCode = c?.detection?.regionCode ?? null;
    if (!c?.slug || !c.detection || regionCode === null) return 0;
    const alert: AlertInfo = { slug: c.slug, regionCode, crop: null, week: c.detection.week };
    // An alert goes to anyone who subscribes, seconds after an answer: it waits until the cell
    // (region, week, class) is public, i.e. confirmed on enough distinct farms, or the first
    // confirmation would tell a stranger that a farm of the region has it. Once it is public,
    // later confirmations add nothing (one alert per subscriber per cell).
    const farms = await repos.surveillance.farmsInCell(alert);
    if (farms < PUBLIC_MIN_CELL_COUNT) return 0;
    const entry = await repos.library.findBySlug(c.slug);
    // The alert names the crop as the library does, never in the owner's words: it goes to
    // strangers, and what a producer typed (« Pomme de terre – ferme Tremblay ») can name a farm.
    alert.crop = entry?.crop.fr ?? null;
    // A subscription for one crop matches the class's crop only: matching the owner's own words
    // would let a subscriber test a guess (« Vigne – Vignoble Tremblay »).
    const crops = [entry?.crop.fr, entry?.crop.en]
      .map((x) => x?.trim().toLowerCase() ?? '')
      .filter((x) => x !== '');
    const recipients = await repos.alerts.fanOut(alert, c.ownerId, crops);
    if (recipients.length > 0) {
      const names = entry?.name ?? { fr: alert.slug, en: alert.slug };
      // Not awaited: the SMTP round trips must not hold anything up.
      for (const r of recipients) void mailer.send(alertMail(alert, r, names, entry?.crop ?? null));
    }
    return recipients.length;
  }

  return {
    list: (viewer: User) => repos.alerts.list(viewer.id),

    async subscribe(
      viewer: User,
      body: AlertSubscriptionBody,
    ): Promise<{ subscription: AlertSubscription; created: boolean }> {
      const crop = body.crop?.trim();
      return repos.alerts.upsert(viewer.id, {
        regionCode: body.regionCode,
        crop: crop ? crop : null,
        email: body.email ?? false,
      });
    },

    async unsubscribe(viewer: User, id: string): Promise<void> {
      // Someone else's subscription is "not found": no existence leak.
      if (!(await repos.alerts.delete(viewer.id, id))) throw new AppError('NOT_FOUND');
    },

    /** Called once a library diagnosis has committed. Never throws. */
    async afterConfirmedAnswer(escalationId: string): Promise<void> {
      try {
        await fanOut(escalationId);
      } catch (err) {
        log.error({ err, escalationId }, 'alert fan-out failed');
      }
    },
  };
}
export type AlertService = ReturnType<typeof createAlertService>;
