/**
 * A small synthetic data center for tests that run a scenario many times (sweeps, Slurm jobs,
 * Kubernetes pods): 50 hosts, 120 VMs with seeded diurnal, bursty and idle-with-spikes loads,
 * CloudSim's migration model. Unlike the default scenario (a PlanetLab day, whose traces do not
 * depend on the seed), every seed gives a different run, and a run costs a fraction of a second.
 */
export const SMALL_SCENARIO_YAML: string = `# A small synthetic data center for the sweep tests (the first default scenario of \`vx run\`).
# Hosts and VM types are those of Beloglazov & Buyya (CCPE 2012) as shipped in CloudSim; the
# workloads are seeded synthetic generators, so the same seed gives the same run everywhere.
name: small
seed: 42
duration: 24h
step: 300s

hostTypes:
  # HP ProLiant ML110 G4: 2 cores x 1860 MIPS; SPECpower watts at 0 %, 10 %, ..., 100 % load.
  hp-ml110-g4:
    cores: 2
    mips: 1860
    ram: 4GiB
    nic: 1Gbps
    power: [86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117]
  # HP ProLiant ML110 G5: 2 cores x 2660 MIPS.
  hp-ml110-g5:
    cores: 2
    mips: 2660
    ram: 4GiB
    nic: 1Gbps
    power: [93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135]

hosts:
  - { type: hp-ml110-g4, count: 25 }
  - { type: hp-ml110-g5, count: 25 }

# The four VM types of CloudSim's PlanetLab experiments (Amazon EC2 instance types of 2011).
vmTypes:
  high-cpu-medium: { cores: 1, mips: 2500, ram: 870MB, nic: 100Mbps }
  extra-large: { cores: 1, mips: 2000, ram: 1740MB, nic: 100Mbps }
  small: { cores: 1, mips: 1000, ram: 1740MB, nic: 100Mbps }
  micro: { cores: 1, mips: 500, ram: 613MB, nic: 100Mbps }

vms:
  # Interactive services: a daily cycle.
  - types: [high-cpu-medium, extra-large, small, micro]
    count: 60
    workload: { kind: diurnal, mean: 40%, amplitude: 25%, period: 24h, noise: 5% }
  # Batch-like services: a base load with bursts.
  - types: [extra-large, small, micro]
    count: 40
    workload: { kind: bursty, base: 15%, peak: 85%, meanGap: 2h, meanBurst: 15min }
  # Forgotten VMs: idle, with rare spikes.
  - types: micro
    count: 20
    workload: { kind: idle-spikes, idle: 2%, spike: 60%, meanGap: 6h, spikeDuration: 5min }

network: { topology: star, latency: 100us }
policy: { overload: thr, parameter: 0.8, selection: mmt, placement: pabfd, underload: true }
migration: { model: cloudsim }
`;
