// Embedding vectors as OpenAI sends them: JSON floats, or (encoding_format "base64") the base64 of the
// vector's little-endian float32 bytes. Providers answer in either; the client gets what it asked for.

export function float32ToBase64(vector: number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  for (const [index, value] of vector.entries()) view.setFloat32(index * 4, value, true);
  const bytes = new Uint8Array(view.buffer);
  let binary = "";
  // In slices: String.fromCharCode takes its bytes as arguments, and a long vector would overflow the stack.
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return btoa(binary);
}

export function base64ToFloat32(text: string): number[] {
  const binary = atob(text);
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let index = 0; index < binary.length; index++) view.setUint8(index, binary.charCodeAt(index));
  const vector: number[] = [];
  for (let offset = 0; offset + 4 <= binary.length; offset += 4) vector.push(view.getFloat32(offset, true));
  return vector;
}

/** One vector in the client's encoding. */
export function encodeVector(vector: number[] | string, format: "float" | "base64"): number[] | string {
  if (format === "base64") return typeof vector === "string" ? vector : float32ToBase64(vector);
  return typeof vector === "string" ? base64ToFloat32(vector) : vector;
}
