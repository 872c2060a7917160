import { Anchor, Badge, Text, Typography } from '@mantine/core';
import type { ComponentProps, ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';

const uuid = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const staffUrl = new RegExp(`^staff:${uuid}$`);
const safeUrl = /^(https?:|mailto:)/i;

/**
 * Only web and mail links survive, plus `staff:<uuid>` (a mention, rendered as a chip, never a
 * link). Anything else (javascript:, data:, relative paths) becomes an empty href.
 */
function urlTransform(url: string): string {
  const trimmed = url.trim();
  if (staffUrl.test(trimmed)) return trimmed;
  return safeUrl.test(trimmed) ? trimmed : '';
}

/** The parts of mdast nodes the mention plugin looks at. */
interface MdNode {
  type: string;
  value?: string;
  url?: string;
  children?: MdNode[];
}

/** `@[Name](staff:id)` parses as text ending in "@" then a link: drop that "@" (the chip shows one). */
function remarkMentions() {
  const walk = (node: MdNode) => {
    const children = node.children;
    if (!children) return;
    children.forEach((child, index) => {
      const before = children[index - 1];
      if (
        child.type === 'link' &&
        staffUrl.test(child.url ?? '') &&
        before?.type === 'text' &&
        before.value?.endsWith('@')
      ) {
        before.value = before.value.slice(0, -1);
      }
      walk(child);
    });
  };
  return (tree: MdNode) => walk(tree);
}

function textOf(children: ReactNode): string {
  if (typeof children === 'string' || typeof children === 'number') return String(children);
  if (Array.isArray(children)) return children.map(textOf).join('');
  return '';
}

function MarkdownLink({ href, children }: ComponentProps<'a'>) {
  if (href && staffUrl.test(href)) {
    return (
      <Badge
        component="span"
        variant="light"
        radius="sm"
        tt="none"
        data-mention={href.slice('staff:'.length)}
        style={{ verticalAlign: 'baseline', cursor: 'default' }}
      >
        @{textOf(children) || children}
      </Badge>
    );
  }
  if (!href) return <span>{children}</span>;
  return (
    <Anchor href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </Anchor>
  );
}

/** Images are never loaded (no tracking pixels): their alt text, linking to the image when it is http(s). */
function MarkdownImage({ src, alt }: ComponentProps<'img'>) {
  const label = `[image${alt ? `: ${alt}` : ''}]`;
  if (typeof src === 'string' && /^https?:/i.test(src)) {
    return (
      <Anchor href={src} target="_blank" rel="noreferrer noopener" size="sm">
        {label}
      </Anchor>
    );
  }
  return (
    <Text span c="dimmed" size="sm">
      {label}
    </Text>
  );
}

const components: Components = { a: MarkdownLink, img: MarkdownImage };
// a single line break is a line break, as people write notes and email (the server renders mail the same way)
const remarkPlugins = [remarkGfm, remarkBreaks, remarkMentions];

/**
 * Renders note markdown safely: GitHub-flavoured, raw HTML skipped (no rehype-raw), only
 * http(s)/mailto links (opening in a new tab), images shown as their alt text, and
 * `@[Name](staff:<id>)` mentions as chips.
 */
export function Markdown({ source }: { source: string }) {
  return (
    <Typography fz="sm" style={{ overflowWrap: 'anywhere' }}>
      <ReactMarkdown remarkPlugins={remarkPlugins} components={components} urlTransform={urlTransform}>
        {source}
      </ReactMarkdown>
    </Typography>
  );
}
