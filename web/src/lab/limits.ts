// Mirrors of the API limits (MESSAGE_LIMITS, BANK_SUBMISSION_LIMITS in the contract). The web
// imports the contract as types only, so the numbers are restated here and checked in a test.
export const MESSAGE_PHOTO_MAX = 5;
export const BANK_PHOTO_MAX = 20;
