import { Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { Affinity } from '../../../../shared/analytics.js';
import { formatCount } from '../../../lib/format.js';
import { formatDecimal, formatShare } from '../analytics-format.js';
import { ScrollTable } from './scroll-table.js';

type Rule = Affinity['rules'][number];

function ProductName({ product, onSelect }: { product: Rule['product']; onSelect?: (id: string) => void }) {
  const body = (
    <>
      <Text size="sm" fw={600} component="span" display="block">
        {product.name}
      </Text>
      <Text size="xs" c="dimmed" component="span" display="block" ff="monospace">
        {product.sku}
      </Text>
    </>
  );
  if (!onSelect) return body;
  return (
    // the name is the visible text plus what a click does (axe: no label that hides the text)
    <UnstyledButton
      onClick={() => onSelect(product.id)}
      style={{ borderRadius: 4 }}
      title="Show only its rules"
    >
      {body}
      <VisuallyHidden>: show only its rules</VisuallyHidden>
    </UnstyledButton>
  );
}

/** "Bought A, also bought B": how often together (support), how reliably (confidence), above chance (lift). */
export function AffinityTable({
  rules,
  onSelectProduct,
}: {
  rules: Rule[];
  onSelectProduct?: (id: string) => void;
}) {
  return (
    <ScrollTable minWidth={720} label="Products bought together, scrollable">
      <Table
        aria-label="Products bought together"
        verticalSpacing="xs"
        highlightOnHover
        style={{ fontVariantNumeric: 'tabular-nums' }}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Product</Table.Th>
            <Table.Th scope="col">Also bought</Table.Th>
            <Table.Th scope="col" ta="right">
              Together
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Support
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Confidence
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Lift
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rules.map((r) => (
            <Table.Tr
              key={`${r.product.id}-${r.also_bought.id}`}
              data-rule={`${r.product.sku}>${r.also_bought.sku}`}
            >
              <Table.Td>
                <ProductName product={r.product} onSelect={onSelectProduct} />
              </Table.Td>
              <Table.Td>
                <ProductName product={r.also_bought} />
              </Table.Td>
              <Table.Td ta="right">{formatCount(r.orders_together)}</Table.Td>
              <Table.Td ta="right">{formatShare(r.support)}</Table.Td>
              <Table.Td ta="right">{formatShare(r.confidence)}</Table.Td>
              <Table.Td ta="right" fw={600}>
                {formatDecimal(r.lift)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
