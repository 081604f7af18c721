// Anomaly rules (issue 10 item 1): what each rule counts as an anomaly. They only propose a case for an
// inspector (个人信息保护法 art. 24); these tests pin down what they see and what they leave alone.
import {
  allowanceDays,
  capacityBreaches,
  certificateDateProblem,
  certificateDates,
  datesOverlap,
  maskPhone,
  overCapacity,
  overlappingClasses,
  phoneDigits,
  repeatedTraining,
  sharedPhones,
  type CapacityFacts,
  type EarlierTrainingLine,
  type OtherEnrolment,
} from '../../workflows/domain/anomaly-rules';
import { DEFAULT_POLICY, anomalyParametersOf } from '../../workflows/domain/policy';
import { rosterFromJson, validateRoster } from '../../workflows/domain/roster';
import { personName, residentId } from '../fixtures/people';

describe(datesOverlap.name, () => {
  it.each([
    ['the same dates', ['2026-03-01', '2026-03-05'], ['2026-03-01', '2026-03-05'], true],
    ['one shared last/first day (both ends count)', ['2026-03-01', '2026-03-05'], ['2026-03-05', '2026-03-09'], true],
    ['one inside the other', ['2026-03-01', '2026-03-31'], ['2026-03-10', '2026-03-11'], true],
    ['back to back', ['2026-03-01', '2026-03-05'], ['2026-03-06', '2026-03-09'], false],
    ['before', ['2026-03-10', '2026-03-12'], ['2026-03-01', '2026-03-09'], false],
  ])('R5.1 %s', (_, [s1, e1], [s2, e2], expected) => {
    expect(datesOverlap({ startDate: s1, endDate: e1 }, { startDate: s2, endDate: e2 })).toBe(expected);
    expect(datesOverlap({ startDate: s2, endDate: e2 }, { startDate: s1, endDate: e1 })).toBe(expected);
  });
});

describe(overlappingClasses.name, () => {
  const cls = { classId: 'c1', startDate: '2026-03-01', endDate: '2026-03-05' };
  const other = (o: Partial<OtherEnrolment>): OtherEnrolment => ({
    enrolmentId: 'e1',
    traineeId: 't1',
    otherEnrolmentId: 'o1',
    otherClassId: 'c2',
    otherInstitutionId: 'i2',
    otherStartDate: '2026-03-04',
    otherEndDate: '2026-03-08',
    ...o,
  });

  it('R5.1 one finding per overlapping class, naming everyone in both, the pair in either order as one subject', () => {
    const found = overlappingClasses(cls, [
      other({}),
      other({ enrolmentId: 'e2', traineeId: 't2', otherEnrolmentId: 'o2' }),
      other({ otherClassId: 'c3', otherEnrolmentId: 'o3', otherStartDate: '2026-02-01', otherEndDate: '2026-02-28' }), // before: none
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'OVERLAPPING_CLASSES', subject: 'c1+c2', matched: ['e1', 'o1', 'e2', 'o2'] });
    expect(found[0].seen).toMatchObject({
      otherClassId: 'c2',
      otherInstitutionId: 'i2',
      people: [{ traineeId: 't1' }, { traineeId: 't2' }],
    });
    const fromTheOtherSide = overlappingClasses({ classId: 'c2', startDate: '2026-03-04', endDate: '2026-03-08' }, [
      other({ otherClassId: 'c1', otherStartDate: cls.startDate, otherEndDate: cls.endDate }),
    ]);
    expect(fromTheOtherSide[0].subject).toBe('c1+c2');
  });

  it('R5.1 classes on separate dates propose nothing', () => {
    expect(overlappingClasses(cls, [other({ otherStartDate: '2026-03-06', otherEndDate: '2026-03-09' })])).toEqual([]);
  });
});

