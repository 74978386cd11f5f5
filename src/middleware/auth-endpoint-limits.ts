// Per-client-IP limits of the unauthenticated account endpoints (seed 001 L4241, L4346, L4457):
// login 10 per 15 minutes, registration 3 per hour, password reset 3 per hour (one budget shared by
// requesting and completing a reset), each configurable.
import { limitPerIp } from "./ip-rate-limit";

export const registrationLimit = limitPerIp({
  name: "register",
  limit: (config) => config.REGISTER_RATE_LIMIT_PER_HOUR,
  window: "1 h",
});

export const loginLimit = limitPerIp({
  name: "login",
  limit: (config) => config.LOGIN_RATE_LIMIT_PER_15_MINUTES,
  window: "15 m",
});

/** Mount on both POST /auth/password-reset and POST /auth/reset-password: they share the budget. */
export const passwordResetLimit = limitPerIp({
  name: "password-reset",
  limit: (config) => config.PASSWORD_RESET_RATE_LIMIT_PER_HOUR,
  window: "1 h",
});
