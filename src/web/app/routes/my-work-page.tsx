import { MyWork } from '../../features/work/components/my-work.js';

export function MyWorkPage() {
  return <MyWork />;
}