describe(repeatedTraining.name, () => {
  const claim = { claimId: 'k1', classId: 'c1', occupationCode: '4-10-01-06', level: 5 };
  const line = (o: Partial<EarlierTrainingLine>): EarlierTrainingLine => ({
    lineId: 'l1',
    traineeId: 't1',
    otherLineId: 'ol1',
    otherClaimId: 'k2',
    otherClassId: 'c2',
    otherInstitutionId: 'i2',
    otherRegionCode: '140900',
    otherOccupationCode: '4-10-01-06',
    otherLevel: 5,
    otherLineStatus: 'APPROVED',
    ...o,
  });

  it('R5.2 the same person, occupation and level on another claim anywhere in the province', () => {
    const found = repeatedTraining(claim, [line({})]);
    expect(found).toEqual([expect.objectContaining({ rule: 'REPEATED_TRAINING', subject: 'k1+k2', matched: ['l1', 'ol1'] })]);
    expect(found[0].seen).toMatchObject({ otherClaimId: 'k2', otherRegionCode: '140900', occupationCode: '4-10-01-06', level: 5 });
  });

  it.each([
    ['another level', { otherLevel: 4 }],
    ['another occupation', { otherOccupationCode: '4-10-01-05' }],
    ['a line a reviewer rejected', { otherLineStatus: 'REJECTED' }],
    ['another claim for the same class', { otherClassId: 'c1' }],
  ])('R5.2 %s is not a repeat', (_, o) => {
    expect(repeatedTraining(claim, [line(o)])).toEqual([]);
  });
});

describe(certificateDateProblem.name, () => {
  const c = (certificateDate: string | null, firstClaimedOn: string | null = null) => ({
    enrolmentId: 'e1',
    traineeId: 't1',
    certificateDate,
    firstClaimedOn,
  });
  it.each([
    ['before the class began', c('2026-02-28'), 'BEFORE_CLASS'],
    ['on the first day of the class', c('2026-03-01'), null],
    ['after the class, not claimed yet', c('2026-04-01'), null],
    ['on the day it was claimed', c('2026-04-01', '2026-04-01'), null],
    ['after a claim line was made for it', c('2026-04-02', '2026-04-01'), 'AFTER_CLAIM'],
    ['no certificate', c(null), null],
  ])('R4.4 a certificate dated %s', (_, facts, expected) => {
    expect(certificateDateProblem('2026-03-01', facts)).toBe(expected);
  });

  it('R4.4 one finding per class, listing each certificate with its problem', () => {
    const found = certificateDates({ classId: 'c1', startDate: '2026-03-01' }, [
      c('2026-02-28'),
      { ...c('2026-03-02'), enrolmentId: 'e2' },
      { ...c('2026-04-02', '2026-04-01'), enrolmentId: 'e3' },
    ]);
    expect(found).toEqual([expect.objectContaining({ rule: 'CERTIFICATE_DATE', subject: 'c1', matched: ['e1', 'e3'] })]);
    expect((found[0].seen.people as { problem: string }[]).map((p) => p.problem)).toEqual(['BEFORE_CLASS', 'AFTER_CLAIM']);
  });
});

describe(allowanceDays.name, () => {
  const cls = { classId: 'c1', trainingDays: 5 };
  it.each([
    ['days attended within the training days', 5, 5, false],
    ['days attended above the training days', 6, 0, true],
    ['allowance days granted above the training days', 5, 6, true],
    ['nothing recorded', null, 0, false],
  ])('R4.3 %s', (_, daysAttended, granted, anomalous) => {
    const found = allowanceDays(cls, [{ enrolmentId: 'e1', traineeId: 't1', daysAttended, allowanceDays: granted }]);
    expect(found.length).toBe(anomalous ? 1 : 0);
    if (anomalous) expect(found[0]).toMatchObject({ rule: 'ALLOWANCE_DAYS', subject: 'c1', seen: { trainingDays: 5 } });
  });
});

