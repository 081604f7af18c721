// Policy parameters in force (GET /policy) and new effective-dated versions (POST /policy/versions, admin).
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { isUniqueViolation } from '../../../../repositories/errors';
import { PolicyRepository } from '../../../../repositories/policy.repository';
import { isRegionCode } from '../../../../workflows/domain/region';
import { Access, CurrentUser, type AuthUser } from '../auth/auth';
import { conflict } from '../common/api-error';
import { ApiZodBody, ApiZodQuery, ZodPipe } from '../common/zod';

const period = z.strictObject({
  unit: z.enum(['SECONDS', 'DAYS', 'WORKING_DAYS', 'MONTHS', 'YEARS']),
  amount: z.number().int().min(0).max(100_000),
});
const fen = z.number().int().min(0).max(100_000_000);
/** R10.3 sampling rates: one number (both kinds, as older versions) or one per kind of claim. */
const percent = z.number().int().min(0).max(100);

/** R9 a value per procurement method, each optional. */
function perMethod<T extends z.ZodType>(value: T) {
  return z.strictObject({ OPEN_TENDER: value, COMPETITIVE_NEGOTIATION: value, COMPETITIVE_CONSULTATION: value }).partial();
}

/** Every field optional: a version overrides only what it names (province → city → county). */
export const policyParametersSchema = z.strictObject({
  filing: z.strictObject({ reviewPeriod: period, amendmentPeriod: period, escalatedReviewPeriod: period }).partial().optional(),
  qualification: z
    .strictObject({ validity: period, expiryReminderLead: period.extend({ unit: z.enum(['SECONDS', 'DAYS']) }) })
    .partial()
    .optional(),
  subsidy: z
    .strictObject({
      enterpriseEmployeeFen: fen,
      workerCapFen: fen,
      poorLabourerDailyFen: fen,
      certificateFen: z
        .strictObject({
          SPECIAL: fen.nullable(),
          '5': fen.nullable(),
          '4': fen.nullable(),
          '3': fen.nullable(),
          '2': fen.nullable(),
          '1': fen.nullable(),
        })
        .partial(),
      certificateEarliestDate: z.iso.date(),
    })
    .partial()
    .optional(),
  eligibility: z
    .strictObject({
      maxTrainingsPerYear: z.number().int().min(0).max(100),
      maxTrainingsLifetime: z.number().int().min(1).max(1000).nullable(),
      excludePublicEstablishmentStaff: z.boolean(),
      minAttendancePercent: z.number().int().min(0).max(100),
      attendanceRuleEnabled: z.boolean(),
    })
    .partial()
    .optional(),
  claim: z
    .strictObject({
      reviewPeriod: period,
      postingEnabled: z.boolean(),
      postingPeriod: period,
      fundsRecheckInterval: period,
      commitmentRegime: z
        .strictObject({
          qualificationRoutes: z.array(z.enum(['FILING', 'TENDER'])).max(2),
          commissionedProjects: z.boolean(),
          categories: z.array(z.enum(['ENTERPRISE_EMPLOYEE', 'WORKER', 'POOR_LABOURER', 'CERTIFICATE'])).max(4),
        })
        .partial(),
    })
    .partial()
    .optional(),
  postAudit: z
    .strictObject({
      sampleRatePercent: z.union([percent, z.strictObject({ COMMITMENT: percent, FULL_REVIEW: percent }).partial()]),
      inspectorsPerTeam: z.number().int().min(2).max(10),
      inspectionPeriod: period,
      // R10.3 rotation: the teams of the institution's last N sampled claims, and of those within a period (SECONDS or DAYS)
      rotationLookback: z
        .strictObject({
          claims: z.number().int().min(0).max(100),
          period: z.strictObject({ unit: z.enum(['SECONDS', 'DAYS']), amount: z.number().int().min(0).max(100_000) }).nullable(),
        })
        .partial(),
    })
    .partial()
    .optional(),
  catalogue: z
    .strictObject({
      annualPublication: z.strictObject({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(28) }),
      amendmentDelaySeconds: z.number().int().min(0).max(3600),
    })
    .partial()
    .optional(),
  anomalies: z
    .strictObject({
      sharedPhoneThreshold: z.number().int().min(2).max(2000),
      maxClassSize: z.number().int().min(1).max(2000).nullable(),
    })
    .partial()
    .optional(),
  procurement: z
    .strictObject({
      tenderAnnouncement: period,
      minResponsePeriod: perMethod(period),
      minDocumentsPeriod: perMethod(period.nullable()),
      clarificationLead: perMethod(period),
      minValidBids: z.number().int().min(1).max(10),
      consultationServicesMinSuppliers: z.number().int().min(1).max(10),
      committee: z
        .strictObject({
          openTenderMinMembers: z.number().int().min(3).max(21),
          largeProjectMinMembers: z.number().int().min(3).max(21),
          largeProjectFen: z.number().int().min(0),
          otherMinMembers: z.number().int().min(3).max(21),
          otherAtThresholdMinMembers: z.number().int().min(3).max(21),
          openTenderThresholdFen: z.number().int().min(0),
          expertShare: z.strictObject({ numerator: z.number().int().min(0), denominator: z.number().int().min(1) }),
          relationshipLookback: period,
        })
        .partial(),
      priceWeightPercent: perMethod(z.strictObject({ min: percent, max: percent })),
      smeDeductionPercent: percent,
      majorIllegalLookback: period,
      serviceYears: z.strictObject({ standard: z.number().int().min(1).max(10), extended: z.number().int().min(1).max(10) }).partial(),
      periods: z
        .strictObject({
          inquiryAnswer: period,
          challengeWindow: period,
          challengeAnswer: period,
          complaintWindow: period,
          complaintDecision: period,
          maxSuspension: period.extend({ unit: z.enum(['DAYS']) }),
          evaluationReport: period,
          winnerChoice: period,
          awardAnnouncement: period,
          resultAnnouncement: period,
          contractSigning: period,
          contractPublication: period,
        })
        .partial(),
    })
    .partial()
    .optional(),
});

