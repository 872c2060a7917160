/** The customer's email threads and a compose box, on the profile (placeholder until built). */
export function CommunicationTracker(_props: { customerId: string }) {
  return null;
}
