// The watcher's counting rules (pure): thresholds, the dates an incident carries, late ticks,
// unknown checks, flapping, and severity only ever rising while an incident is open.
import { describe, expect, it } from "vitest";
import { advance, type CheckResult, freshest, initialState, type ProbeState } from "../../src/operations/health-state";

const thresholds = { failures: 3, recoveries: 2 };
const check = (ok: boolean | null, severity: CheckResult["severity"] = "medium"): CheckResult => ({
  component: "c",
  ok,
  severity,
  error: ok ? null : "down",
  healthEndpoint: "test",
  httpStatusCode: null,
  responseBody: null,
  details: { n: 1 },
});

function run(steps: [boolean | null, number, CheckResult["severity"]?][], from: ProbeState = initialState("c")) {
  let ids = 0;
  return steps.reduce(
    (state, [ok, at, severity]) => advance(state, check(ok, severity), at, thresholds, () => `id-${++ids}`),
    from,
  );
}

describe("health watch state", () => {
  it("opens on the third failure in a row, dated from the first, and resolves on the second good check, dated from the first good one", () => {
    const twoFailures = run([
      [false, 100],
      [false, 200],
    ]);
    expect(twoFailures.incident).toBeNull();
    const opened = run([[false, 300]], twoFailures);
    expect(opened.incident).toMatchObject({
      id: "id-1",
      startedAt: 100,
      detectedAt: 300,
      endedAt: null,
      persisted: false,
    });
    const oneGood = run([[true, 400]], opened);
    expect(oneGood.incident?.endedAt).toBeNull();
    const recovered = run([[true, 500]], oneGood);
    expect(recovered.incident).toMatchObject({ id: "id-1", startedAt: 100, endedAt: 400 });
    expect(recovered).toMatchObject({
      consecutiveSuccesses: 2,
      consecutiveFailures: 0,
      failingSince: null,
      recoveringSince: 400,
    });
  });

  it("ignores late or repeated ticks and checks that could not tell", () => {
    const state = run([
      [false, 100],
      [false, 200],
    ]);
    expect(run([[false, 200]], state)).toBe(state);
    expect(run([[false, 150]], state)).toBe(state);
    expect(run([[null, 300]], state)).toBe(state);
  });

  it("starts a new failure run after a good check (flapping never adds up to an incident)", () => {
    const state = run([
      [false, 100],
      [false, 200],
      [true, 300],
      [false, 400],
      [false, 500],
    ]);
    expect(state).toMatchObject({ consecutiveFailures: 2, failingSince: 400, incident: null });
  });

  it("raises an open incident's severity when the outage broadens, never lowers it", () => {
    const opened = run([
      [false, 100, "medium"],
      [false, 200, "medium"],
      [false, 300, "medium"],
    ]);
    const raised = run([[false, 400, "high"]], {
      ...opened,
      incident: opened.incident && { ...opened.incident, persisted: true },
    });
    expect(raised.incident).toMatchObject({ severity: "high", persisted: false });
    const kept = run([[false, 500, "medium"]], raised);
    expect(kept.incident?.severity).toBe("high");
  });

  it("a copy without recoveringSince (read from Postgres) takes its last good check as the end", () => {
    const opened = run([
      [false, 100],
      [false, 200],
      [false, 300],
      [true, 400],
    ]);
    const fromPostgres = { ...opened, recoveringSince: null };
    expect(run([[true, 500]], fromPostgres).incident?.endedAt).toBe(400);
  });

  it("prefers the copy checked last, and on a tie the first one given", () => {
    const older = { ...initialState("c"), lastCheckedAt: 100 };
    const newer = { ...initialState("c"), lastCheckedAt: 200 };
    const tie = { ...initialState("c"), lastCheckedAt: 200, consecutiveFailures: 7 };
    expect(freshest([older, newer])).toBe(newer);
    expect(freshest([undefined, tie, newer])).toBe(tie);
    expect(freshest([undefined])).toBeUndefined();
  });
});
