import { Anchor, Box, Table, Text, useComputedColorScheme } from '@mantine/core';
import { Link } from 'react-router';
import type { RfmOverview } from '../../../../shared/rfm.js';
import { formatCount } from '../../../lib/format.js';
import { tagTextColor } from '../../tags/components/tag-badge.js';
import { rfmCellListUrl } from './rfm-groups.js';

const scores = [1, 2, 3, 4, 5] as const;

// The shade runs from a pale to a deep indigo (on a dark page, from near the page's own colour).
const ramps = {
  light: ['#edf2ff', '#364fc7'],
  dark: ['#2c2e4a', '#5c7cfa'],
} as const;

function mix(from: string, to: string, t: number): string {
  const channel = (hex: string, i: number) => Number.parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16);
  const parts = [0, 1, 2].map((i) => Math.round(channel(from, i) + (channel(to, i) - channel(from, i)) * t));
  return `#${parts.map((p) => p.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The classic RFM grid as a real table: recency down (5 = bought most recently, at the top),
 * frequency across; each cell's shade grows with its count and links to those customers.
 */
export function RfmGrid({ grid }: { grid: RfmOverview['grid'] }) {
  const counts = new Map(grid.map((c) => [`${c.recency}:${c.frequency}`, c.customers]));
  const max = Math.max(1, ...grid.map((c) => c.customers));
  const scheme = useComputedColorScheme('light');
  const [from, to] = ramps[scheme];
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
            Recency down (5 = ordered most recently), frequency across (5 = orders most often). The stronger
            the colour, the more customers.
          </Text>
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={72}>
              <Text
                size="xs"
                c="dimmed"
                fw={600}
                aria-label="Recency by frequency"
                style={{ whiteSpace: 'nowrap' }}
              >
                R ↓ F →
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
                const background = n > 0 ? mix(from, to, n / max) : undefined;
                return (
                  <Table.Td key={f} p={0} data-recency={r} data-frequency={f} style={{ background }}>
                    {n > 0 ? (
                      <Anchor
                        component={Link}
                        to={rfmCellListUrl(r, f)}
                        display="block"
                        py={10}
                        fw={600}
                        underline="hover"
                        // black or white, whichever reads better on this shade (4.5:1 or more)
                        c={background ? tagTextColor(background) : undefined}
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
