import { TagManager } from '../../features/tags/components/tag-manager.js';

export function TagsPage() {
  return <TagManager />;
}
