-- The ledger kept by the database itself (POLICY R7.1, R7.2, R4.3, issue 7 items 11 and 2).
-- The migration runner splits at every semicolon: function bodies are E'' strings spelling it \073.

-- Money is bigint fen everywhere, like the ledger's own entries and balances.
ALTER TABLE "Claim" ALTER COLUMN "approvedFen" SET DATA TYPE BIGINT, ALTER COLUMN "paidFen" SET DATA TYPE BIGINT;
ALTER TABLE "ClaimLine" ALTER COLUMN "amountFen" SET DATA TYPE BIGINT;
ALTER TABLE "SubsidyGrant" ALTER COLUMN "amountFen" SET DATA TYPE BIGINT;
ALTER TABLE "TrainingClass" ALTER COLUMN "catalogueStandardFen" SET DATA TYPE BIGINT;
ALTER TABLE "ProjectStandard" ALTER COLUMN "standardFen" SET DATA TYPE BIGINT;
ALTER TABLE "CatalogueProject" ALTER COLUMN "standardFen" SET DATA TYPE BIGINT;

-- R4.3: a second fund per city, the employment fund (就业补助资金), beside the special account (R7.1).
-- Existing FUND and SOURCE accounts are the special account's.
CREATE TYPE "FundKind" AS ENUM ('SPECIAL', 'EMPLOYMENT');
ALTER TABLE "LedgerAccount" ADD COLUMN "fund" "FundKind";
UPDATE "LedgerAccount" SET "fund" = 'SPECIAL' WHERE "kind" IN ('FUND', 'SOURCE');
ALTER TABLE "LedgerAccount" ADD CONSTRAINT "LedgerAccount_fund_named"
    CHECK (("kind" = 'PAYEE') = ("fund" IS NULL));

-- No entry moves zero fen.
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_amount_not_zero" CHECK ("amountFen" <> 0);

-- Transactions are append-only like their entries (R7.2). The entries' trigger gets a message that names
-- the right table.
CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS
    E'BEGIN RAISE EXCEPTION ''% is append-only (%)'', TG_TABLE_NAME, TG_OP\073 END\073';

CREATE TRIGGER "LedgerTransaction_append_only"
    BEFORE UPDATE OR DELETE ON "LedgerTransaction"
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();

DROP TRIGGER "LedgerEntry_append_only" ON "LedgerEntry";
CREATE TRIGGER "LedgerEntry_append_only"
    BEFORE UPDATE OR DELETE ON "LedgerEntry"
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();

-- Every transaction has at least two entries and they sum to zero, checked at commit (deferred), so a
-- transaction and its entries may be written in any order within one database transaction.
CREATE FUNCTION ledger_assert_balanced(tid uuid) RETURNS void LANGUAGE plpgsql AS
    E'DECLARE total numeric\073 n bigint\073 BEGIN SELECT COALESCE(sum("amountFen"), 0), count(*) INTO total, n FROM "LedgerEntry" WHERE "transactionId" = tid\073 IF total <> 0 OR n < 2 THEN RAISE EXCEPTION ''ledger transaction % is unbalanced: % entries summing to % fen'', tid, n, total USING ERRCODE = ''23514''\073 END IF\073 END\073';

CREATE FUNCTION ledger_entry_balances() RETURNS trigger LANGUAGE plpgsql AS
    E'BEGIN PERFORM ledger_assert_balanced(NEW."transactionId")\073 RETURN NULL\073 END\073';

CREATE FUNCTION ledger_transaction_balances() RETURNS trigger LANGUAGE plpgsql AS
    E'BEGIN PERFORM ledger_assert_balanced(NEW."id")\073 RETURN NULL\073 END\073';

CREATE CONSTRAINT TRIGGER "LedgerEntry_transaction_balanced"
    AFTER INSERT ON "LedgerEntry"
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_balances();

CREATE CONSTRAINT TRIGGER "LedgerTransaction_balanced"
    AFTER INSERT ON "LedgerTransaction"
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balances();

-- The ledger and the audit trail cannot be emptied with TRUNCATE (which skips row triggers).
CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS
    E'BEGIN RAISE EXCEPTION ''% may not be truncated: the ledger and the audit trail are kept'', TG_TABLE_NAME\073 END\073';

CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent" FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER "LedgerEntry_no_truncate" BEFORE TRUNCATE ON "LedgerEntry" FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER "LedgerTransaction_no_truncate" BEFORE TRUNCATE ON "LedgerTransaction" FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER "LedgerAccount_no_truncate" BEFORE TRUNCATE ON "LedgerAccount" FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();

-- R3.1: a published catalogue version accepts no new rows (its existing rows are already frozen). The
-- version's row is share-locked so that it cannot be published while rows are still going in.
CREATE FUNCTION catalogue_version_accepts_rows() RETURNS trigger LANGUAGE plpgsql AS
    E'DECLARE st text\073 BEGIN SELECT v."status"::text INTO st FROM "CatalogueVersion" v WHERE v."id" = NEW."versionId" FOR SHARE\073 IF st = ''PUBLISHED'' THEN RAISE EXCEPTION ''published catalogue version accepts no new rows (% on %)'', TG_OP, TG_TABLE_NAME\073 END IF\073 RETURN NEW\073 END\073';

CREATE TRIGGER "CatalogueProject_no_rows_into_published"
    BEFORE INSERT OR UPDATE OF "versionId" ON "CatalogueProject"
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_accepts_rows();

CREATE TRIGGER "CatalogueInstitution_no_rows_into_published"
    BEFORE INSERT OR UPDATE OF "versionId" ON "CatalogueInstitution"
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_accepts_rows();

CREATE TRIGGER "CatalogueEvaluator_no_rows_into_published"
    BEFORE INSERT OR UPDATE OF "versionId" ON "CatalogueEvaluator"
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_accepts_rows();
