/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The privacy officer's contact shown by « Confidentialité » (set by whoever deploys the app). */
  readonly VITE_PRIVACY_CONTACT?: string;
}
