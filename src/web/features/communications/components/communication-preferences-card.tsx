/** The customer's communication preferences and their history, on the profile (placeholder). */
export function CommunicationPreferencesCard(_props: { customerId: string }) {
  return null;
}
