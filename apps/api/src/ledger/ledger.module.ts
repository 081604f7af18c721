// The special account (专账, R7.1/R7.2) as its own module, so the app registers it with one line.
import { Module } from '@nestjs/common';
import { LedgerController } from './ledger.controller';
import { LedgerService } from './ledger.service';

@Module({ controllers: [LedgerController], providers: [LedgerService] })
export class LedgerModule {}
