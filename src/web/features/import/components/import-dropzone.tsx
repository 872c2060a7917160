import { Group, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconFileSpreadsheet, IconUpload, IconX } from '@tabler/icons-react';

const csvAccept = {
  'text/csv': ['.csv'],
  'application/vnd.ms-excel': ['.csv'],
  'text/plain': ['.csv', '.txt'],
};

export function ImportDropzone({
  loading,
  onFile,
  onReject,
}: {
  loading: boolean;
  onFile: (file: File) => void;
  onReject: (message: string) => void;
}) {
  return (
    <Dropzone
      onDrop={(files) => {
        const file = files[0];
        if (file) onFile(file);
      }}
      onReject={(rejections) => onReject(rejections[0]?.errors[0]?.message ?? 'This file cannot be imported')}
      accept={csvAccept}
      maxFiles={1}
      multiple={false}
      maxSize={50 * 1024 * 1024}
      loading={loading}
      aria-label="Choose a CSV file to import"
      inputProps={{ 'aria-label': 'CSV file' }}
    >
      <Group justify="center" gap="xl" mih={160} style={{ pointerEvents: 'none' }}>
        <Dropzone.Accept>
          <IconUpload size={48} stroke={1.4} aria-hidden />
        </Dropzone.Accept>
        <Dropzone.Reject>
          <IconX size={48} stroke={1.4} aria-hidden />
        </Dropzone.Reject>
        <Dropzone.Idle>
          <IconFileSpreadsheet size={48} stroke={1.4} aria-hidden />
        </Dropzone.Idle>
        <Stack gap={4}>
          <Text size="lg" fw={600}>
            Drop a CSV file here or click to choose one
          </Text>
          <Text size="sm" c="dimmed">
            One customer per row, with a header row. Up to 50 MB.
          </Text>
        </Stack>
      </Group>
    </Dropzone>
  );
}
