import { vxErrorOf } from "@vx/dev/matchers";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { VxError } from "../src/errors.js";
import {
  bytesSchema,
  durationSchema,
  issuesFromZod,
  parseWith,
  percentSchema,
  rateSchema,
} from "../src/schema.js";

const Host = z.strictObject({
  name: z.string(),
  ram: bytesSchema({ min: "1GiB" }),
  nic: rateSchema({ allowZero: false }),
  disks: z.array(z.strictObject({ size: bytesSchema() })).optional(),
});
const Scenario = z.strictObject({
  hosts: z.array(Host).min(1),
  strategy: z.enum(["precopy", "postcopy"]),
  dirtyRate: percentSchema({ max: "100%" }),
  timeout: durationSchema().default(60),
});

const good = {
  hosts: [
    { name: "a", ram: "64GiB", nic: "10Gbps", disks: [{ size: "1TB" }, { size: 4096 }] },
    { name: "b", ram: 2 ** 34, nic: 1.25e9 },
  ],
  strategy: "precopy",
  dirtyRate: "5%",
  timeout: "300ms",
};

describe("parseWith", () => {
  it("returns the typed output, with unit strings converted to base units", () => {
    const out = parseWith(Scenario, good);
    expectTypeOf(out.hosts[0]!.ram).toEqualTypeOf<number>();
    expectTypeOf(out.strategy).toEqualTypeOf<"precopy" | "postcopy">();
    expect(out).toEqual({
      hosts: [
        { name: "a", ram: 68_719_476_736, nic: 1.25e9, disks: [{ size: 1e12 }, { size: 4096 }] },
        { name: "b", ram: 17_179_869_184, nic: 1.25e9 },
      ],
      strategy: "precopy",
      dirtyRate: 0.05,
      timeout: 0.3,
    });
  });

  it("applies defaults", () => {
    const { timeout: _, ...withoutTimeout } = good;
    expect(parseWith(Scenario, withoutTimeout).timeout).toBe(60);
  });

  it("reports every problem at once, each with its exact path and code", () => {
    const input = {
      hosts: [
        { name: "a", ram: "64GiB", nic: "10Gbps" },
        { name: 7, ram: -5, nic: "10Gbps", colour: "red" },
        { name: "c", ram: "64 GiBs", nic: 0, disks: [{ size: "1TB" }, { size: "10Gbps" }] },
      ],
      strategy: "pre",
      dirtyRate: "150%",
    };
    const error = vxErrorOf(() => parseWith(Scenario, input, { what: "scenario" }));
    expect(error.code).toBe("VX_CORE_INVALID_OPTIONS");
    expect(error.path).toEqual(["hosts", 1, "name"]);
    expect(error.issues.map((i) => [i.code, i.path])).toEqual([
      ["VX_SCHEMA_INVALID_TYPE", ["hosts", 1, "name"]],
      ["VX_CORE_BAD_VALUE", ["hosts", 1, "ram"]],
      ["VX_SCHEMA_UNKNOWN_KEY", ["hosts", 1, "colour"]],
      ["VX_CORE_BAD_UNIT", ["hosts", 2, "ram"]],
      ["VX_SCHEMA_OUT_OF_RANGE", ["hosts", 2, "nic"]],
      ["VX_CORE_BAD_UNIT", ["hosts", 2, "disks", 1, "size"]],
      ["VX_SCHEMA_INVALID_VALUE", ["strategy"]],
      ["VX_SCHEMA_OUT_OF_RANGE", ["dirtyRate"]],
    ]);
    expect(error.issues.map((i) => i.message)).toEqual([
      "expected a string, got number",
      '-5 is negative; a size must be a finite number ≥ 0 (bytes) or a string such as "64GiB".',
      'unknown key "colour"; remove it or check its spelling',
      'Cannot read "64 GiBs" as a size. Use a number and a unit: B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB (e.g. "64GiB").',
      "expected a rate > 0, got 0 (0 bit/s)",
      '"10Gbps" is a rate, not a size. Use a number and a unit: B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB (e.g. "64GiB").',
      'expected one of "precopy", "postcopy", got "pre"',
      'expected a percentage ≤ 100%, got "150%"',
    ]);
  });

  it("counts the problems and lists each as `path: message` on its own line", () => {
    const Options = z.strictObject({
      ramBytes: z.number().min(1),
      strategy: z.enum(["precopy", "postcopy"]),
    });
    const error = vxErrorOf(() =>
      parseWith(Options, { ramBytes: -5, strategy: "pre" }, { what: "migration options" }),
    );
    expect(error.message).toBe(
      'Invalid migration options (2 problems):\n  ramBytes: expected a number ≥ 1, got -5\n  strategy: expected one of "precopy", "postcopy", got "pre"',
    );
    const one = vxErrorOf(() => parseWith(Options, { ramBytes: 1, strategy: 3 }));
    expect(one.message).toBe(
      'Invalid input (1 problem):\n  strategy: expected one of "precopy", "postcopy", got 3',
    );
  });

  it("prefixes every path with options.path and uses options.code", () => {
    const error = vxErrorOf(() =>
      parseWith(
        z.strictObject({ ram: bytesSchema() }),
        { ram: "lots", x: 1 },
        {
          code: "VX_SIM_BAD_SCENARIO",
          path: ["hosts", 3],
        },
      ),
    );
    expect(error.code).toBe("VX_SIM_BAD_SCENARIO");
    expect(error.path).toEqual(["hosts", 3, "ram"]);
    expect(error.issues.map((i) => i.path)).toEqual([
      ["hosts", 3, "ram"],
      ["hosts", 3, "x"],
    ]);
    expect(error.message).toContain('\n  hosts[3].ram: Cannot read "lots" as a size.');
    expect(error.message).toContain('\n  hosts[3].x: unknown key "x"');
  });

  it("says a missing field is missing", () => {
    const error = vxErrorOf(() => parseWith(Scenario, { hosts: [{ name: "a", nic: "1Gbps" }] }));
    expect(error.issues).toEqual([
      {
        code: "VX_SCHEMA_INVALID_TYPE",
        message: "expected a number or a string, but it is missing",
        path: ["hosts", 0, "ram"],
      },
      {
        code: "VX_SCHEMA_INVALID_VALUE",
        message: 'expected one of "precopy", "postcopy", but it is missing',
        path: ["strategy"],
      },
      {
        code: "VX_SCHEMA_INVALID_TYPE",
        message: "expected a number or a string, but it is missing",
        path: ["dirtyRate"],
      },
    ]);
  });

  it("describes range problems of integers, strings and arrays", () => {
    const S = z.strictObject({
      count: z.int().positive(),
      ratio: z.number().max(1),
      id: z.string().min(3),
      hosts: z.array(z.string()).min(1),
    });
    const error = vxErrorOf(() => parseWith(S, { count: 0, ratio: 2, id: "ab", hosts: [] }));
    expect(error.issues).toEqual([
      { code: "VX_SCHEMA_OUT_OF_RANGE", message: "expected a number > 0, got 0", path: ["count"] },
      { code: "VX_SCHEMA_OUT_OF_RANGE", message: "expected a number ≤ 1, got 2", path: ["ratio"] },
      {
        code: "VX_SCHEMA_OUT_OF_RANGE",
        message: 'expected a string of at least 3 characters, got "ab"',
        path: ["id"],
      },
      {
        code: "VX_SCHEMA_OUT_OF_RANGE",
        message: "expected at least 1 item, got 0",
        path: ["hosts"],
      },
    ]);
    const notInt = vxErrorOf(() => parseWith(S, { count: 1.5, ratio: 0, id: "abc", hosts: ["a"] }));
    expect(notInt.issues[0]!.message).toBe("expected an integer, got 1.5");
  });

  it("reports a union that rejects the type as one issue listing the accepted forms", () => {
    const S = z.object({ cpus: z.union([z.number(), z.literal("auto")]) });
    const error = vxErrorOf(() => parseWith(S, { cpus: true }));
    expect(error.issues).toEqual([
      {
        code: "VX_SCHEMA_INVALID_TYPE",
        message: 'expected a number or "auto", got boolean',
        path: ["cpus"],
      },
    ]);
    const literals = vxErrorOf(() => parseWith(z.union([z.literal("a"), z.literal("b")]), "c"));
    expect(literals.issues).toEqual([
      { code: "VX_SCHEMA_INVALID_VALUE", message: 'expected "a" or "b", got "c"', path: [] },
    ]);
  });

  it("reports a union whose value has the shape of a branch by that branch's issues", () => {
    const S = z.union([z.object({ size: z.number() }), z.array(z.number())]);
    const error = vxErrorOf(() => parseWith(S, [1, "x"]));
    expect(error.issues).toEqual([
      { code: "VX_SCHEMA_INVALID_TYPE", message: "expected a number, got string", path: [1] },
    ]);
  });

  it("reports an unknown discriminator with the allowed tags", () => {
    const S = z.object({
      link: z.discriminatedUnion("type", [
        z.object({ type: z.literal("ethernet"), rate: rateSchema() }),
        z.object({ type: z.literal("infiniband") }),
      ]),
    });
    const error = vxErrorOf(() => parseWith(S, { link: { type: "wifi" } }));
    expect(error.issues).toEqual([
      {
        code: "VX_SCHEMA_INVALID_VALUE",
        message: 'expected one of "ethernet", "infiniband", got "wifi"',
        path: ["link", "type"],
      },
    ]);
    const inner = vxErrorOf(() => parseWith(S, { link: { type: "ethernet", rate: "fast" } }));
    expect(inner.issues[0]!.code).toBe("VX_CORE_BAD_UNIT");
    expect(inner.issues[0]!.path).toEqual(["link", "rate"]);
  });

  it("prefixes issues of record keys with the key's path", () => {
    const S = z.record(z.string().min(3), z.number());
    const error = vxErrorOf(() => parseWith(S, { ab: 1 }));
    expect(error.issues).toEqual([
      {
        code: "VX_SCHEMA_OUT_OF_RANGE",
        message: 'invalid key: expected a string of at least 3 characters, got "ab"',
        path: ["ab"],
      },
    ]);
  });

  it("gives string-format and custom issues the fallback code unless they carry a vxCode", () => {
    const S = z.object({
      id: z.string().regex(/^h\d+$/),
      n: z.number().refine((n) => n % 2 === 0, "must be even"),
      m: z.number().refine((n) => n < 10, { message: "too many", params: { vxCode: "VX_X_MANY" } }),
    });
    const error = vxErrorOf(() => parseWith(S, { id: "x", n: 3, m: 11 }));
    expect(error.issues).toEqual([
      {
        code: "VX_SCHEMA_INVALID",
        message: 'expected a string matching /^h\\d+$/, got "x"',
        path: ["id"],
      },
      { code: "VX_SCHEMA_INVALID", message: "must be even", path: ["n"] },
      { code: "VX_X_MANY", message: "too many", path: ["m"] },
    ]);
  });

  it("throws a VxError recognised by VxError.isInstance", () => {
    let caught: unknown;
    try {
      parseWith(Scenario, {});
    } catch (error) {
      caught = error;
    }
    expect(VxError.isInstance(caught)).toBe(true);
    expect(caught).toBeInstanceOf(Error);
  });
});

