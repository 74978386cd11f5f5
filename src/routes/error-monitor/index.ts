import { createRouter } from "../router";

// Placeholder: the routes of this area are being built.
export const errorMonitorRoutes = createRouter();
