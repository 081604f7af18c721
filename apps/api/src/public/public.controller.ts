// Public pages (no token, API.md /public/*): the posted lists of subsidised trainees (R10.2, ID numbers
// masked) and objections to them, rate-limited per source.
import { Body, Controller, Get, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Db } from '../../../../prisma/client';
import { claimWorkflowId, objectionFiledSignal } from '../../../../workflows/contracts/claim';
import { fenNumber } from '../../../../workflows/domain/ledger';
import { maskResidentId } from '../../../../workflows/domain/resident-id';
import { Public } from '../auth/auth';
import { ApiError, conflict, notFound } from '../common/api-error';
import { ApiZodBody, ZodPipe } from '../common/zod';
import { objectionSchema } from '../claims/claim.dto';
import { DB, TEMPORAL } from '../infra/infra.module';

const OBJECTIONS_PER_HOUR = 5;

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
    @Inject(DB) private readonly db: Db,
    @Inject(TEMPORAL) private readonly temporal: Client,
  ) {}

  @Get('postings')
  @ApiOperation({ summary: 'Claims currently posted for objections (公示, R10.2)' })
  async postings() {
    const claims = await this.db.claim.findMany({ where: { status: { in: ['POSTED', 'HELD'] } }, include: { class: true }, orderBy: { createdAt: 'asc' }, take: 200 });
    return { items: claims.map((c) => ({ claimId: c.id, category: c.category, occupationCode: c.class.occupationCode, level: c.class.level, regionCode: c.regionCode, postingEndsAt: c.postingEndsAt, status: c.status })) };
  }

  @Get('postings/:claimId')
  @ApiOperation({ summary: 'The posted list of one claim: names and ID numbers masked' })
  async posting(@Param('claimId') claimId: string) {
    const claim = await this.postedClaim(claimId);
    const lines = await this.db.claimLine.findMany({ where: { claimId: claim.id, status: 'APPROVED' }, orderBy: { id: 'asc' } });
    const people = await this.db.trainee.findMany({ where: { id: { in: lines.map((l) => l.traineeId) } } });
    const byId = new Map(people.map((p) => [p.id, p]));
    return {
      claimId: claim.id,
      postingEndsAt: claim.postingEndsAt,
      lines: lines.map((l) => ({ lineId: l.id, name: maskName(byId.get(l.traineeId)!.name), residentId: maskResidentId(byId.get(l.traineeId)!.residentId), amountFen: fenNumber(l.amountFen), override: publicOverride(l.override) })),
    };
  }

  @Post('claims/:claimId/objections')
  @ApiOperation({ summary: 'Object to a posted claim (anyone; a few per hour per source); holds the claim' })
  @ApiZodBody(objectionSchema)
  async object(@Param('claimId') claimId: string, @Body(new ZodPipe(objectionSchema)) body: { text: string; contact?: string }, @Req() req: Request) {
    const claim = await this.postedClaim(claimId);
    const sourceHash = createHash('sha256').update(req.ip ?? 'unknown').digest('hex');
    const recent = await this.db.objection.count({ where: { sourceHash, createdAt: { gte: new Date(Date.now() - 3600_000) } } });
    if (recent >= OBJECTIONS_PER_HOUR) {
      throw new ApiError(429, 'TOO_MANY_OBJECTIONS', `At most ${OBJECTIONS_PER_HOUR} objections an hour from one source.`, `同一来源每小时最多提出 ${OBJECTIONS_PER_HOUR} 次异议。`);
    }
    const objection = await this.db.objection.create({ data: { claimId: claim.id, text: body.text, contact: body.contact, sourceHash } });
    await this.temporal.workflow.getHandle(claimWorkflowId(claim.id)).signal(objectionFiledSignal, { objectionId: objection.id });
    return { objectionId: objection.id, status: 'RECEIVED', message: 'The objection was received; the claim is held until it is resolved.', messageZh: '异议已受理，该申请暂停办理，待异议处理完毕。' };
  }

  private async postedClaim(claimId: string) {
    const claim = /^[0-9a-f-]{36}$/i.test(claimId) ? await this.db.claim.findUnique({ where: { id: claimId } }) : null;
    if (!claim) throw notFound('Posting', '公示');
    if (claim.status !== 'POSTED' && claim.status !== 'HELD') throw conflict('NOT_POSTED', 'This claim is not being posted now.', '该申请当前不在公示期。');
    return claim;
  }
}
