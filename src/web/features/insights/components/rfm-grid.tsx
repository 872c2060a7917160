import { Anchor, Box, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { RfmOverview } from '../../../../shared/rfm.js';
import { formatCount } from '../../../lib/format.js';
import { rfmCellListUrl } from './rfm-groups.js';

const scores = [1, 2, 3, 4, 5] as const;

/**
 * The classic RFM grid as a real table: recency down (5 = bought most recently, at the top),
 * frequency across; each cell's shade grows with its count and links to those customers.
 */
export function RfmGrid({ grid }: { grid: RfmOverview['grid'] }) {
  const counts = new Map(grid.map((c) => [`${c.recency}:${c.frequency}`, c.customers]));
  const max = Math.max(1, ...grid.map((c) => c.customers));
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table
        aria-label="RFM grid: customers by recency and frequency"
        withTableBorder
        withColumnBorders
        layout="fixed"
        miw={360}
        style={{ textAlign: 'center' }}
      >
        <caption style={{ captionSide: 'bottom', paddingTop: 8 }}>
          <Text size="xs" c="dimmed">
            Recency down (5 = ordered most recently), frequency across (5 = orders most often). Darker cells
            hold more customers.
          </Text>
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={92}>
              <Text size="xs" c="dimmed" fw={600}>
                Recency ↓ / Frequency →
              </Text>
            </Table.Th>
            {scores.map((f) => (
              <Table.Th key={f} scope="col" ta="center">
                F{f}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...scores].reverse().map((r) => (
            <Table.Tr key={r}>
              <Table.Th scope="row" ta="center">
                R{r}
              </Table.Th>
              {scores.map((f) => {
                const n = counts.get(`${r}:${f}`) ?? 0;
                const share = n / max;
                return (
                  <Table.Td
                    key={f}
                    p={0}
                    data-recency={r}
                    data-frequency={f}
                    style={{
                      background:
                        n > 0
                          ? `color-mix(in srgb, var(--mantine-primary-color-filled) ${Math.round(12 + share * 88)}%, transparent)`
                          : undefined,
                    }}
                  >
                    {n > 0 ? (
                      <Anchor
                        component={Link}
                        to={rfmCellListUrl(r, f)}
                        display="block"
                        py={10}
                        fw={600}
                        underline="hover"
                        c={share > 0.6 ? 'white' : 'var(--mantine-color-text)'}
                        aria-label={`Recency ${r}, frequency ${f}: ${formatCount(n)} ${n === 1 ? 'customer' : 'customers'}`}
                      >
                        {formatCount(n)}
                      </Anchor>
                    ) : (
                      <Text py={10} c="dimmed" size="sm" aria-label={`Recency ${r}, frequency ${f}: none`}>
                        0
                      </Text>
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
