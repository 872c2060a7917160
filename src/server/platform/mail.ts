import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import type { DB } from '../db/schema.js';
import { enqueueJob, type JobHandler } from './jobs.js';

/** An email to one staff member or customer, as plain text (and HTML when given). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export const MAIL_JOB = 'mail.send';

/** Mail goes out only when SMTP_URL is set. */
export const mailConfigured = (config: Config) => config.mail.smtpUrl !== undefined;

// one transport per URL: nodemailer's SMTP transport is safe to share
const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(smtpUrl);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/** Sends now, through SMTP_URL; returns the Message-ID the message was sent with. */
export async function sendMail(config: Config, message: MailMessage): Promise<{ messageId: string }> {
  if (!config.mail.smtpUrl) throw new Error('SMTP_URL is not set');
  const info = await transportFor(config.mail.smtpUrl).sendMail({ from: config.mail.from, ...message });
  return { messageId: info.messageId };
}

/** Sends a fully specified message (headers, Message-ID, both parts) through SMTP_URL. */
export async function sendMailOptions(config: Config, options: SendMailOptions): Promise<void> {
  if (!config.mail.smtpUrl) throw new Error('SMTP_URL is not set');
  await transportFor(config.mail.smtpUrl).sendMail({ from: config.mail.from, ...options });
}

// builds the exact bytes SMTP would carry, without sending them
const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

/**
 * With no SMTP configured: writes the message as an .eml file (RFC 5322, what SMTP would have
 * carried) into the outbox folder, where it can be opened in any mail client. Returns its path.
 */
export async function writeOutbox(config: Config, name: string, options: SendMailOptions): Promise<string> {
  const info = await composer.sendMail({ from: config.mail.from, ...options });
  await mkdir(config.mail.outboxDir, { recursive: true });
  const path = join(config.mail.outboxDir, `${name}.eml`);
  await writeFile(path, info.message as Buffer);
  return path;
}

/**
 * Queues an email in the caller's transaction: it is sent (with retries) only if that
 * transaction commits, and once per `dedupeKey`.
 */
export function enqueueMail(db: Kysely<DB>, message: MailMessage, dedupeKey?: string) {
  return enqueueJob(db, {
    kind: MAIL_JOB,
    payload: { ...message },
    ...(dedupeKey ? { dedupeKey: `${MAIL_JOB}:${dedupeKey}` } : {}),
    maxAttempts: 5,
  });
}

/** The queue's handler for queued mail. */
export const mailJob: JobHandler = async ({ deps, job }) => {
  const { to, subject, text, html } = job.payload as unknown as MailMessage;
  const { messageId } = await sendMail(deps.config, { to, subject, text, ...(html ? { html } : {}) });
  return { message_id: messageId };
};
