import { ApiTokens } from '../../features/tokens/components/api-tokens.js';

export function TokensPage() {
  return <ApiTokens />;
}
