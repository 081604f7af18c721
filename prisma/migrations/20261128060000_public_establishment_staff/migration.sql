-- R5.1: staff on a public establishment, a registry fact a bureau may exclude from training subsidies.
ALTER TABLE "Trainee" ADD COLUMN "publicEstablishmentStaff" BOOLEAN NOT NULL DEFAULT false;
