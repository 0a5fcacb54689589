/**
 * CloudSim-compatible migration (Beloglazov & Buyya, CCPE 2012, as shipped in CloudSim's
 * `PowerVmAllocationPolicyMigrationAbstract` and CloudSim Plus): the VM moves after
 * `RAM / (50 % of the host bandwidth)` seconds; no dirty pages, no rounds, no downtime and no
 * contention between concurrent migrations (so no fluid transfer: a timer). During the migration
 * the VM loses 10 % of its CPU (charged as performance degradation due to migration, PDM).
 *
 * @internal
 */
import { Session } from "./session.js";

export class CloudSimMigration extends Session {
  private timer = -1;
  private readonly doneCb = (): void => this.done();

  start(): void {
    const c = this.plan.cloudsim;
    const ram = this.plan.vm.ramBytes;
    this.point(ram);
    if (c.cpuLoss > 0) this.setThrottle(c.cpuLoss);
    const delay = ram / (c.bandwidthShare * this.capacity());
    this.timer = this.sim.schedule(delay, this.doneCb);
  }

  private done(): void {
    this.timer = -1;
    if (this.stage === "done") return;
    const ram = this.plan.vm.ramBytes;
    this.fullBytes += ram;
    this.record("precopy", this.t0, ram, ram / this.P, 0, 0, this.work.throttle);
    this.point(0);
    if (this.plan.cloudsim.cpuLoss > 0) this.setThrottle(0);
    this.cpuReleased = this.sim.now - this.t0;
    this.memoryFreed = this.sim.now - this.t0;
    this.work.resume(this.destinationCpu);
    this.finish("completed", "the VM runs on the destination");
  }

  protected transferDone(): void {}

  protected override onStop(): void {
    if (this.timer >= 0) this.sim.cancel(this.timer);
    this.timer = -1;
    if (this.plan.cloudsim.cpuLoss > 0) this.work.setThrottle(0);
  }
}
