/**
 * The text of the embedded default scenario (browser-safe).
 *
 * @module
 */

/**
 * The default scenario as YAML: one real day of a data center. The PlanetLab day 2011-03-03 of
 * Beloglazov & Buyya (CCPE 2012), 1052 VMs with the CoMon CPU traces CloudSim ships (packaged in
 * `@vx/traces-planetlab`, so it runs on any machine), on CloudSim's 800 hosts (half HP ProLiant
 * ML110 G4, half G5, with their SPECpower tables) and four VM types, THR 0.8 + MMT consolidation
 * every 300 s for 24 h, and real pre-copy live migrations (`@vx/migration`, QEMU's rules) that
 * share a star network of 1 Gbit/s NICs. Its report has SLA violations, migrations and energy
 * that differ between consolidation policies (`vx sweep --param policy=thr,mad,lr`).
 *
 * Use it for `vx run --print-default`, or as a starting point for a scenario of your own.
 */
export const DEFAULT_SCENARIO_YAML: string = `# The default scenario of \`vx run\`: one real day of a data center. The PlanetLab day
# 2011-03-03 (1052 VMs, CoMon CPU traces as CloudSim ships them, packaged in @vx/traces-planetlab)
# on the 800 hosts and the VM types of Beloglazov & Buyya (CCPE 2012), THR 0.8 + MMT consolidation
# every 300 s, and real pre-copy live migrations (QEMU's rules) sharing a star network.
name: default
seed: 42
duration: 24h
step: 300s

hostTypes:
  # CloudSim's Constants.java: 2 cores, 4096 MB (decimal, as CloudSim counts), 1 Gbit/s.
  # HP ProLiant ML110 G4 (Xeon 3040): SPECpower watts at 0 %, 10 %, ..., 100 % load.
  hp-ml110-g4:
    cores: 2
    mips: 1860
    ram: 4096MB
    nic: 1Gbps
    power: [86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117]
  # HP ProLiant ML110 G5 (Xeon 3075).
  hp-ml110-g5:
    cores: 2
    mips: 2660
    ram: 4096MB
    nic: 1Gbps
    power: [93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135]

hosts:
  - { type: hp-ml110-g4, count: 400 }
  - { type: hp-ml110-g5, count: 400 }

# The four VM types of CloudSim's PlanetLab experiments (Amazon EC2 instance types of 2011).
vmTypes:
  high-cpu-medium: { cores: 1, mips: 2500, ram: 870MB, nic: 100Mbps }
  extra-large: { cores: 1, mips: 2000, ram: 1740MB, nic: 100Mbps }
  small: { cores: 1, mips: 1000, ram: 1740MB, nic: 100Mbps }
  micro: { cores: 1, mips: 500, ram: 613MB, nic: 100Mbps }

vms:
  # One VM per trace of the day (all 1052), the types assigned by blocks in this order.
  - types: [high-cpu-medium, extra-large, small, micro]
    workload: { kind: planetlab, day: 20110303 }

network: { topology: star, latency: 100us }
policy: { overload: thr, parameter: 0.8, selection: mmt, placement: pabfd, underload: true }
# Each migration is a pre-copy session (rounds of dirty pages, QEMU's switch-over test) whose
# transfers share the hosts' NICs with the other migrations.
migration: { model: precopy }
# Memory overcommitted as in CloudSim and Beloglazov & Buyya's experiments: a VM's RAM counts
# only when it is created, so CPU (not the 4 GB of RAM) bounds consolidation and the policies
# decide differently. Remove this for VMs that hold their RAM wherever they run: memory then
# bounds consolidation and every overload detector makes the same decisions.
cloudsim: { quirks: { memoryOnlyAtCreation: true } }
`;