describe("issuesFromZod", () => {
  it("converts each zod issue, one issue per unknown key, with the fallback code", () => {
    const S = z.strictObject({ n: z.number(), kind: z.enum(["a", "b"]), s: z.email() });
    const result = S.safeParse({ n: "1", kind: "c", s: "x", p: 1, q: 2 }, { reportInput: true });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(issuesFromZod(result.error, "VX_TEST")).toEqual([
      { code: "VX_SCHEMA_INVALID_TYPE", message: "expected a number, got string", path: ["n"] },
      {
        code: "VX_SCHEMA_INVALID_VALUE",
        message: 'expected one of "a", "b", got "c"',
        path: ["kind"],
      },
      { code: "VX_TEST", message: 'expected a valid email, got "x"', path: ["s"] },
      {
        code: "VX_SCHEMA_UNKNOWN_KEY",
        message: 'unknown key "p"; remove it or check its spelling',
        path: ["p"],
      },
      {
        code: "VX_SCHEMA_UNKNOWN_KEY",
        message: 'unknown key "q"; remove it or check its spelling',
        path: ["q"],
      },
    ]);
  });

  it("omits the 'got' part when zod did not report the input", () => {
    const result = z.object({ n: z.number() }).safeParse({ n: "1" });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(issuesFromZod(result.error)).toEqual([
      { code: "VX_SCHEMA_INVALID_TYPE", message: "expected a number", path: ["n"] },
    ]);
  });
});

