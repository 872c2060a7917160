import { ActivityFeed } from '../../features/activity/components/activity-feed.js';

export function ActivityPage() {
  return <ActivityFeed />;
}
