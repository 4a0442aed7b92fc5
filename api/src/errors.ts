import { ERROR_CODES, type ErrorCode } from './contract/error-codes';
import type { Language } from './contract/common';
import { frenchSpacing } from './i18n/french-spacing';

export type { ErrorCode };

/** A placeholder's value: the same in every language, or written per language (a date). */
export type ErrorParams = Record<string, string | number | Record<Language, string>>;
type Messages = Record<Language, string>;

/** Human messages per code; `{name}` placeholders are filled from AppError params. */
const MESSAGES: Record<ErrorCode, Messages> = {
  VALIDATION_ERROR: {
    fr: 'Certaines informations envoyées ne sont pas valides{field}.',
    en: 'Some of the information sent is not valid{field}.',
  },
  INVALID_JSON: { fr: 'Le corps JSON est mal formé.', en: 'The JSON body is malformed.' },
  BAD_REQUEST: { fr: 'Requête invalide.', en: 'Bad request.' },
  INVALID_CHARACTERS: {
    fr: 'Le texte envoyé contient des caractères interdits (caractère nul).',
    en: 'The text sent contains forbidden characters (NUL).',
  },
  UNKNOWN_QUERY_PARAMETER: {
    fr: 'Paramètre de requête inconnu : {name}.',
    en: 'Unknown query parameter: {name}.',
  },
  INVALID_CURSOR: {
    fr: 'Le curseur de page est invalide ou périmé. Rechargez la liste.',
    en: 'The page cursor is invalid or outdated. Reload the list.',
  },
  PASSWORD_TOO_SHORT: {
    fr: 'Le mot de passe doit compter au moins {min} caractères.',
    en: 'The password must be at least {min} characters long.',
  },
  PASSWORD_CONTAINS_EMAIL: {
    fr: 'Le mot de passe ne doit pas contenir votre courriel.',
    en: 'The password must not contain your email address.',
  },
  PASSWORD_TOO_COMMON: {
    fr: 'Ce mot de passe est trop courant. Choisissez-en un plus original.',
    en: 'This password is too common. Choose a less predictable one.',
  },
  UNAUTHENTICATED: {
    fr: 'Vous devez vous connecter.',
    en: 'You must sign in.',
  },
  SIGNED_IN_AS_ANOTHER: {
    fr: 'Ceci a été écrit sous un autre compte : il partira quand ce compte sera connecté.',
    en: 'This was written under another account: it will go once that account signs in.',
  },
  INVALID_CREDENTIALS: {
    fr: 'Courriel ou mot de passe incorrect.',
    en: 'Incorrect email or password.',
  },
  FORBIDDEN: {
    fr: "Vous n'avez pas les droits pour cette action.",
    en: 'You are not allowed to do this.',
  },
  CSRF_REJECTED: {
    fr: 'Requête refusée : elle provient d’un autre site.',
    en: 'Request refused: it comes from another site.',
  },
  NOT_FOUND: { fr: 'Ressource introuvable.', en: 'Not found.' },
  UNKNOWN_SLUG: {
    fr: 'Élément de bibliothèque inconnu : {slug}.',
    en: 'Unknown library entry: {slug}.',
  },
  MODEL_NOT_AVAILABLE: {
    fr: "Aucun modèle de diagnostic n'est disponible pour le moment.",
    en: 'No diagnostic model is available yet.',
  },
  MODEL_VERSION_REJECTED: {
    fr: 'Cette version du modèle a été refusée par le contrôle de non-régression : elle ne peut pas être servie.',
    en: 'This model version was refused by the non-regression gate: it cannot be served.',
  },
  METHOD_NOT_ALLOWED: { fr: 'Méthode non permise.', en: 'Method not allowed.' },
  EMAIL_TAKEN: {
    fr: 'Un compte existe déjà avec ce courriel.',
    en: 'An account already exists with this email.',
  },
  INVALID_STATUS_TRANSITION: {
    fr: 'Ce dossier a changé entre-temps : il est maintenant « {now} ».',
    en: 'This case has changed in the meantime: it is now "{now}".',
  },
  CASE_CLAIMED: {
    fr: '{name} a pris ce dossier en charge. Pour le traiter vous-même, reprenez-le d’abord.',
    en: '{name} has taken this case. To handle it yourself, take it over first.',
  },
  CLOSE_MESSAGE_REQUIRED: {
    fr: 'Cette demande n’a pas eu de réponse : écrivez au demandeur pourquoi elle est fermée.',
    en: 'This request was never answered: write to the requester why it is closed.',
  },
  CASE_CLOSED: {
    fr: 'Ce dossier est fermé : il n’accepte plus de messages.',
    en: 'This case is closed: it takes no more messages.',
  },
  CASE_CLOSED_UNANSWERED: {
    fr: 'Cette demande a été fermée sans réponse du laboratoire : envoyez plutôt une nouvelle demande.',
    en: 'This request was closed without an answer from the lab: send a new request instead.',
  },
  CASE_CLOSED_TOO_LONG: {
    fr: 'Cette demande est fermée depuis plus de {days} jours : envoyez plutôt une nouvelle demande.',
    en: 'This request was closed more than {days} days ago: send a new request instead.',
  },
  MESSAGE_ID_REUSED: {
    fr: 'Ce message a déjà été envoyé dans une autre demande.',
    en: 'This message was already sent in another request.',
  },
  PAYLOAD_TOO_LARGE: {
    fr: 'Envoi trop volumineux.',
    en: 'The upload is too large.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    fr: 'Type de contenu non pris en charge.',
    en: 'Unsupported content type.',
  },
  PHOTO_REQUIRED: {
    fr: 'Ajoutez au moins une photo.',
    en: 'Add at least one photo.',
  },
  TOO_MANY_PHOTOS: {
    fr: 'Au plus {max} photos par envoi.',
    en: 'At most {max} photos per upload.',
  },
  INVALID_CASE: {
    fr: 'La description du dossier est absente ou invalide.',
    en: 'The case description is missing or invalid.',
  },
  NOT_AN_IMAGE: {
    fr: "Le fichier envoyé n'est pas une image.",
    en: 'The uploaded file is not an image.',
  },
  UNSUPPORTED_IMAGE_FORMAT: {
    fr: "Format d'image non pris en charge ({format}). Utilisez JPEG, PNG ou WebP.",
    en: 'Unsupported image format ({format}). Use JPEG, PNG or WebP.',
  },
  IMAGE_CORRUPT: {
    fr: 'Image endommagée ou incomplète.',
    en: 'The image is damaged or incomplete.',
  },
  IMAGE_TOO_LARGE: {
    fr: 'Image trop grande (au plus {maxMegapixels} mégapixels).',
    en: 'Image too large (at most {maxMegapixels} megapixels).',
  },
  RATE_LIMITED: {
    fr: 'Trop de tentatives. Réessayez dans un moment.',
    en: 'Too many attempts. Try again shortly.',
  },
  INTERNAL: {
    fr: 'Erreur interne du serveur.',
    en: 'Internal server error.',
  },
  SERVICE_UNAVAILABLE: {
    fr: 'Service temporairement indisponible.',
    en: 'Service temporarily unavailable.',
  },
  PHONE_REQUIRED: {
    fr: 'Indiquez le numéro de téléphone auquel le laboratoire peut vous joindre.',
    en: 'Give the phone number at which the lab can reach you.',
  },
  DUPLICATE_CASE: {
    fr: 'Ces photos sont déjà dans une demande encore ouverte : {crop}, du {date}{ref}. Ajoutez-y plutôt un message.',
    en: 'These photos are already in a request that is still open: {crop}, sent {date}{ref}. Add a message to it instead.',
  },
  CASE_RATE_LIMITED: {
    fr: "Vous avez déjà envoyé {max} dossiers au laboratoire au cours des {hours} dernières heures. Réessayez plus tard ou complétez un dossier existant ; en cas d'urgence, téléphonez au laboratoire.",
    en: 'You already sent {max} cases to the lab in the last {hours} hours. Try again later or add to an existing case; if it is urgent, call the lab.',
  },
  MESSAGE_RATE_LIMITED: {
    fr: 'Vous avez déjà écrit {max} messages dans cette demande au cours des {hours} dernières heures : le laboratoire les lira avant d’en recevoir d’autres. Réessayez plus tard ; en cas d’urgence, téléphonez au laboratoire.',
    en: 'You already wrote {max} messages in this request in the last {hours} hours: the lab will read them before receiving more. Try again later; if it is urgent, call the lab.',
  },
  DETECTION_QUOTA: {
    fr: 'Plus de {max} diagnostics partagés en 24 heures depuis ce compte : les suivants restent sur l’appareil et partiront plus tard, sans rien perdre.',
    en: 'More than {max} diagnoses shared in 24 hours from this account: the next ones stay on the device and will go later, with nothing lost.',
  },
  ALREADY_RATED: {
    fr: 'Vous avez déjà évalué cette réponse.',
    en: 'You already rated this answer.',
  },
  NOT_ANSWERED_YET: {
    fr: "Ce dossier n'a pas encore reçu de réponse.",
    en: 'This case has not been answered yet.',
  },
  DIAGNOSIS_REQUIRED: {
    fr: 'Indiquez un diagnostic de la bibliothèque, ou « other » avec le diagnostic en texte libre.',
    en: 'Give a library diagnosis, or "other" with a free-text diagnosis.',
  },
  MESSAGE_REQUIRED: {
    fr: 'Le message est vide.',
    en: 'The message is empty.',
  },
  UNKNOWN_CANNED_ANSWER: {
    fr: 'Réponse type inconnue : {id}.',
    en: 'Unknown canned answer: {id}.',
  },
  NO_PHOTO_REUSE_CONSENT: {
    fr: "Le producteur n'a pas autorisé la réutilisation de ces photos.",
    en: 'The producer did not allow these photos to be reused.',
  },
  NO_LIBRARY_DIAGNOSIS: {
    fr: "Ce dossier n'a pas de diagnostic de la bibliothèque.",
    en: 'This case has no library diagnosis.',
  },
  INVALID_SUBMISSION: {
    fr: 'Les informations de la soumission sont absentes ou invalides.',
    en: 'The submission information is missing or invalid.',
  },
  CLASS_EXISTS: {
    fr: '« {nameFr} » est déjà dans la bibliothèque : choisissez-la dans la liste au lieu de proposer une nouvelle classe.',
    en: '"{nameEn}" is already in the library: pick it from the list instead of proposing a new class.',
  },
  LAST_ADMIN: {
    fr: 'C’est le dernier compte administrateur : donnez d’abord ce rôle à quelqu’un d’autre.',
    en: 'This is the last administrator account: give the role to someone else first.',
  },
  IMAGE_ALREADY_IN_BANK: {
    fr: 'Déjà dans la banque d’images : aucune des photos envoyées n’est nouvelle.',
    en: 'Already in the image bank: none of the photos sent is new.',
  },
  LIBRARY_EDIT_CONFLICT: {
    fr: 'Quelqu’un a enregistré cette fiche depuis que vous l’avez ouverte. Vos changements ne sont pas enregistrés.',
    en: 'Someone saved this fact sheet since you opened it. Your changes are not saved.',
  },
  INVALID_LOOK_ALIKE: {
    fr: 'Ressemblance impossible : {slug} n’est pas une autre fiche de la bibliothèque.',
    en: 'Invalid look-alike: {slug} is not another entry of the library.',
  },
  FACT_SHEET_REQUIRED: {
    fr: 'Une fiche déjà rédigée ne peut pas être vidée : corrigez-la plutôt.',
    en: 'A fact sheet already written cannot be emptied: correct it instead.',
  },
  CONSENT_REQUIRED: {
    fr: 'Activez d’abord le partage de vos diagnostics pour la surveillance (Paramètres, Confidentialité).',
    en: 'First turn on sharing your diagnoses for surveillance (Settings, Privacy).',
  },
  INVALID_DETECTION: {
    fr: 'Un diagnostic sans classe doit être une abstention du modèle.',
    en: 'A diagnosis without a class must be an abstention of the model.',
  },
  INVALID_WEEK: {
    fr: 'Semaine invalide ({week}) : un lundi, ni dans le futur ni plus ancien que {maxWeeks} semaines.',
    en: 'Invalid week ({week}): a Monday, neither in the future nor older than {maxWeeks} weeks.',
  },
  INVALID_PERIOD: {
    fr: 'Période invalide : le début doit précéder la fin, sur au plus {maxWeeks} semaines.',
    en: 'Invalid period: the start must come before the end, over at most {maxWeeks} weeks.',
  },
  UNKNOWN_MRC: {
    fr: 'MRC inconnue : {mrcCode}.',
    en: 'Unknown MRC: {mrcCode}.',
  },
  MRC_REGION_MISMATCH: {
    fr: "La MRC {mrcCode} n'est pas dans la région {regionCode}.",
    en: 'MRC {mrcCode} is not in region {regionCode}.',
  },
  WRONG_PASSWORD: {
    fr: 'Mot de passe incorrect : votre compte n’a pas été supprimé.',
    en: 'Incorrect password: your account was not deleted.',
  },
  CURRENT_PASSWORD_WRONG: {
    fr: 'Mot de passe actuel incorrect : votre mot de passe n’a pas été changé.',
    en: 'Incorrect current password: your password was not changed.',
  },
  PASSWORD_UNCHANGED: {
    fr: 'Le nouveau mot de passe est identique à l’actuel. Choisissez-en un autre.',
    en: 'The new password is the same as the current one. Choose another.',
  },
  RESET_LINK_INVALID: {
    fr: 'Ce lien ne sert plus : il a déjà été utilisé, un plus récent a été envoyé, ou il date de plus d’une heure. Demandez-en un nouveau.',
    en: 'This link no longer works: it was already used, a newer one was sent, or it is more than an hour old. Ask for a new one.',
  },
};

