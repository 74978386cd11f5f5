/** The Messages API version every request pins. */
export const anthropicVersion = "2023-06-01";
