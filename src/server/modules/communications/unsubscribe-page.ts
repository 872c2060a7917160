/**
 * The public unsubscribe pages: small standalone HTML (no app bundle, no script), every value
 * escaped. Styles are inline, which the app's CSP allows (style-src 'unsafe-inline').
 */

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const style = `
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f1f3f5;
         color: #212529; margin: 0; padding: 48px 16px; }
  main { max-width: 28rem; margin: 0 auto; background: #fff; border-radius: 8px; padding: 32px;
         box-shadow: 0 1px 3px rgba(0, 0, 0, .1); }
  h1 { font-size: 1.3rem; margin: 0 0 16px; line-height: 1.4; }
  p { line-height: 1.5; margin: 0 0 16px; }
  button { font: inherit; background: #1c7ed6; color: #fff; border: 0; border-radius: 4px;
           padding: 10px 20px; cursor: pointer; }
  button:hover, button:focus-visible { background: #1864ab; }
  .note { color: #495057; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

/** The question, with a button; a note instead when marketing mail is already off. */
export function unsubscribePage(opts: { address: string; action: string; alreadyOff: boolean }): string {
  const address = escapeHtml(opts.address);
  if (opts.alreadyOff) {
    return page(
      'Unsubscribed',
      `<h1>${address} is unsubscribed from marketing email</h1>
<p class="note">You are already unsubscribed: we will not send you marketing email. Messages about
your orders and requests may still reach you.</p>`,
    );
  }
  return page(
    'Unsubscribe',
    `<h1>Unsubscribe ${address} from marketing email?</h1>
<p>You will no longer receive marketing email from us. Messages about your orders and requests
will still reach you.</p>
<form method="post" action="${escapeHtml(opts.action)}">
<input type="hidden" name="confirm" value="yes">
<button type="submit">Unsubscribe</button>
</form>`,
  );
}

export function unsubscribedPage(address: string): string {
  const a = escapeHtml(address);
  return page(
    'Unsubscribed',
    `<h1>You are unsubscribed</h1>
<p>${a} will no longer receive marketing email from us.</p>`,
  );
}

export function invalidLinkPage(): string {
  return page(
    'Link not valid',
    `<h1>This link is not valid</h1>
<p class="note">It may be incomplete or mistyped. Use the unsubscribe link in the email itself.</p>`,
  );
}
