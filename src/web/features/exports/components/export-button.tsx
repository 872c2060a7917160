import { Button, type ButtonProps } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { lazy, Suspense, useState } from 'react';
import { usePermission } from '../../auth/api/get-me.js';
import type { ExportDialogProps } from './export-dialog.js';

// The dialog (field catalogue, preview) loads when first opened, not with the page.
const ExportDialog = lazy(() => import('./export-dialog.js').then((m) => ({ default: m.ExportDialog })));

/** "Export" for users with export:customers (nothing for others); opens the export dialog. */
export function ExportButton({
  label = 'Export',
  buttonProps,
  ...dialog
}: Omit<ExportDialogProps, 'opened' | 'onClose'> & { label?: string; buttonProps?: ButtonProps }) {
  const allowed = usePermission('export:customers');
  const [opened, setOpened] = useState(false);
  // once opened, the dialog stays mounted so it can animate closed
  const [used, setUsed] = useState(false);
  if (!allowed) return null;
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconDownload size={16} aria-hidden />}
        {...buttonProps}
        onClick={() => {
          setUsed(true);
          setOpened(true);
        }}
      >
        {label}
      </Button>
      {used ? (
        <Suspense fallback={null}>
          <ExportDialog {...dialog} opened={opened} onClose={() => setOpened(false)} />
        </Suspense>
      ) : null}
    </>
  );
}
