// A certificate's level as the code and the API write it ('SPECIAL', '5' … '1') and as the Prisma client names
// the CertificateLevel enum's values (the column stores the former; the client cannot name a value '5').
import type { CertificateLevel as StoredCertificateLevel } from '../generated/prisma/enums';
import type { CertificateLevel } from '../workflows/domain/roster';

export const CERTIFICATE_LEVEL_OF = {
  SPECIAL: 'SPECIAL',
  LEVEL_5: '5',
  LEVEL_4: '4',
  LEVEL_3: '3',
  LEVEL_2: '2',
  LEVEL_1: '1',
} as const satisfies Record<StoredCertificateLevel, CertificateLevel>;

/** The level of an enrolment read through the client, as the roster and the API write it. */
export function certificateLevelOf(stored: StoredCertificateLevel | null): CertificateLevel | null {
  return stored === null ? null : CERTIFICATE_LEVEL_OF[stored];
}
