/** « poste 123 », « ext. 123 », « x123 », « #123 » after the number (the contract's PHONE_PATTERN). */
const EXTENSION = / *(?:[pP]oste|[eE]xt\.?|[xX]|#) *([0-9]{1,6})$/;

/**
 * A `tel:` link for a number as the requester typed it (RFC 3966): the extension goes in `;ext=`,
 * not glued to the number's digits, where a phone would dial a number that does not exist.
 */
export function telHref(phone: string): string {
  const ext = EXTENSION.exec(phone);
  const number = (ext ? phone.slice(0, ext.index) : phone).replace(/[^0-9+]/g, '');
  return `tel:${number}${ext ? `;ext=${ext[1]}` : ''}`;
}
