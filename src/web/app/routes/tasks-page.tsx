import { TaskList } from '../../features/tasks/components/task-list.js';

export function TasksPage() {
  return <TaskList />;
}
