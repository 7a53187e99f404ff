"""Batch Merkle settlement gas (`ape run bench --batch`): amortized gas per job at 16 / 64 / 256 jobs per
batch beside the single-job optimistic lifecycle; writes benchmarks/results/batch.json and batch.md."""
