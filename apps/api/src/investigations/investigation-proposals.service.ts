// Reading the anomaly rules' proposals (issue 10 item 1): inspectors of a region see it and the regions below.
import { Injectable } from '@nestjs/common';
import { AnomalyRepository } from '../../../../repositories/anomaly.repository';
import { requireAccess } from '../auth/access';
import type { AuthUser } from '../auth/auth';
import { decodeCursor, page } from '../common/pagination';
import { toProposalDto, type ListProposalsQuery } from './investigation-proposal.dto';

@Injectable()
export class InvestigationProposalsService {
  constructor(private readonly anomalies: AnomalyRepository) {}

  /** Oldest first, keyset-paged; `region` narrows to a region the caller covers (403 FORBIDDEN_REGION otherwise). */
  async list(user: AuthUser, q: ListProposalsQuery) {
    const region = q.region ?? user.regionCode;
    requireAccess(user, 'proposal.read', { regionCode: region });
    const rows = await this.anomalies.proposals({
      regionCode: region,
      rule: q.rule,
      status: q.status,
      institutionId: q.institution,
      after: decodeCursor(q.cursor),
      take: q.limit + 1,
    });
    return page(rows, q.limit, toProposalDto);
  }
}
