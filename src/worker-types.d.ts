// Tells the Workers types what the main module exports (ctx.exports / `exports` from cloudflare:workers).
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index");
  }
}
