// cheerio is loaded when the first tracked email goes out, not at start: the server's idle
// memory is what every export and request runs on top of
const loadHtml = async (html: string) => (await import('cheerio')).load(html);

const isTrackable = (href: string | undefined, ownBase: string): href is string =>
  !!href && /^https?:\/\//i.test(href.trim()) && !href.startsWith(`${ownBase}/t/`);

/**
 * The http(s) links of an HTML body in document order: a link's position in this list is its
 * number in email_links. Our own tracking and unsubscribe links are left out.
 */
export async function trackableLinks(html: string, ownBase: string): Promise<string[]> {
  const $ = await loadHtml(html);
  return $('a[href]')
    .toArray()
    .map((a) => $(a).attr('href'))
    .filter((href) => isTrackable(href, ownBase))
    .map((href) => href.trim());
}

/**
 * The HTML as sent: each trackable link replaced, by position, with its tracked URL, and the open
 * pixel appended. Positions follow trackableLinks on the same HTML.
 */
export async function withTracking(
  html: string,
  ownBase: string,
  trackedUrls: readonly string[],
  pixel: string,
): Promise<string> {
  const $ = await loadHtml(html);
  let position = 0;
  for (const a of $('a[href]').toArray()) {
    if (!isTrackable($(a).attr('href'), ownBase)) continue;
    const tracked = trackedUrls[position];
    position += 1;
    if (tracked) $(a).attr('href', tracked);
  }
  $('body').append(
    `<img src="${pixel}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`,
  );
  return $.html();
}
