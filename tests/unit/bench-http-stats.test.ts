import { describe, expect, it } from "vitest";
import { percentile, summarize } from "../../scripts/bench/http-stats";

describe("bench:http statistics", () => {
  it("takes nearest-rank percentiles", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.95)).toBe(95);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 1)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
    // 30 sequential requests: p95 is the 29th fastest, not the slowest.
    const thirty = Array.from({ length: 30 }, (_, i) => (i + 1) * 10);
    expect(percentile(thirty, 0.95)).toBe(290);
    expect(percentile([], 0.5)).toBeNaN();
    expect(() => percentile(hundred, 95)).toThrow(RangeError);
  });

  it("summarizes unsorted times without reordering the input", () => {
    const times = [40, 10, 30, 20];
    const s = summarize(times);
    expect(s).toEqual({ count: 4, p50: 20, p95: 40, p99: 40, max: 40, mean: 25 });
    expect(times).toEqual([40, 10, 30, 20]);
  });
});
