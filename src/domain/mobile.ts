// Mobile numbers: whatever a person types ("09876543210", "+91 98765 43210") becomes E.164, and
// only mobile numbers of the allowed regions pass. The full ("max") metadata tells a number's type;
// the smaller default metadata only tells whether it could be valid.
import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';

/** Types that can receive an SMS: a mobile, or a number the plan cannot tell from one. */
const SMS_TYPES: ReadonlySet<NumberType> = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

export type MobileCheck =
  | { mobile: string }
  /** not a phone number at all / a number that is not a mobile (landline, toll-free, premium rate…) / outside the allowed regions */
  | { refused: 'invalid' | 'not-mobile' | 'region' };

/** E.164 form of `input` if it is a mobile number of one of `allowedRegions`; else why not. */
export function checkMobile(input: string, defaultRegion: CountryCode, allowedRegions: readonly CountryCode[]): MobileCheck {
  // Phone numbers never need more; longer input is hostile or a mistake.
  if (input.length > 32) return { refused: 'invalid' };
  const phone = parsePhoneNumberFromString(input, defaultRegion);
  if (!phone || !phone.isValid()) return { refused: 'invalid' };
  // Non-geographic numbers (satellite +881, international premium rate +979) have no region.
  if (!phone.country || !allowedRegions.includes(phone.country)) return { refused: 'region' };
  const type = phone.getType();
  if (!type || !SMS_TYPES.has(type)) return { refused: 'not-mobile' };
  return { mobile: phone.number };
}
