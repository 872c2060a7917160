import { isIPv4, isIPv6 } from 'node:net';

/**
 * User agents of link scanners and prefetching proxies: security gateways that follow every
 * link before the reader sees the mail, and bots. Gmail's and Yahoo's image proxies are NOT here:
 * they fetch the pixel when the reader opens the mail, so their opens are human.
 */
const SCANNER_AGENTS =
  /(barracuda|mimecast|proofpoint|urldefense|safelinks|symantec|messagelabs|trend ?micro|fireeye|forcepoint|sophos|cisco|ironport|zscaler|bingpreview|slurp|bot\b|bot\/|crawler|spider|python-requests|python-urllib|curl\/|wget\/|go-http-client|java\/|okhttp|headlesschrome|phantomjs|facebookexternalhit|linkedinbot|slackbot|preview)/i;

/**
 * Why this user agent is a machine, or null. Apple Mail Privacy Protection prefetches every
 * pixel with the bare agent "Mozilla/5.0"; a missing agent is no browser at all.
 */
export function machineAgentReason(userAgent: string | null | undefined): string | null {
  const ua = userAgent?.trim() ?? '';
  if (ua === '') return 'no_agent';
  if (ua === 'Mozilla/5.0') return 'privacy_proxy';
  if (SCANNER_AGENTS.test(ua)) return 'known_agent';
  return null;
}

/** The network, not the person: IPv4 to its /24, IPv6 to its /48. Anything else is dropped. */
export function truncateIp(ip: string): string | null {
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0`;
  if (isIPv6(ip)) {
    const [head = ''] = ip.split('::');
    const groups = ip.includes('::') ? head.split(':').filter(Boolean) : ip.split(':');
    const first = [...groups, '0', '0', '0'].slice(0, 3).map((g) => g.toLowerCase());
    return `${first.join(':')}::`;
  }
  return null;
}
