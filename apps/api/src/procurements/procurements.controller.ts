// Competitive selection over HTTP (API.md: /procurements, R9): procurement officers create and run processes,
// institutions bid, confirm, sign, challenge and complain, evaluators score, the finance department's
// supervisors approve switches of method, decide complaints and record bans.
import { Body, Controller, Get, HttpCode, Param, Post, Query, type PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access, CurrentUser, type AuthUser } from '../auth/auth';
import { ApiError } from '../common/api-error';
import { ApiZodBody, ApiZodQuery, ZodPipe } from '../common/zod';
import { UuidPipe } from '../common/uuid';
import {
  awardChoiceSchema,
  bidSchema,
  challengeAnswerSchema,
  challengeSchema,
  clarificationSchema,
  complaintDecisionSchema,
  complaintSchema,
  contractSchema,
  createProcurementSchema,
  expertSchema,
  failureApprovalSchema,
  failureDecisionSchema,
  listProcurementsQuery,
  relationshipSchema,
  scheduleSchema,
  scoreSchema,
  seatReleaseSchema,
  supplierBanSchema,
  type BidDto,
  type ChallengeDto,
  type CreateProcurementDto,
  type ExpertDto,
  type FailureDecisionDto,
  type ListProcurementsQuery,
  type SupplierBanDto,
} from './procurement.dto';
import { ProcurementsService } from './procurements.service';

const publishSchema = z.strictObject({ schedule: scheduleSchema.optional() });
const ProcurementId = () => new UuidPipe('Procurement', '采购项目');

/** A lot number in the path: 1, 2, … (400 otherwise, 0 and negative numbers included). */
class LotNumberPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9][0-9]{0,5}$/.test(value)) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'The lot number is a positive integer.', '采购包编号须为正整数。', [
        { field: 'lot', problem: 'a positive integer', problemZh: '须为正整数' },
      ]);
    }
    return Number(value);
  }
}
const LotNumber = () => new LotNumberPipe();

@ApiTags('procurements 政府采购')
@ApiBearerAuth()
@Controller('procurements')
export class ProcurementsController {
  constructor(private readonly procurements: ProcurementsService) {}

