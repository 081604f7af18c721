// The certificate levels a roster may give (workflows/domain/roster.ts) are exactly the Enrolment.certificateLevel
// enum of the schema, each read back as the roster wrote it.
import { CertificateLevel } from '../../generated/prisma/enums';
import { CERTIFICATE_LEVEL_OF, certificateLevelOf } from '../../repositories/certificate-level';

describe('Enrolment.certificateLevel', () => {
  it('has one enum value per certificate level, read back as the roster writes it', () => {
    expect(Object.keys(CERTIFICATE_LEVEL_OF).sort()).toEqual(Object.values(CertificateLevel).sort());
    expect(Object.values(CERTIFICATE_LEVEL_OF).sort()).toEqual(['1', '2', '3', '4', '5', 'SPECIAL']);
    expect(certificateLevelOf(CertificateLevel.LEVEL_5)).toBe('5');
    expect(certificateLevelOf(null)).toBeNull();
  });
});
