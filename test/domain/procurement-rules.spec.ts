// The procurement workflow's challenge validator (R9.7) as a pure function of the case it keeps.
import { refuseChallengeRequest, type ProcurementCase } from '../../workflows/domain/procurement-rules';

const now = new Date('2026-11-20T10:00:00+08:00');

function caseWithLots(...numbers: number[]): ProcurementCase {
  return {
    state: {
      procurementId: 'p',
      status: 'AWARDED',
      method: 'OPEN_TENDER',
      policyVersionIds: [],
      lots: numbers.map((number) => ({ number, status: 'AWARDED' })),
      seatsToScore: 0,
      openTaskIds: [],
      challengesBlockingSigning: 0,
      clarifications: 0,
      inquiriesOpen: 0,
    },
    criteria: [],
    validBids: {},
    seats: [],
    bids: {},
    challenges: {},
    inquiries: {},
  };
}

describe('refuseChallengeRequest (R9.7)', () => {
  const c = caseWithLots(1, 2);

  it('R9.7 accepts a challenge to a lot of the process, and dates already come', () => {
    expect(refuseChallengeRequest(c, { subject: 'RESULT', lotNumber: 2 }, now)).toBeNull();
    expect(refuseChallengeRequest(c, { subject: 'DOCUMENTS', receivedAt: '2026-11-20T09:59:59+08:00' }, now)).toBeNull();
    expect(refuseChallengeRequest(c, { subject: 'STEP', stepEndedAt: '2026-11-19T16:00:00+08:00' }, now)).toBeNull();
  });

  it('R9.7 refuses a lot the process does not have, and a result challenge naming no lot (422)', () => {
    expect(refuseChallengeRequest(c, { subject: 'RESULT', lotNumber: 3 }, now)).toMatchObject({
      code: 'INVALID_DECISION',
      problems: [{ field: 'lotNumber' }],
    });
    expect(refuseChallengeRequest(c, { subject: 'RESULT' }, now)?.problems?.map((p) => p.field)).toEqual(['lotNumber']);
    expect(refuseChallengeRequest(c, { subject: 'STEP', lotNumber: 9 }, now)?.code).toBe('INVALID_DECISION');
  });

  it('R9.7 refuses a receipt or a step end still to come: it would stretch the 7 working days', () => {
    const refusal = refuseChallengeRequest(
      c,
      { subject: 'DOCUMENTS', receivedAt: '2026-11-20T10:00:01+08:00', stepEndedAt: '2026-11-21T10:00:00+08:00' },
      now,
    );
    expect(refusal?.problems?.map((p) => p.field)).toEqual(['receivedAt', 'stepEndedAt']);
    expect(refusal?.messageZh).toContain('R9.7');
  });
});
