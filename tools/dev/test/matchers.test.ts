import { describe, expect, it } from "vitest";
import { isVxError, vxErrorOf } from "../src/matchers.js";

/** An error shaped and branded as @vx/core's VxError (this package does not import core). */
class FakeVxError extends Error {
  readonly code = "VX_TEST_BAD";
  readonly path = ["a", 0];
  readonly issues = [{ code: "VX_TEST_BAD", message: "bad", path: ["a", 0] }];
  constructor() {
    super("bad");
    Object.defineProperty(this, Symbol.for("vx.error"), { value: true });
  }
}

const fail = (): never => {
  throw new FakeVxError();
};

describe("toThrowVx", () => {
  it("passes on a VxError with the code and path asked for", () => {
    expect(fail).toThrowVx();
    expect(fail).toThrowVx("VX_TEST_BAD");
    expect(fail).toThrowVx("VX_TEST_BAD", ["a", 0]);
    expect(fail).not.toThrowVx("VX_TEST_OTHER");
    expect(() => 1).not.toThrowVx();
  });

  it("fails on another code or path, a plain error, or nothing thrown, saying what was thrown", () => {
    expect(() => expect(fail).toThrowVx("VX_TEST_OTHER")).toThrow(
      'expected a VxError VX_TEST_OTHER, got VX_TEST_BAD at ["a",0]: bad',
    );
    expect(() => expect(fail).toThrowVx("VX_TEST_BAD", ["a", 1])).toThrow(/at \["a",1\]/);
    expect(() =>
      expect(() => {
        throw new TypeError("boom");
      }).toThrowVx(),
    ).toThrow("expected a VxError, got TypeError: boom");
    expect(() => expect(() => 1).toThrowVx()).toThrow("nothing was thrown");
  });

  it("vxErrorOf returns the VxError for a test to inspect, and refuses anything else", () => {
    expect(vxErrorOf(fail).path).toEqual(["a", 0]);
    expect(isVxError(new FakeVxError())).toBe(true);
    expect(isVxError(new Error("x"))).toBe(false);
    expect(() => vxErrorOf(() => 1)).toThrow("nothing was thrown");
    expect(() =>
      vxErrorOf(() => {
        throw new Error("plain");
      }),
    ).toThrow("expected a VxError, got Error: plain");
  });
});
