import { ERROR_CODES, type ErrorCode } from './contract/error-codes';
import type { Language } from './contract/common';

export type { ErrorCode };

type Params = Record<string, string | number>;
type Messages = Record<Language, string>;

/** Human messages per code; `{name}` placeholders are filled from AppError params. */
const MESSAGES: Record<ErrorCode, Messages> = {
  VALIDATION_ERROR: {
    fr: 'La requête contient des données invalides.',
    en: 'The request contains invalid data.',
  },
  INVALID_JSON: { fr: 'Le corps JSON est mal formé.', en: 'The JSON body is malformed.' },
  BAD_REQUEST: { fr: 'Requête invalide.', en: 'Bad request.' },
  UNAUTHENTICATED: {
    fr: 'Vous devez vous connecter.',
    en: 'You must sign in.',
  },
  INVALID_CREDENTIALS: {
    fr: 'Courriel ou mot de passe incorrect.',
    en: 'Incorrect email or password.',
  },
  FORBIDDEN: {
    fr: "Vous n'avez pas les droits pour cette action.",
    en: 'You are not allowed to do this.',
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
  METHOD_NOT_ALLOWED: { fr: 'Méthode non permise.', en: 'Method not allowed.' },
  EMAIL_TAKEN: {
    fr: 'Un compte existe déjà avec ce courriel.',
    en: 'An account already exists with this email.',
  },
  INVALID_STATUS_TRANSITION: {
    fr: 'Ce dossier ne peut pas passer de « {from} » à « {to} ».',
    en: 'This case cannot go from "{from}" to "{to}".',
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
    fr: 'Au plus {max} photos par dossier.',
    en: 'At most {max} photos per case.',
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
    fr: 'Trop de requêtes. Réessayez dans un moment.',
    en: 'Too many requests. Try again shortly.',
  },
  INTERNAL: {
    fr: 'Erreur interne du serveur.',
    en: 'Internal server error.',
  },
  SERVICE_UNAVAILABLE: {
    fr: 'Service temporairement indisponible.',
    en: 'Service temporarily unavailable.',
  },
};

/** The one error type thrown by services and routes; the error handler renders it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly params: Params;
  readonly details?: { path: string; message: string }[];

  constructor(
    code: ErrorCode,
    status: number = ERROR_CODES[code],
    params: Params = {},
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

export function errorMessage(code: ErrorCode, lang: Language, params: Params = {}): string {
  return MESSAGES[code][lang].replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
