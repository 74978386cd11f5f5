// Outgoing email through the HTTP API of a Resend-compatible service (EMAIL_API_URL + EMAIL_API_KEY).
import type { Config } from "../env";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface EmailSender {
  send(email: OutgoingEmail): Promise<void>;
}

export class EmailNotConfiguredError extends Error {
  constructor() {
    super("EMAIL_API_KEY is not set: no email can be sent");
    this.name = "EmailNotConfiguredError";
  }
}

/**
 * The HTTP sender; in development without EMAIL_API_KEY, the console (so `npm run dev` can recover
 * an account without an email account). Anywhere else a missing key fails the send, loudly.
 */
export function emailSenderFor(config: Config): EmailSender {
  if (!config.EMAIL_API_KEY && config.ENVIRONMENT === "development") {
    return {
      async send(email) {
        console.log(
          JSON.stringify({
            msg: "email (development: not sent)",
            to: email.to,
            subject: email.subject,
            text: email.text,
          }),
        );
      },
    };
  }
  return httpEmailSender(config);
}

export function httpEmailSender(config: Config): EmailSender {
  return {
    async send(email) {
      if (!config.EMAIL_API_KEY) throw new EmailNotConfiguredError();
      const response = await fetch(config.EMAIL_API_URL, {
        method: "POST",
        headers: { authorization: `Bearer ${config.EMAIL_API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({
          from: config.EMAIL_FROM,
          to: [email.to],
          subject: email.subject,
          text: email.text,
          html: email.html,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        const detail = (await response.text()).slice(0, 300);
        throw new Error(`email API answered ${response.status}: ${detail}`);
      }
    },
  };
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export function accountRecoveryEmail(to: string, link: string, validMinutes: number): OutgoingEmail {
  return {
    to,
    subject: "Recover your Edge LLM Gateway account",
    text:
      `Someone asked to recover the account for ${to}.\n\n` +
      `Open this link within ${validMinutes} minutes to get a new primary API key (the old one stops working):\n${link}\n\n` +
      "If this was not you, ignore this email; nothing changes.",
    html:
      `<p>Someone asked to recover the account for ${escapeHtml(to)}.</p>` +
      `<p>Open <a href="${escapeHtml(link)}">this link</a> within ${validMinutes} minutes to get a new primary API key ` +
      "(the old one stops working).</p><p>If this was not you, ignore this email; nothing changes.</p>",
  };
}
