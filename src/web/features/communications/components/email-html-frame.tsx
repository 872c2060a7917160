import { Text } from '@mantine/core';

/**
 * Blocks everything the HTML would fetch (remote images, tracking pixels, fonts, styles by URL):
 * looking at a customer's mail here must not count as their open, nor tell a sender we read it.
 * Links try to open a new window, which the sandbox refuses, so nothing is clicked by accident.
 */
const guard =
  '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; style-src \'unsafe-inline\'">' +
  '<base target="_blank">';

/**
 * An email's HTML in a sandboxed frame: `sandbox=""` means no scripts, no forms, no popups and a
 * unique origin (no access to this app or its cookies).
 */
export function EmailHtmlFrame({
  html,
  title,
  height = 320,
}: {
  html: string;
  title: string;
  height?: number;
}) {
  return (
    <>
      <iframe
        sandbox=""
        srcDoc={`${guard}${html}`}
        title={title}
        style={{
          width: '100%',
          height,
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 'var(--mantine-radius-sm)',
          background: 'white',
        }}
      />
      <Text size="xs" c="dimmed">
        Remote images and links are not loaded here.
      </Text>
    </>
  );
}