describe("quantity schemas", () => {
  it("accept numbers in base units and unit strings, and output numbers", () => {
    expect(bytesSchema().parse("64GiB")).toBe(68_719_476_736);
    expect(bytesSchema().parse(4096)).toBe(4096);
    expect(rateSchema().parse("10Gbps")).toBe(1.25e9);
    expect(durationSchema().parse("1.5 h")).toBe(5400);
    expect(percentSchema().parse("150%")).toBe(1.5);
    expectTypeOf(bytesSchema().parse).returns.toEqualTypeOf<number>();
  });

  it("carry the parser's code and message in the zod issue", () => {
    const result = bytesSchema().safeParse("10Gbps");
    expect(result.success).toBe(false);
    if (result.success) return;
    const [issue] = result.error.issues;
    expect(issue).toMatchObject({ code: "custom", params: { vxCode: "VX_CORE_BAD_UNIT" } });
    expect(issue!.message).toContain('"10Gbps" is a rate, not a size');
  });

  it("reject values outside min/max and zero when allowZero is false", () => {
    const ram = bytesSchema({ min: "1GiB", max: "1TiB" });
    expect(ram.parse("1GiB")).toBe(2 ** 30);
    expect(ram.parse("1TiB")).toBe(2 ** 40);
    const low = vxErrorOf(() => parseWith(ram, 2 ** 29));
    expect(low.issues).toEqual([
      {
        code: "VX_SCHEMA_OUT_OF_RANGE",
        message: "expected a size ≥ 1 GiB, got 536870912 (512 MiB)",
        path: [],
      },
    ]);
    expect(vxErrorOf(() => parseWith(ram, "2TiB")).issues[0]!.message).toBe(
      'expected a size ≤ 1 TiB, got "2TiB"',
    );
    expect(rateSchema().parse(0)).toBe(0);
    expect(vxErrorOf(() => parseWith(rateSchema({ allowZero: false }), "0Gbps")).issues[0]).toEqual(
      {
        code: "VX_SCHEMA_OUT_OF_RANGE",
        message: 'expected a rate > 0, got "0Gbps"',
        path: [],
      },
    );
  });

  it("reject values that are neither numbers nor strings, NaN included, as a type problem", () => {
    for (const input of [true, null, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = vxErrorOf(() => parseWith(durationSchema(), input));
      expect(error.issues[0]!.code).toBe("VX_SCHEMA_INVALID_TYPE");
      expect(error.issues[0]!.message).toMatch(/^expected a number or a string, got /);
    }
  });

  it("reject bad options when the schema is built", () => {
    const badMin = vxErrorOf(() => bytesSchema({ min: "1Gbps" }));
    expect(badMin.code).toBe("VX_CORE_BAD_UNIT");
    expect(badMin.path).toEqual(["min"]);
    const swapped = vxErrorOf(() => durationSchema({ min: "2h", max: "1h" }));
    expect(swapped.code).toBe("VX_CORE_INVALID_ARGUMENT");
    expect(swapped.message).toContain("min (2 h) is above max (1 h)");
  });

  it("describe their input as number or string in JSON Schema", () => {
    expect(z.toJSONSchema(bytesSchema(), { io: "input" })).toMatchObject({
      type: ["number", "string"],
    });
  });
});
