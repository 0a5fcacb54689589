/**
 * Post-copy engines: plain post-copy (QEMU `postcopy-ram` started at once: free pages are sent
 * like any other, the push starts at page 0), enlightened post-copy (Abe et al., VEE 2016: the
 * guest's free pages are never sent and its working set goes first) and hybrid (Hines & Gopalan,
 * VEE 2009: pre-copy rounds with QEMU's rules, then post-copy for what is still dirty; if QEMU's
 * switch-over test passes first, it completes as pre-copy).
 *
 * @internal
 */
import { PostcopyPhase } from "./postcopy-phase.js";
import { QemuPrecopy } from "./precopy-qemu.js";
import { Session, type SessionInit } from "./session.js";

export class PostcopySession extends Session {
  private readonly phase: PostcopyPhase;

  constructor(init: SessionInit, enlightened: boolean) {
    super(init);
    this.phase = new PostcopyPhase(this, {
      skipFree: enlightened,
      hotFirst: enlightened,
      afterPrecopy: false,
    });
  }

  start(): void {
    this.point(this.plan.vm.ramBytes);
    this.phase.start();
  }

  protected override tick(): void {
    this.phase.tick();
  }

  protected transferDone(): void {
    this.phase.done();
  }

  protected override unsent(bytes: number): void {
    this.phase.unsent(bytes);
  }

  protected override currentCap(): number | undefined {
    return this.phase.cap();
  }
}

export class HybridSession extends QemuPrecopy {
  private phase: PostcopyPhase | undefined = undefined;

  protected override switchAfter(): number {
    return this.plan.hybridRounds;
  }

  protected override switchToPostcopy(): void {
    this.phase = new PostcopyPhase(this, {
      skipFree: this.plan.qemu.freePageHinting,
      hotFirst: false,
      afterPrecopy: true,
    });
    this.phase.start();
  }

  protected override tick(): void {
    if (this.phase !== undefined) this.phase.tick();
    else super.tick();
  }

  protected override transferDone(): void {
    if (this.phase !== undefined) this.phase.done();
    else super.transferDone();
  }

  protected override unsent(bytes: number): void {
    if (this.phase !== undefined) this.phase.unsent(bytes);
    else super.unsent(bytes);
  }

  protected override currentCap(): number | undefined {
    return this.phase !== undefined ? this.phase.cap() : super.currentCap();
  }
}
