import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  type MantineColor,
  Skeleton,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import type { OrderStatus } from '../../../../shared/enums.js';
import type { Order } from '../../../../shared/orders.js';
import { QueryError } from '../../../components/query-error.js';
import { formatCount, formatDateTime, formatMoney, humanize } from '../../../lib/format.js';
import { useCustomerOrders } from '../api/get-customer-orders.js';

const orderStatusColors: Record<OrderStatus, MantineColor> = {
  pending: 'yellow',
  paid: 'blue',
  fulfilled: 'green',
  cancelled: 'gray',
  refunded: 'red',
};

function orderLabel(order: Order): string {
  return order.external_id ? `#${order.external_id}` : `#${order.id.slice(0, 8)}`;
}

function OrderItems({ order }: { order: Order }) {
  return (
    <Table
      withRowBorders={false}
      verticalSpacing={4}
      fz="sm"
      aria-label={`Items of order ${orderLabel(order)}`}
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th>SKU</Table.Th>
          <Table.Th>Product</Table.Th>
          <Table.Th>Category</Table.Th>
          <Table.Th ta="right">Qty</Table.Th>
          <Table.Th ta="right">Unit price</Table.Th>
          <Table.Th ta="right">Line total</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {order.items.map((item) => (
          <Table.Tr key={item.id}>
            <Table.Td ff="monospace">{item.sku}</Table.Td>
            <Table.Td>{item.name}</Table.Td>
            <Table.Td>{item.category ?? '—'}</Table.Td>
            <Table.Td ta="right">{formatCount(item.quantity)}</Table.Td>
            <Table.Td ta="right">{formatMoney(item.unit_price, order.currency)}</Table.Td>
            <Table.Td ta="right">{formatMoney(item.line_total, order.currency)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function OrderHistory({ customerId }: { customerId: string }) {
  const query = useCustomerOrders(customerId);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const orders = query.data?.pages.flatMap((p) => p.data) ?? [];
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="orders-title">
      <Title order={2} size="h4" id="orders-title" mb="md">
        Order history
      </Title>
      {query.isPending ? (
        <Skeleton height={120} />
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} title="Could not load orders" />
      ) : orders.length === 0 ? (
        <Text size="sm" c="dimmed">
          No orders yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs" aria-label="Orders">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={44}>
                  <VisuallyHidden>Details</VisuallyHidden>
                </Table.Th>
                <Table.Th>Order</Table.Th>
                <Table.Th>Placed</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Items</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {orders.map((order) => {
                const open = expanded.has(order.id);
                const itemsId = `order-items-${order.id}`;
                return (
                  <Fragment key={order.id}>
                    <Table.Tr>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          aria-label={`${open ? 'Hide' : 'Show'} items of order ${orderLabel(order)}`}
                          aria-expanded={open}
                          aria-controls={open ? itemsId : undefined}
                          onClick={() => toggle(order.id)}
                        >
                          {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td ff="monospace">{orderLabel(order)}</Table.Td>
                      <Table.Td>{formatDateTime(order.placed_at)}</Table.Td>
                      <Table.Td>
                        <Badge color={orderStatusColors[order.status] ?? 'gray'}>
                          {humanize(order.status)}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right">{formatCount(order.item_count)}</Table.Td>
                      <Table.Td ta="right" fw={600}>
                        {formatMoney(order.total, order.currency)}
                      </Table.Td>
                    </Table.Tr>
                    {open ? (
                      <Table.Tr id={itemsId}>
                        <Table.Td />
                        <Table.Td colSpan={5} pb="md">
                          <OrderItems order={order} />
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {query.hasNextPage ? (
        <Group justify="center" mt="md">
          <Button
            variant="light"
            onClick={() => void query.fetchNextPage()}
            loading={query.isFetchingNextPage}
          >
            Load more orders
          </Button>
        </Group>
      ) : null}
    </Card>
  );
}
