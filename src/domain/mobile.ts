// Mobile numbers: whatever a person types ("09876543210", "+91 98765 43210") becomes E.164.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** E.164 form of a mobile number, or null when it is not a valid number. */
export function normaliseMobile(input: string, defaultRegion: CountryCode): string | null {
  // Phone numbers never need more; longer input is hostile or a mistake.
  if (input.length > 32) return null;
  const phone = parsePhoneNumberFromString(input, defaultRegion);
  if (!phone || !phone.isValid()) return null;
  return phone.number;
}
