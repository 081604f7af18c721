import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuthGuard } from './auth/auth';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarService } from './calendar/calendar.service';
import { ClaimsController } from './claims/claims.controller';
import { ClaimsService } from './claims/claims.service';
import { PublicController } from './public/public.controller';
import { PublicCataloguesController } from './public/catalogues.controller';
import { CataloguesController } from './catalogues/catalogues.controller';
import { CataloguesService } from './catalogues/catalogues.service';
import { IdempotencyInterceptor } from './common/idempotency';
import { FilingsController } from './filings/filings.controller';
import { FilingsService } from './filings/filings.service';
import { HealthController } from './health/health.controller';
import { LedgerModule } from './ledger/ledger.module';
import { PolicyController } from './policy/policy.controller';
import { QualificationsController } from './qualifications/qualifications.controller';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';
import { TraineesController } from './trainees/trainees.controller';
import { TraineesService } from './trainees/trainees.service';
import { ClassesController } from './classes/classes.controller';
import { ClassesService } from './classes/classes.service';
import { EvaluationInstitutionsController } from './evaluation-institutions/evaluation-institutions.controller';
import { EvaluationInstitutionsService } from './evaluation-institutions/evaluation-institutions.service';
import {
  ProcurementNegotiationController,
  ProcurementRegistersController,
  ProcurementsController,
} from './procurements/procurements.controller';
import { ProcurementsService, PublicProcurementsService } from './procurements/procurements.service';
import { PublicProcurementsController } from './public/procurements.controller';
import { InvestigationProposalsController } from './investigations/investigation-proposals.controller';
import { InvestigationProposalsService } from './investigations/investigation-proposals.service';

@Module({
  imports: [LedgerModule],
  controllers: [
    HealthController,
    FilingsController,
    TasksController,
    QualificationsController,
    PolicyController,
    ClaimsController,
    PublicController,
    TraineesController,
    ClassesController,
    CataloguesController,
    PublicCataloguesController,
    EvaluationInstitutionsController,
    CalendarController,
    ProcurementsController,
    ProcurementRegistersController,
    ProcurementNegotiationController,
    PublicProcurementsController,
    InvestigationProposalsController,
  ],
  providers: [
    InvestigationProposalsService,
    ProcurementsService,
    PublicProcurementsService,
    FilingsService,
    ClaimsService,
    TasksService,
    TraineesService,
    ClassesService,
    CataloguesService,
    EvaluationInstitutionsService,
    CalendarService,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class AppModule {}
