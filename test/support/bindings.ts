// Worker settings for the test run (the stack adds DATABASE_URL, the bridges and the stub).
export const TEST_ADMIN_API_KEY = "test-admin-key-0123456789";

export const testBindings: Record<string, string> = {
  ENVIRONMENT: "test",
  ADMIN_API_KEY: TEST_ADMIN_API_KEY,
  // Short so the revocation-propagation test waits one second, not thirty.
  AUTH_CACHE_TTL_SECONDS: "1",
  AUTH_NEGATIVE_CACHE_TTL_SECONDS: "1",
  REGISTER_RATE_LIMIT_PER_HOUR: "3",
  MAX_API_KEYS_PER_USER: "4",
  BLOCKED_EMAIL_DOMAINS: "blocked.example",
  DISPOSABLE_EMAIL_DOMAINS: "throwaway.example",
  // Breakers recover in 1 s (doubling) so the half-open path is testable.
  BREAKER_COOLDOWN_SECONDS: "1",
};