  @Post()
  @Access('procurement.create')
  @ApiOperation({
    summary: 'Create a procurement process with its lots; the schedule is checked against R9.1/R9.3/R9.4 (422 proposes the earliest)',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiZodBody(createProcurementSchema)
  create(@CurrentUser() user: AuthUser, @Body(new ZodPipe(createProcurementSchema)) body: CreateProcurementDto) {
    return this.procurements.create(user, body);
  }

  @Get()
  @Access('procurement.list')
  @ApiZodQuery(listProcurementsQuery)
  list(@CurrentUser() user: AuthUser, @Query(new ZodPipe(listProcurementsQuery)) query: ListProcurementsQuery) {
    return this.procurements.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A process: lots, events, and what the caller may see of bids, committee and challenges' })
  get(@CurrentUser() user: AuthUser, @Param('id', ProcurementId()) id: string) {
    return this.procurements.get(user, id);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Access('procurement.act')
  @ApiOperation({ summary: 'Publish the notice (R9.1: a tender announcement stays up 5 working days)' })
  @ApiZodBody(publishSchema)
  publish(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Body(new ZodPipe(publishSchema)) body: z.infer<typeof publishSchema>,
  ) {
    return this.procurements.publish(user, id, body.schedule);
  }

  @Post(':id/clarifications')
  @HttpCode(200)
  @Access('procurement.act')
  @ApiOperation({ summary: 'Clarify or change the documents; inside the lead time one that affects bids moves the deadline (R9.1)' })
  @ApiZodBody(clarificationSchema)
  clarify(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Body(new ZodPipe(clarificationSchema)) body: z.infer<typeof clarificationSchema>,
  ) {
    return this.procurements.clarify(user, id, body);
  }

  @Post(':id/lots/:lot/bids')
  @Access('bid.submit')
  @ApiOperation({
    summary: 'Bid on a lot: sealed (AES-GCM) until the opening; refused after the deadline, when banned, unqualified or above the ceiling',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiZodBody(bidSchema)
  bid(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('lot', LotNumber()) lot: number,
    @Body(new ZodPipe(bidSchema)) body: BidDto,
  ) {
    return this.procurements.bid(user, id, lot, body);
  }

  @Post(':id/bids/:bidId/withdraw')
  @HttpCode(200)
  @Access('bid.change')
  @ApiOperation({ summary: 'Withdraw your bid before the deadline' })
  withdraw(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('bidId', new UuidPipe('Bid', '投标')) bidId: string,
  ) {
    return this.procurements.withdrawBid(user, id, bidId);
  }

  @Post(':id/bids/:bidId/confirm')
  @HttpCode(200)
  @Access('bid.change')
  @ApiOperation({ summary: 'Confirm your bid after a clarification moved the deadline (R9.1)' })
  confirm(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('bidId', new UuidPipe('Bid', '投标')) bidId: string,
  ) {
    return this.procurements.confirmBid(user, id, bidId);
  }

  @Post(':id/scores')
  @HttpCode(200)
  @Access('procurement.score')
  @ApiOperation({ summary: 'A committee member scores every valid bid (centipoints per criterion) and signs or records a dissent (R9.5)' })
  @ApiZodBody(scoreSchema)
  score(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Body(new ZodPipe(scoreSchema)) body: z.infer<typeof scoreSchema>,
  ) {
    return this.procurements.score(user, id, body);
  }

  @Post(':id/committee/:expertId/release')
  @HttpCode(200)
  @Access('procurement.seat')
  @ApiOperation({ summary: 'A member recused or absent: a new draw replaces them (R9.5)' })
  @ApiZodBody(seatReleaseSchema)
  release(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('expertId', new UuidPipe('Expert', '专家')) expertId: string,
    @Body(new ZodPipe(seatReleaseSchema)) body: z.infer<typeof seatReleaseSchema>,
  ) {
    return this.procurements.releaseSeat(user, id, expertId, body);
  }

  @Post(':id/lots/:lot/award')
  @HttpCode(200)
  @Access('procurement.act')
  @ApiOperation({ summary: 'Confirm the first-ranked candidate of a lot (R9.6; not confirmed in time, it is chosen automatically)' })
  @ApiZodBody(awardChoiceSchema)
  award(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('lot', LotNumber()) lot: number,
    @Body(new ZodPipe(awardChoiceSchema)) body: z.infer<typeof awardChoiceSchema>,
  ) {
    return this.procurements.chooseAward(user, id, lot, body.bidId);
  }

  @Post(':id/lots/:lot/failure-decision')
  @HttpCode(200)
  @Access('procurement.act')
  @ApiOperation({ summary: 'What follows a failed lot (R9.2): re-run, switch method or negotiate with two (the last two after approval)' })
  @ApiZodBody(failureDecisionSchema)
  decideFailure(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('lot', LotNumber()) lot: number,
    @Body(new ZodPipe(failureDecisionSchema)) body: FailureDecisionDto,
  ) {
    return this.procurements.decideFailure(user, id, lot, body);
  }

  @Post(':id/lots/:lot/failure-approval')
  @HttpCode(200)
  @Access('procurement.supervise')
  @ApiOperation({ summary: 'The finance department approves or refuses a switch of method or a negotiation with two (R9.2)' })
  @ApiZodBody(failureApprovalSchema)
  approveFailure(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('lot', LotNumber()) lot: number,
    @Body(new ZodPipe(failureApprovalSchema)) body: z.infer<typeof failureApprovalSchema>,
  ) {
    return this.procurements.approveFailure(user, id, lot, body);
  }

  @Post(':id/lots/:lot/contract')
  @HttpCode(200)
  @Access('procurement.contract')
  @ApiOperation({ summary: 'The awarded institution signs (→ its qualification for the lot, R2.4) or declines the contract (R9.6)' })
  @ApiZodBody(contractSchema)
  contract(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('lot', LotNumber()) lot: number,
    @Body(new ZodPipe(contractSchema)) body: z.infer<typeof contractSchema>,
  ) {
    return this.procurements.contract(user, id, lot, body);
  }

  @Post(':id/challenges')
  @Access('procurement.challenge')
  @ApiOperation({ summary: 'Challenge the documents, a step or the result within 7 working days (R9.7)' })
  @ApiZodBody(challengeSchema)
  challenge(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Body(new ZodPipe(challengeSchema)) body: ChallengeDto,
  ) {
    return this.procurements.challenge(user, id, body);
  }

  @Post(':id/challenges/:challengeId/answer')
  @HttpCode(200)
  @Access('procurement.act')
  @ApiOperation({ summary: 'Answer a challenge within 7 working days; upheld on the result: evaluate again or the next-ranked (R9.7)' })
  @ApiZodBody(challengeAnswerSchema)
  answer(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('challengeId', new UuidPipe('Challenge', '质疑')) challengeId: string,
    @Body(new ZodPipe(challengeAnswerSchema)) body: z.infer<typeof challengeAnswerSchema>,
  ) {
    return this.procurements.answerChallenge(user, id, challengeId, body);
  }

  @Post(':id/challenges/:challengeId/complaint')
  @HttpCode(200)
  @Access('procurement.challenge')
  @ApiOperation({ summary: 'Complain to the finance department within 15 working days of a dismissed challenge (R9.7)' })
  @ApiZodBody(complaintSchema)
  complain(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('challengeId', new UuidPipe('Challenge', '质疑')) challengeId: string,
    @Body(new ZodPipe(complaintSchema)) body: z.infer<typeof complaintSchema>,
  ) {
    return this.procurements.complain(user, id, challengeId, body.text);
  }

  @Post(':id/challenges/:challengeId/complaint-decision')
  @HttpCode(200)
  @Access('procurement.supervise')
  @ApiOperation({ summary: 'The finance department decides a complaint and may suspend the process up to 30 days (R9.7)' })
  @ApiZodBody(complaintDecisionSchema)
  decideComplaint(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('challengeId', new UuidPipe('Challenge', '质疑')) challengeId: string,
    @Body(new ZodPipe(complaintDecisionSchema)) body: z.infer<typeof complaintDecisionSchema>,
  ) {
    return this.procurements.decideComplaint(user, id, challengeId, body);
  }
}

const inquirySchema = z.strictObject({ text: z.string().trim().min(1).max(10_000) });
const inquiryAnswerSchema = z.strictObject({ answer: z.string().trim().min(1).max(10_000) });
const roundSchema = z.strictObject({ final: z.boolean() });
const quotationSchema = z.strictObject({ pricePerPersonFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

@ApiTags('procurements 政府采购')
@ApiBearerAuth()
@Controller('procurements')
export class ProcurementNegotiationController {
  constructor(private readonly procurements: ProcurementsService) {}

  @Post(':id/inquiries')
  @Access('procurement.challenge')
  @ApiOperation({ summary: 'Ask the purchaser (询问): answered within 3 working days (R9.7)' })
  @ApiZodBody(inquirySchema)
  inquire(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Body(new ZodPipe(inquirySchema)) body: z.infer<typeof inquirySchema>,
  ) {
    return this.procurements.inquire(user, id, body.text);
  }

  @Post(':id/inquiries/:inquiryId/answer')
  @HttpCode(200)
  @Access('procurement.act')
  @ApiOperation({ summary: 'Answer an inquiry (R9.7)' })
  @ApiZodBody(inquiryAnswerSchema)
  answerInquiry(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('inquiryId', new UuidPipe('Inquiry', '询问')) inquiryId: string,
    @Body(new ZodPipe(inquiryAnswerSchema)) body: z.infer<typeof inquiryAnswerSchema>,
  ) {
    return this.procurements.answerInquiry(user, id, inquiryId, body.answer);
  }

  @Post(':id/rounds')
  @HttpCode(200)
  @Access('procurement.act')
  @ApiOperation({ summary: 'Open a round of revised quotations in a competitive negotiation; the final round decides (R9.3)' })
  @ApiZodBody(roundSchema)
  openRound(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Body(new ZodPipe(roundSchema)) body: z.infer<typeof roundSchema>,
  ) {
    return this.procurements.openRound(user, id, body.final);
  }

  @Post(':id/rounds/close')
  @HttpCode(200)
  @Access('procurement.act')
  @ApiOperation({ summary: 'Close the open round of quotations (R9.3)' })
  closeRound(@CurrentUser() user: AuthUser, @Param('id', ProcurementId()) id: string) {
    return this.procurements.closeRound(user, id);
  }

  @Post(':id/bids/:bidId/quotations')
  @Access('bid.change')
  @ApiOperation({ summary: 'A revised quotation for your valid response in the open round (R9.3)' })
  @ApiZodBody(quotationSchema)
  quote(
    @CurrentUser() user: AuthUser,
    @Param('id', ProcurementId()) id: string,
    @Param('bidId', new UuidPipe('Bid', '投标')) bidId: string,
    @Body(new ZodPipe(quotationSchema)) body: z.infer<typeof quotationSchema>,
  ) {
    return this.procurements.quote(user, id, bidId, body.pricePerPersonFen);
  }
}

@ApiTags('procurements 政府采购')
@ApiBearerAuth()
@Controller()
export class ProcurementRegistersController {
  constructor(private readonly procurements: ProcurementsService) {}

  @Post('experts')
  @Access('expert.write')
  @ApiOperation({ summary: 'Add an evaluator to the expert pool with their fields (R9.5)' })
  @ApiZodBody(expertSchema)
  addExpert(@CurrentUser() user: AuthUser, @Body(new ZodPipe(expertSchema)) body: ExpertDto) {
    return this.procurements.addExpert(user, body);
  }

  @Post('experts/:id/relationships')
  @Access('expert.declare')
  @ApiOperation({ summary: 'Declare a relationship with an institution: excluded from its processes for 3 years (R9.5)' })
  @ApiZodBody(relationshipSchema)
  declare(
    @CurrentUser() user: AuthUser,
    @Param('id', new UuidPipe('Expert', '专家')) id: string,
    @Body(new ZodPipe(relationshipSchema)) body: z.infer<typeof relationshipSchema>,
  ) {
    return this.procurements.declareRelationship(user, id, body);
  }

  @Post('supplier-bans')
  @Access('procurement.supervise')
  @ApiOperation({ summary: 'Record a finance-department ban or a major illegal record (R9.8), checked when bids come in' })
  @ApiZodBody(supplierBanSchema)
  ban(@CurrentUser() user: AuthUser, @Body(new ZodPipe(supplierBanSchema)) body: SupplierBanDto) {
    return this.procurements.recordBan(user, body);
  }
}
