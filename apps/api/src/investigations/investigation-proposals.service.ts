// Reading the anomaly rules' proposals (issue 10 item 1): inspectors of a region see it and the regions below.
import { Inject, Injectable } from '@nestjs/common';
import type { Db, Prisma } from '../../../../prisma/client';
import { regionPrefix } from '../../../../workflows/domain/region';
import { requireAccess } from '../auth/access';
import type { AuthUser } from '../auth/auth';
import { afterCursor, decodeCursor, page } from '../common/pagination';
import { DB } from '../infra/infra.module';
import { toProposalDto, type ListProposalsQuery } from './investigation-proposal.dto';

@Injectable()
export class InvestigationProposalsService {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Oldest first, keyset-paged; `region` narrows to a region the caller covers (403 FORBIDDEN_REGION otherwise). */
  async list(user: AuthUser, q: ListProposalsQuery) {
    const region = q.region ?? user.regionCode;
    requireAccess(user, 'proposal.read', { regionCode: region });
    const where: Prisma.InvestigationProposalWhereInput = {
      AND: [
        { regionCode: { startsWith: regionPrefix(region) } },
        q.rule ? { rule: q.rule } : {},
        q.status ? { status: q.status } : {},
        q.institution ? { institutionId: q.institution } : {},
        afterCursor(decodeCursor(q.cursor)),
      ],
    };
    const rows = await this.db.investigationProposal.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: q.limit + 1 });
    return page(rows, q.limit, toProposalDto);
  }
}
