/** Placeholder: the bell with unread count and the notifications list, in the header. */
export function NotificationsMenu() {
  return null;
}
