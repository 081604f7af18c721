import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuthGuard } from './auth/auth';
import { IdempotencyInterceptor } from './common/idempotency';
import { FilingsController } from './filings/filings.controller';
import { FilingsService } from './filings/filings.service';
import { HealthController } from './health/health.controller';
import { PolicyController } from './policy/policy.controller';
import { QualificationsController } from './qualifications/qualifications.controller';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';

@Module({
  controllers: [HealthController, FilingsController, TasksController, QualificationsController, PolicyController],
  providers: [
    FilingsService,
    TasksService,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class AppModule {}
