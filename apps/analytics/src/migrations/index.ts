import { CreateAnalyticsModel1732001100000 } from './1732001100000-CreateAnalyticsModel';

export const ANALYTICS_MIGRATIONS = [CreateAnalyticsModel1732001100000];