const newVersion = z.strictObject({
  regionCode: z.string().refine(isRegionCode, 'a GB/T 2260 region code'),
  effectiveFrom: z.iso.datetime({ offset: true }),
  parameters: policyParametersSchema,
  note: z.string().trim().min(1).max(2000),
});
const inForceQuery = z.strictObject({
  region: z.string().refine(isRegionCode, 'a region code').optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

@ApiTags('policy 政策参数')
@ApiBearerAuth()
@Controller('policy')
export class PolicyController {
  constructor(private readonly policies: PolicyRepository) {}

  @Get()
  @ApiOperation({ summary: 'Parameters in force for a region at a time, and the versions they come from' })
  @ApiZodQuery(inForceQuery)
  async inForce(@CurrentUser() user: AuthUser, @Query(new ZodPipe(inForceQuery)) q: z.infer<typeof inForceQuery>) {
    const region = q.region ?? user.regionCode;
    const at = q.at ? new Date(q.at) : new Date();
    return { regionCode: region, at: at.toISOString(), ...(await this.policies.inForce(region, at)) };
  }

  @Post('versions')
  @Access('policy.write')
  @ApiOperation({ summary: 'Add a policy version for a region, effective from a date (admin)' })
  @ApiZodBody(newVersion)
  async addVersion(@CurrentUser() user: AuthUser, @Body(new ZodPipe(newVersion)) body: z.infer<typeof newVersion>) {
    try {
      return await this.policies.addVersion({
        regionCode: body.regionCode,
        effectiveFrom: new Date(body.effectiveFrom),
        parameters: body.parameters,
        note: body.note,
        createdBy: user.userId,
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict('POLICY_VERSION_RACE', 'Another version was added at the same time; retry.', '另一版本同时被添加，请重试。');
      throw err;
    }
  }
}
