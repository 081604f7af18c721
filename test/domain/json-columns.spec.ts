// JSON columns are parsed with their schema when read (repositories/json.ts): a stored value of another shape
// fails naming its column instead of travelling on under a cast.
import { catalogueDiffOf, filingApplicationOf, postAuditDrawOf } from '../../repositories/json';

const application = {
  institutionName: 'Taiyuan Welding School',
  institutionType: 'VOCATIONAL_COLLEGE',
  creditCode: '91140100MA0K000000',
  regionCode: '140105',
  contact: { name: 'Li', phone: '13800000000' },
  scope: [{ occupationCode: '6-18-02-04', levels: [5, 4] }],
  capacity: 40,
  teachers: { count: 3, summary: 'three certified welders' },
  facilities: 'two workshops',
};

describe('JSON columns read with their schema', () => {
  it('R2.1 a filing application of its shape is read as stored; another shape names its column', () => {
    expect(filingApplicationOf(application)).toEqual(application);
    expect(() => filingApplicationOf({ ...application, institutionType: 'HOSPITAL' })).toThrow(/FilingRevision\.application/);
    expect(() => filingApplicationOf({ ...application, scope: [{ occupationCode: 'x', levels: [6] }] })).toThrow(
      /FilingRevision\.application/,
    );
  });

  it('R10.3 a post-audit column without a draw reads as no draw; a draw of another shape names its column', () => {
    const draw = { drawId: 'd1', method: 'm', value: 3, scale: 10000, ratePercent: 5, claimKind: 'COMMITMENT', sampled: true };
    expect(postAuditDrawOf(null)).toBeNull();
    expect(postAuditDrawOf({ sampled: false, ratePercent: 5 })).toBeNull(); // a review's audit, no random draw
    expect(postAuditDrawOf(draw)).toEqual(draw);
    expect(() => postAuditDrawOf({ ...draw, sampled: 'yes' })).toThrow(/Claim\.postAuditDraw/);
  });

  it('R3 a catalogue diff stored before evaluators were catalogued reads as no evaluator change', () => {
    const none = { added: [], removed: [], changed: [] };
    expect(catalogueDiffOf({ projects: none, institutions: none })).toEqual({ projects: none, institutions: none, evaluators: none });
    expect(() => catalogueDiffOf({ projects: { added: [{ level: 5 }], removed: [], changed: [] }, institutions: none })).toThrow(
      /CatalogueVersion\.diff/,
    );
  });
});
