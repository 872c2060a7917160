import { Tabs } from '@mantine/core';
import { IconCalendarRepeat, IconFileExport } from '@tabler/icons-react';
import { useLocation, useNavigate } from 'react-router';

/** Exports and their schedules: two pages, one tab strip. */
export function ExportsTabs() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const value = pathname.startsWith('/exports/schedules') ? '/exports/schedules' : '/exports';
  return (
    <Tabs value={value} onChange={(to) => to && to !== value && void navigate(to)} mb="md">
      <Tabs.List aria-label="Export sections">
        <Tabs.Tab value="/exports" leftSection={<IconFileExport size={16} aria-hidden />}>
          Exports
        </Tabs.Tab>
        <Tabs.Tab value="/exports/schedules" leftSection={<IconCalendarRepeat size={16} aria-hidden />}>
          Schedules
        </Tabs.Tab>
      </Tabs.List>
    </Tabs>
  );
}
