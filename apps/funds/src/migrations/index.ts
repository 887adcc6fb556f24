import { CreateFundsLedger1732001100000 } from './1732001100000-CreateFundsLedger';

export const FUNDS_MIGRATIONS = [CreateFundsLedger1732001100000];
