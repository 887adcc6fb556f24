import { CreateScansAndParcels1732000800000 } from './1732000800000-CreateScansAndParcels';
import { CreateOrdersAndKnownEnterprises1732000900000 } from './1732000900000-CreateOrdersAndKnownEnterprises';
import { CreateKnownSites1732001000000 } from './1732001000000-CreateKnownSites';
import { CreateKnownDivisions1732001300000 } from './1732001300000-CreateKnownDivisions';
import { CreateKnownClients1732001400000 } from './1732001400000-CreateKnownClients';

export const PARCELS_MIGRATIONS = [
  CreateScansAndParcels1732000800000,
  CreateOrdersAndKnownEnterprises1732000900000,
  CreateKnownSites1732001000000,
  CreateKnownDivisions1732001300000,
  CreateKnownClients1732001400000,
];