describe(capacityBreaches.name, () => {
  const facts = (o: Partial<CapacityFacts>): CapacityFacts => ({
    classId: 'c1',
    enrolled: 30,
    filedCapacity: 120,
    peakConcurrent: 30,
    lotCapacity: null,
    lotEnrolled: 0,
    ...o,
  });
  it.each([
    ['within every limit', facts({}), { maxClassSize: 30 }, []],
    ['no class size cap set (the default)', facts({ enrolled: 500 }), { maxClassSize: null }, []],
    ['over the class size cap (R10.4)', facts({ enrolled: 31 }), { maxClassSize: 30 }, [{ limit: 'CLASS_SIZE', allowed: 30, counted: 31 }]],
    [
      'more at a time than the filed capacity (R2.1)',
      facts({ peakConcurrent: 121 }),
      { maxClassSize: null },
      [{ limit: 'FILED_CAPACITY', allowed: 120, counted: 121 }],
    ],
    [
      'more than the procured lot buys (R2.4)',
      facts({ filedCapacity: null, lotCapacity: 40, lotEnrolled: 41 }),
      { maxClassSize: null },
      [{ limit: 'LOT_CAPACITY', allowed: 40, counted: 41 }],
    ],
  ])('%s', (_, f, p, expected) => {
    expect(capacityBreaches(f, p)).toEqual(expected);
  });

  it('one finding per limit broken; the same count over the same limit is the same anomaly', () => {
    const a = overCapacity(facts({ enrolled: 31, peakConcurrent: 121 }), { maxClassSize: 30 });
    expect(a.map((f) => f.subject)).toEqual(['c1:CLASS_SIZE', 'c1:FILED_CAPACITY']);
    expect(overCapacity(facts({ enrolled: 31 }), { maxClassSize: 30 })).toEqual([a[0]]);
  });
});

describe(sharedPhones.name, () => {
  const K = anomalyParametersOf(DEFAULT_POLICY).sharedPhoneThreshold;
  const rows = (phones: string[]) => phones.map((phone, i) => ({ enrolmentId: `e${i}`, traineeId: `t${i}`, phone }));

  it('the default threshold K is a policy parameter (3)', () => {
    expect(K).toBe(3);
    expect(anomalyParametersOf({ ...DEFAULT_POLICY, anomalies: undefined })).toEqual({ sharedPhoneThreshold: 3, maxClassSize: null });
  });

  it('K trainees of one class sharing a number propose a case, the number masked', () => {
    const found = sharedPhones({ classId: 'c1' }, rows(['13800001234', '13800001234', '13800001234', '13900005678']), {
      sharedPhoneThreshold: K,
    });
    expect(found).toEqual([expect.objectContaining({ rule: 'SHARED_PHONE', subject: 'c1', matched: ['e0', 'e1', 'e2'] })]);
    expect(found[0].seen.phone).toBe('*******1234');
    expect(JSON.stringify(found)).not.toContain('13800001234');
  });

  it('fewer than K sharing is not an anomaly; a bureau may lower K', () => {
    const two = rows(['13800001234', '13800001234']);
    expect(sharedPhones({ classId: 'c1' }, two, { sharedPhoneThreshold: K })).toEqual([]);
    expect(sharedPhones({ classId: 'c1' }, two, { sharedPhoneThreshold: 2 })).toHaveLength(1);
  });
});

describe(phoneDigits.name, () => {
  it.each([
    ['138 0000 1234', '13800001234'],
    ['+86 138-0000-1234', '13800001234'],
    ['0351-5551234', '03515551234'],
    ['(0351)5551234', '03515551234'],
    ['12345', undefined],
    ['abc', undefined],
  ])('%s', (raw, expected) => {
    expect(phoneDigits(raw)).toBe(expected);
  });
  it('masks all but the last four digits', () => {
    expect(maskPhone('03515551234')).toBe('*******1234');
  });
});

describe('the roster phone column (for rule (f) only)', () => {
  const row = (phone: unknown) => rosterFromJson([{ name: personName(1), residentId: residentId(1), 手机号: phone }]).records;
  it('is read under its Chinese header and stored as digits', () => {
    expect(validateRoster(row('138 0000 1234'), '2026-11-28').rows[0].phone).toBe('13800001234');
  });
  it('a cell that is not a phone number is a row error that does not repeat the number', () => {
    const { rows, errors } = validateRoster(row('12345'), '2026-11-28');
    expect(rows).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ row: 1, field: 'phone' })]);
    expect(JSON.stringify(errors)).not.toContain('12345');
    expect(errors[0].problemZh).toMatch(/手机号码/);
  });
});
