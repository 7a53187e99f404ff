"""ZK-mode bench: gas of a ZK settlement (submitResult verifying an EZKL proof) and proving time per model
(setup, witness, prove, verify seconds). `ape run bench --zk`; results in benchmarks/results/zk.{json,md}."""
