/**
 * A real single-node Slurm cluster for tests: Debian's slurmctld, slurmd, slurm-client and munge
 * (installed with apt when missing and the test runs as root), started in a temporary folder with
 * its own slurm.conf (this host's name, cores and memory from `slurmd -C`, select/cons_tres),
 * its own munged socket and key, its own ports and cluster name, so that two copies of the suite
 * can run at once. Stopped by the pid files of the daemons it started.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PACKAGES = ["slurmctld", "slurmd", "slurm-client", "munge"];
const PROGRAMS = [
  "slurmctld",
  "slurmd",
  "sbatch",
  "squeue",
  "scancel",
  "scontrol",
  "sinfo",
  "munged",
];

function has(program: string): boolean {
  return (
    spawnSync("sh", ["-c", `command -v ${program} || test -x /usr/sbin/${program}`], {
      stdio: "ignore",
    }).status === 0
  );
}

/** Whether Slurm can run here, installing it first when possible; else why not. */
export function ensureSlurm():
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string } {
  if (PROGRAMS.every(has)) return { ok: true };
  if (process.getuid?.() !== 0) {
    return {
      ok: false,
      reason: `Slurm is not installed and this test is not root, so it cannot apt-get install ${PACKAGES.join(" ")}`,
    };
  }
  if (!has("apt-get"))
    return { ok: false, reason: "Slurm is not installed and apt-get is missing" };
  const install = (): number | null =>
    spawnSync(
      "apt-get",
      [
        "-o",
        "DPkg::Lock::Timeout=180",
        "install",
        "-y",
        "-qq",
        "--no-install-recommends",
        ...PACKAGES,
      ],
      { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } },
    ).status;
  if (install() !== 0) {
    spawnSync("apt-get", ["-o", "DPkg::Lock::Timeout=180", "update", "-qq"], { stdio: "ignore" });
    if (install() !== 0)
      return { ok: false, reason: `apt-get install ${PACKAGES.join(" ")} failed` };
  }
  return PROGRAMS.every(has)
    ? { ok: true }
    : { ok: false, reason: "Slurm's programs are missing after the install" };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` every `everyMs` until it returns a value, or throws after `limitMs` (a hang guard). */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined,
  limitMs = 600_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A running cluster. */
export interface SlurmCluster {
  readonly dir: string;
  /** Environment for Slurm's commands (SLURM_CONF). */
  readonly env: NodeJS.ProcessEnv;
  /** Runs a Slurm command, returns its stdout. */
  readonly run: (program: string, ...args: string[]) => string;
  /** The state of a job (`COMPLETED`, `CANCELLED`, …) from `scontrol show job`. */
  readonly state: (job: string) => string;
  /** Whether any of these jobs is still pending or running. */
  readonly active: (...jobs: string[]) => boolean;
  readonly stop: () => Promise<void>;
}

export async function startCluster(): Promise<SlurmCluster> {
  const dir = mkdtempSync(join(tmpdir(), "vx-slurm-"));
  chmodSync(dir, 0o755);
  const sock = join(dir, "munge");
  const keyDir = join(dir, "munge-key");
  mkdirSync(sock, { mode: 0o755 });
  mkdirSync(keyDir, { mode: 0o700 });
  for (const sub of ["state", "spool", "log"]) mkdirSync(join(dir, sub));
  const key = join(keyDir, "munge.key");
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const pids = {
    munged: join(sock, "munged.pid"),
    slurmctld: join(dir, "slurmctld.pid"),
    slurmd: join(dir, "slurmd.pid"),
  };
  execFileSync("munged", [
    "--force",
    `--socket=${join(sock, "munge.sock")}`,
    `--key-file=${key}`,
    `--pid-file=${pids.munged}`,
    `--log-file=${join(dir, "log", "munged.log")}`,
    `--seed-file=${join(keyDir, "seed")}`,
  ]);
  // This host as slurmd sees it: NodeName, CPUs, sockets, cores, threads and RealMemory.
  const node = execFileSync("slurmd", ["-C"], { encoding: "utf8" }).split("\n")[0]!.trim();
  const nodeName = /NodeName=(\S+)/.exec(node)![1]!;
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const conf = join(dir, "slurm.conf");
  writeFileSync(
    conf,
    [
      `ClusterName=vx${randomBytes(4).toString("hex")}`,
      `SlurmctldHost=${nodeName}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      "SlurmUser=root",
      "SlurmdUser=root",
      "AuthType=auth/munge",
      "CredType=cred/munge",
      `AuthInfo=socket=${join(sock, "munge.sock")}`,
      `StateSaveLocation=${join(dir, "state")}`,
      `SlurmdSpoolDir=${join(dir, "spool")}`,
      `SlurmctldPidFile=${pids.slurmctld}`,
      `SlurmdPidFile=${pids.slurmd}`,
      `SlurmctldLogFile=${join(dir, "log", "slurmctld.log")}`,
      `SlurmdLogFile=${join(dir, "log", "slurmd.log")}`,
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "JobAcctGatherType=jobacct_gather/none",
      "AccountingStorageType=accounting_storage/none",
      "MpiDefault=none",
      "SchedulerType=sched/builtin",
      "SchedulerParameters=batch_sched_delay=0",
      "SelectType=select/cons_tres",
      "SelectTypeParameters=CR_Core",
      "ReturnToService=2",
      "MinJobAge=600",
      "KillWait=5",
      `${node} NodeAddr=127.0.0.1 State=UNKNOWN`,
      `PartitionName=vx Nodes=${nodeName} Default=YES MaxTime=INFINITE State=UP`,
      "",
    ].join("\n"),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const run = (program: string, ...args: string[]): string =>
    execFileSync(program, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  run("slurmctld", "-f", conf);
  run("slurmd", "-f", conf);
  await waitFor(
    "the node to be idle",
    () => {
      try {
        return /idle/.test(run("sinfo", "-h", "-o", "%t")) ? true : undefined;
      } catch {
        return undefined;
      }
    },
    60_000,
    200,
  );
  const state = (job: string): string =>
    /JobState=(\S+)/.exec(run("scontrol", "show", "job", job))?.[1] ?? "UNKNOWN";
  const active = (...jobs: string[]): boolean =>
    run("squeue", "-h", "-j", jobs.join(",")).trim() !== "";
  const stop = async (): Promise<void> => {
    try {
      run("scancel", "--full", "-u", "root");
    } catch {
      // nothing to cancel, or the controller is gone
    }
    for (const pidFile of [pids.slurmd, pids.slurmctld, pids.munged]) {
      if (!existsSync(pidFile)) continue;
      const pid = Number(readFileSync(pidFile, "utf8").trim());
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        continue;
      }
      await waitFor(
        `${pidFile} to go`,
        () => (existsSync(pidFile) && alive(pid) ? undefined : true),
        30_000,
      );
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, env, run, state, active, stop };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (reaped late by a container's init) counts as gone.
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
