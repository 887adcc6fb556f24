import { CreateAnalyticsModel1732001100000 } from './1732001100000-CreateAnalyticsModel';
import { DirtyCellAge1732001200000 } from './1732001200000-DirtyCellAge';

export const ANALYTICS_MIGRATIONS = [CreateAnalyticsModel1732001100000, DirtyCellAge1732001200000];
