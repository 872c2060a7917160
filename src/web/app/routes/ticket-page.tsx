import { useParams } from 'react-router';
import { TicketDetail } from '../../features/tickets/components/ticket-detail.js';

export function TicketPage() {
  const { id = '' } = useParams();
  return <TicketDetail key={id} id={id} />;
}
