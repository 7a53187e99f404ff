"""Fraud-proof bench (`ape run bench --fraud`): gas of one-layer re-execution and of real challenge
transactions through the escrow and OptimisticLayerVerifier. Writes results/fraud.json and fraud.md."""
