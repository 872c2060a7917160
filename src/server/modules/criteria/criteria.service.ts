import type { CriteriaFieldsResponse } from '../../../shared/criteria/index.js';
import { criteriaFields } from '../../../shared/criteria/index.js';
import type { AppDeps } from '../../platform/deps.js';

const MAX_CHOICES = 500;

/**
 * The catalogue for the UI builder. Tag and segment choices are read here directly (two small
 * indexed reads) so the builder needs one request; capped so a huge catalogue stays cheap.
 */
export async function listCriteriaFields(deps: AppDeps): Promise<CriteriaFieldsResponse> {
  const [tags, segments] = await Promise.all([
    deps.db.selectFrom('tags').select(['id', 'name']).orderBy('name').limit(MAX_CHOICES).execute(),
    deps.db.selectFrom('segments').select(['id', 'name']).orderBy('name').limit(MAX_CHOICES).execute(),
  ]);
  return {
    fields: criteriaFields.map((f) => {
      const { values, ...rest } = f;
      const out = { ...rest, ops: [...f.ops], ...(values ? { values: [...values] } : {}) };
      if (f.type === 'tags') return { ...out, values: tags.map((t) => t.name) };
      if (f.type === 'segments')
        return { ...out, options: segments.map((s) => ({ value: s.id, label: s.name })) };
      return out;
    }),
  };
}
