// Public pages (no token, API.md /public/*): the posted lists of subsidised trainees (R10.2, ID numbers
// masked) and objections to them, rate-limited per source, each answered and readable by its filer; the
// results of post-audit inspections (R10.3), without personal data (R7.9).
import { Body, Controller, Get, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import { ClaimRepository } from '../../../../repositories/claim.repository';
import { claimWorkflowId, objectionFiledSignal } from '../../../../workflows/contracts/claim';
import { fenNumber } from '../../../../workflows/domain/ledger-rules';
import { isRegionCode } from '../../../../workflows/domain/region';
import { maskResidentId } from '../../../../workflows/domain/resident-id';
import { Public } from '../auth/auth';
import { ApiError, conflict, notFound } from '../common/api-error';
import { decodeCursor, encodeCursor, pageQuery } from '../common/pagination';
import { ApiZodBody, ApiZodQuery, ZodPipe } from '../common/zod';
import { UuidPipe } from '../common/uuid';
import { objectionSchema } from '../claims/claim.dto';
import { TEMPORAL } from '../infra/infra.module';

const OBJECTIONS_PER_HOUR = 5;

const postingsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['POSTED', 'HELD', 'AWAITING_FUNDS', 'PAID', 'REJECTED']).optional(),
  region: z.string().refine(isRegionCode, 'a region code').optional(),
});
type PostingsQuery = z.infer<typeof postingsQuery>;
const inspectionsQuery = z.strictObject({ ...pageQuery, region: z.string().refine(isRegionCode, 'a region code').optional() });
type InspectionsQuery = z.infer<typeof inspectionsQuery>;

function newestFirstPage<T extends { id: string }, R>(rows: T[], limit: number, at: (row: T) => Date, map: (row: T) => R) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(at(last), last.id) : null };
}

/** 王芳 → 王*; 欧阳修远 → 欧***: enough for a neighbour to recognise, not to harvest. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** A reviewer's approval over a rule, as the public sees it on the posting (R10.1, R4.2): rule, basis, evidence. */
function publicOverride(o: unknown): { rules: string[]; reason: string | null; evidence: string | null } | null {
  if (!o || typeof o !== 'object') return null;
  const { rules, reason, evidence } = o as { rules: string[]; reason: string | null; evidence: string | null };
  return { rules, reason, evidence };
}

@ApiTags('public 公开')
@Public()
@Controller('public')
export class PublicController {
  constructor(
    private readonly claims: ClaimRepository,
    @Inject(TEMPORAL) private readonly temporal: Client,
  ) {}

  @Get('postings')
  @ApiOperation({
    summary: 'Every claim ever posted for objections (公示, R10.2), newest first, paginated; `status=POSTED` for those open now',
  })
  @ApiZodQuery(postingsQuery)
  async postings(@Query(new ZodPipe(postingsQuery)) q: PostingsQuery) {
    const rows = await this.claims.postedClaims({
      status: q.status,
      regionCode: q.region,
      before: decodeCursor(q.cursor),
      take: q.limit + 1,
    });
    const counts = await this.claims.objectionCounts(rows.map((r) => r.id));
    const objections = (claimId: string) => {
      const mine = counts.filter((c) => c.claimId === claimId);
      return { filed: mine.reduce((n, c) => n + c._count._all, 0), open: mine.find((c) => c.status === 'OPEN')?._count._all ?? 0 };
    };
    return newestFirstPage(
      rows,
      q.limit,
      (c) => c.postingEndsAt!,
      (c) => ({
        claimId: c.id,
        category: c.category,
        occupationCode: c.class.occupationCode,
        level: c.class.level,
        regionCode: c.regionCode,
        postingEndsAt: c.postingEndsAt,
        open: c.status === 'POSTED' || (c.status === 'HELD' && c.postingEndsAt!.getTime() > Date.now()),
        status: c.status,
        objections: objections(c.id),
      }),
    );
  }

  @Get('objections/:objectionId')
  @ApiOperation({ summary: 'The answer to an objection (R10.2): OPEN, UPHELD, DISMISSED or LATE (refused: after the posting period)' })
  async objection(@Param('objectionId', new UuidPipe('Objection', '异议')) objectionId: string) {
    const o = await this.claims.objection(objectionId);
    if (!o) throw notFound('Objection', '异议');
    // The filer's contact and source are never shown; the answer and the number of lines taken out are.
    return {
      objectionId: o.id,
      claimId: o.claimId,
      status: o.status,
      filedAt: o.createdAt,
      answer: o.resolution,
      answeredAt: o.resolvedAt,
      linesNamed: o.lineIds.length,
      linesUpheld: o.upheldLineIds.length,
    };
  }

