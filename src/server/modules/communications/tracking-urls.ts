import type { Config } from '../../config.js';

/**
 * The absolute base of links in outgoing mail: PUBLIC_URL, else this server's own address
 * (fine on one machine; set PUBLIC_URL wherever customers' mail clients must reach it).
 */
export function publicBase(config: Config): string {
  return (
    config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`
  ).replace(/\/$/, '');
}

/** The open pixel of an email (its tracking token). */
export const pixelUrl = (config: Config, token: string) => `${publicBase(config)}/t/o/${token}.gif`;
/** A tracked link (the link's own token). */
export const clickUrl = (config: Config, token: string) => `${publicBase(config)}/t/c/${token}`;
/** The unsubscribe page and RFC 8058 one-click target of an email (its tracking token). */
export const unsubscribeUrl = (config: Config, token: string) => `${publicBase(config)}/t/u/${token}`;
