// The workflow bundle's entry: workflows only (activities are imported as types).
export { filingWorkflow } from './filing.workflow';
export { institutionWorkflow } from './institution.workflow';
export { claimWorkflow } from './claim.workflow';
export { catalogueWorkflow } from './catalogue.workflow';
export { procurementWorkflow } from './procurement.workflow';