  @Get('inspections')
  @ApiOperation({
    summary: 'Results of post-audit inspections (R10.3), newest first: institution, training, outcome; no personal data (R7.9)',
  })
  @ApiZodQuery(inspectionsQuery)
  async inspections(@Query(new ZodPipe(inspectionsQuery)) q: InspectionsQuery) {
    const rows = await this.claims.inspectedClaims({ regionCode: q.region, before: decodeCursor(q.cursor), take: q.limit + 1 });
    const institutions = await this.claims.institutionNames(rows.map((r) => r.institutionId));
    const byId = new Map(institutions.map((i) => [i.id, i]));
    return newestFirstPage(
      rows,
      q.limit,
      (c) => c.inspectedAt!,
      (c) => {
        const audit = (c.postAuditDraw ?? {}) as {
          sampled?: boolean;
          ratePercent?: number;
          claimKind?: string;
          widenedTo?: string | null;
          inspectors?: string[];
        };
        return {
          claimId: c.id,
          institution: byId.get(c.institutionId)
            ? { name: byId.get(c.institutionId)!.name, creditCode: byId.get(c.institutionId)!.creditCode }
            : null,
          regionCode: c.regionCode,
          category: c.category,
          occupationCode: c.class.occupationCode,
          level: c.class.level,
          claimKind: audit.claimKind ?? (c.commitment ? 'COMMITMENT' : 'FULL_REVIEW'),
          sampleRatePercent: audit.ratePercent ?? null,
          teamSize: audit.inspectors?.length ?? null,
          outcome: c.inspectionOutcome,
          inspectedAt: c.inspectedAt,
        };
      },
    );
  }

  @Get('postings/:claimId')
  @ApiOperation({ summary: 'The posted list of one claim: names and ID numbers masked' })
  async posting(@Param('claimId', new UuidPipe('Posting', '公示')) claimId: string) {
    const claim = await this.postedClaim(claimId);
    const lines = await this.claims.approvedLines(claim.id);
    return {
      claimId: claim.id,
      postingEndsAt: claim.postingEndsAt,
      lines: lines.map(({ line: l, trainee }) => ({
        lineId: l.id,
        name: maskName(trainee.name),
        residentId: maskResidentId(trainee.residentId),
        amountFen: fenNumber(l.amountFen),
        override: publicOverride(l.override),
      })),
    };
  }

  @Post('claims/:claimId/objections')
  @ApiOperation({
    summary:
      'Object to a posted claim (anyone; a few per hour per source), optionally naming posted lines; each objection is answered on its own. After the posting period it is kept and answered as late (status LATE).',
  })
  @ApiZodBody(objectionSchema)
  async object(
    @Param('claimId', new UuidPipe('Posting', '公示')) claimId: string,
    @Body(new ZodPipe(objectionSchema)) body: { text: string; contact?: string; lineIds?: string[] },
    @Req() req: Request,
  ) {
    const claim = await this.claims.claim(claimId);
    if (!claim) throw notFound('Posting', '公示');
    // A claim never posted has nothing to object to; one whose posting ended gets a recorded late answer.
    if (!claim.postingEndsAt) throw conflict('NOT_POSTED', 'This claim is not being posted now.', '该申请当前不在公示期。');
    const lineIds = [...new Set(body.lineIds ?? [])];
    if (lineIds.length > 0) {
      const posted = await this.claims.countApprovedLines(claim.id, lineIds);
      if (posted !== lineIds.length) {
        throw new ApiError(422, 'UNKNOWN_LINES', 'Name only lines of this posted list.', '只能列明本公示名单中的人员。', [
          { field: 'lineIds', problem: 'not a line of this posted list', problemZh: '不是本公示名单中的人员' },
        ]);
      }
    }
    const sourceHash = createHash('sha256')
      .update(req.ip ?? 'unknown')
      .digest('hex');
    const recent = await this.claims.countObjectionsFrom(sourceHash, new Date(Date.now() - 3600_000));
    if (recent >= OBJECTIONS_PER_HOUR) {
      throw new ApiError(
        429,
        'TOO_MANY_OBJECTIONS',
        `At most ${OBJECTIONS_PER_HOUR} objections an hour from one source.`,
        `同一来源每小时最多提出 ${OBJECTIONS_PER_HOUR} 次异议。`,
      );
    }
    const inPeriod = (claim.status === 'POSTED' || claim.status === 'HELD') && claim.postingEndsAt.getTime() > Date.now();
    if (!inPeriod)
      return this.late(
        await this.claims.fileObjection({ claimId: claim.id, text: body.text, contact: body.contact, sourceHash, lineIds }, true),
      );
    const objection = await this.claims.fileObjection({ claimId: claim.id, text: body.text, contact: body.contact, sourceHash, lineIds });
    try {
      await this.temporal.workflow
        .getHandle(claimWorkflowId(claim.id))
        .signal(objectionFiledSignal, { objectionId: objection.id, lineIds });
    } catch (err) {
      // The claim's workflow finished meanwhile: its posting is over, so the answer is "late", recorded here.
      if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
      return this.late(await this.claims.answerLate(objection.id));
    }
    return {
      objectionId: objection.id,
      status: 'RECEIVED',
      message: 'The objection was received and will be answered; the claim is held until then.',
      messageZh: '异议已受理，将逐件答复；答复前该申请暂停办理。',
    };
  }

  private late(o: { id: string; resolution: string | null }) {
    return {
      objectionId: o.id,
      status: 'LATE',
      answer: o.resolution,
      message: 'The posting period has ended: the objection is recorded and refused as late.',
      messageZh: '公示期已结束：异议已登记，逾期不予受理。',
    };
  }

  private async postedClaim(claimId: string) {
    const claim = await this.claims.claim(claimId);
    if (!claim) throw notFound('Posting', '公示');
    if (claim.status !== 'POSTED' && claim.status !== 'HELD')
      throw conflict('NOT_POSTED', 'This claim is not being posted now.', '该申请当前不在公示期。');
    return claim;
  }
}
