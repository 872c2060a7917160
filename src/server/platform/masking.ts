/** Personal data shown to people without the `customers:pii` permission. */
export function maskEmail(email: string | null): string | null {
  if (!email) return email;
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const digits = phone.replace(/\D/g, '');
  return `***${digits.slice(-2)}`;
}

export function maskText(value: string | null): string | null {
  return value ? '***' : value;
}
