import type {
  BANK_SUBMISSION_LIMITS,
  CANNED_ANSWER_LIMITS,
  FACT_SHEET_LIMITS,
  LIBRARY_EDIT_LIMITS,
  ESCALATION_LIMITS,
  MESSAGE_LIMITS,
  PASSWORD_MIN_LENGTH,
  PHONE_PATTERN,
} from '@phytodiag/api/contract';

// The web imports the contract as types only (its runtime would pull TypeBox into the bundle), so
// the API's limits are restated here. Typed as the contract's literal values: tsc fails the day
// the API changes one of them.
export const ESCALATION_PHOTO_MAX: (typeof ESCALATION_LIMITS)['maxPhotos'] = 5;
export const MESSAGE_PHOTO_MAX: (typeof MESSAGE_LIMITS)['maxPhotos'] = 5;
/** Days after its closing during which the requester's message reopens a case. */
export const REOPEN_DAYS: (typeof MESSAGE_LIMITS)['reopenDays'] = 30;
/** The API's shortest acceptable password (its other rules are checked there). */
export const PASSWORD_MIN: typeof PASSWORD_MIN_LENGTH = 10;
export const BANK_PHOTO_MAX: (typeof BANK_SUBMISSION_LIMITS)['maxPhotos'] = 20;
/** The library editor's fields (LibraryEntryEditBody, FactSheetContent). */
export const ENTRY_LIMITS: typeof LIBRARY_EDIT_LIMITS = {
  name: 200,
  crop: 100,
  scientificName: 200,
  lookAlikes: 10,
};
export const SHEET_TEXT_MAX: (typeof FACT_SHEET_LIMITS)['text'] = 3000;
/** A canned answer's title, and its message and recommendations. */
export const CANNED_LIMITS: typeof CANNED_ANSWER_LIMITS = { title: 120, text: 5000 };

/** A call-back number, as the API's PhoneNumber schema checks it. */
export const PHONE_NUMBER = new RegExp(
  '^\\+?[0-9 ().-]{7,30}( *([pP]oste|[eE]xt\\.?|[xX]|#) *[0-9]{1,6})?$' satisfies typeof PHONE_PATTERN,
);
/** The API's PhoneNumber maxLength. */
export const PHONE_MAX_LENGTH = 45;
