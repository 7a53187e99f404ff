"""TEE bench: gas of a TEE settlement (the submitResult that settles at once) beside the optimistic lifecycle,
and of the attestation registry's operations. `ape run bench --tee` -> benchmarks/results/tee.{json,md}."""