/** The one error type thrown by services and routes; the error handler renders it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly params: ErrorParams;
  readonly details?: { path: string; message: string }[];

  constructor(
    code: ErrorCode,
    status: number = ERROR_CODES[code],
    params: ErrorParams = {},
    details?: { path: string; message: string }[],
  ) {
    super(code);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = status;
    this.params = params;
    this.details = details;
  }
}

const PHOTO_PREFIX: Messages = { fr: 'Photo {n} : ', en: 'Photo {n}: ' };

export function errorMessage(code: ErrorCode, lang: Language, params: ErrorParams = {}): string {
  const text = MESSAGES[code][lang].replace(/\{(\w+)\}/g, (whole, key: string) => {
    // VALIDATION_ERROR names the field to fix when it knows one (error-handler), else says nothing more.
    const value = params[key] ?? (code === 'VALIDATION_ERROR' && key === 'field' ? '' : undefined);
    if (value === undefined) return whole;
    return typeof value === 'object' ? value[lang] : String(value);
  });
  // An error about one photo of several says which (see aboutPhoto).
  const message =
    typeof params.photo === 'number'
      ? PHOTO_PREFIX[lang].replace('{n}', String(params.photo)) + text
      : text;
  return lang === 'fr' ? frenchSpacing(message) : message;
}

/**
 * The same error, about the photo numbered `photo` (1-based, in the order sent): in a batch of
 * twenty bank photos, « Image endommagée » alone leaves the sender to guess which one to drop.
 */
export function aboutPhoto(err: unknown, photo: number): unknown {
  if (!(err instanceof AppError) || 'photo' in err.params) return err;
  return new AppError(err.code, err.statusCode, { ...err.params, photo }, err.details);
}

/** For a promise's catch: `await media.process(p).catch(rethrowAboutPhoto(2))`. */
export const rethrowAboutPhoto =
  (photo: number) =>
  (err: unknown): never => {
    throw aboutPhoto(err, photo);
  };

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
