"""Simulation benchmarks (`ape run bench --sim`): wall time of `opg simulate`'s default scenario and of a
larger one, determinism by seed, and the gas per step / per job lifecycle the agents paid on the fork."""
