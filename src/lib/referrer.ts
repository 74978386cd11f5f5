// Referrer rules: an API key restricted to domains accepts requests whose Referer (or Origin)
// host is one of them or a subdomain of one of them. `*.example.com` means subdomains only.

export function isValidDomainRule(rule: string): boolean {
  return /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(rule);
}

export function hostOf(headerValue: string | null | undefined): string | null {
  if (!headerValue) return null;
  try {
    return new URL(headerValue).hostname.toLowerCase();
  } catch {
    return null;
  }
}

export function referrerAllowed(host: string | null, rules: readonly string[]): boolean {
  if (rules.length === 0) return true;
  if (!host) return false;
  return rules.some((raw) => {
    const rule = raw.toLowerCase();
    if (rule.startsWith("*.")) return host.endsWith(rule.slice(1));
    return host === rule || host.endsWith(`.${rule}`);
  });
}
