// Email quality rules for signups: blocked domains are refused; throwaway-address domains are
// accepted but the account is marked `bot` (seed 001 L4297-4303).

/** A conservative built-in list; DISPOSABLE_EMAIL_DOMAINS adds more. */
const builtInDisposableDomains = [
  "10minutemail.com",
  "burnermail.io",
  "discard.email",
  "dispostable.com",
  "emailondeck.com",
  "fakeinbox.com",
  "getnada.com",
  "guerrillamail.com",
  "guerrillamail.net",
  "mailinator.com",
  "maildrop.cc",
  "mintemail.com",
  "mohmal.com",
  "sharklasers.com",
  "temp-mail.org",
  "tempmail.com",
  "throwawaymail.com",
  "trashmail.com",
  "yopmail.com",
];

function domainMatches(domain: string, list: readonly string[]): boolean {
  return list.some((entry) => domain === entry || domain.endsWith(`.${entry}`));
}

export type EmailVerdict = "ok" | "disposable" | "blocked";

export function classifyEmail(
  email: string,
  extra: { disposable: readonly string[]; blocked: readonly string[] },
): EmailVerdict {
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  if (domainMatches(domain, extra.blocked)) return "blocked";
  if (domainMatches(domain, builtInDisposableDomains) || domainMatches(domain, extra.disposable)) return "disposable";
  return "ok";
}
