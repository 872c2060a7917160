import { customerStatuses, lifecycleStages } from '../../../../shared/enums.js';
import { humanize } from '../../../lib/format.js';

export const statusOptions = customerStatuses.map((s) => ({ value: s, label: humanize(s) }));
export const stageOptions = lifecycleStages.map((s) => ({ value: s, label: humanize(s) }));
