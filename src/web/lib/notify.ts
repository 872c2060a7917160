import { notifications } from '@mantine/notifications';
import { errorMessage } from './api-client.js';

export function notifySuccess(message: string, title?: string) {
  notifications.show({ color: 'green', title, message });
}

export function notifyError(error: unknown, title = 'Something went wrong') {
  notifications.show({ color: 'red', title, message: errorMessage(error) });
}

/** News rather than the result of the user's own action (a colleague mentioned you, a reminder). */
export function notifyInfo(message: string, title?: string) {
  notifications.show({ color: 'blue', title, message });
}
