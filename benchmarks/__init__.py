"""Gas benchmarks of the OPG protocol core (`make bench` = `ape run bench`).

Every figure is a receipt's `gasUsed` on a local Anvil (refunds included), measured on the suite as
`opg_client.deploy.deploy_suite` wires it. Modules:

- `config`: what to measure (provider / epoch counts) — the full run and the minimal one the tests use.
- `payloads`: job input / output bytes (a real digits sample through the shipped model; a tiny one).
- `world`: the deployed suite, role accounts, snapshots, time travel, job helpers.
- `operations`, `lifecycle`, `scaling`: the three sections of the results.
- `report`: metadata, target verdicts, `gas.json` / `gas.md` and the console table.
- `run`: runs every section and assembles the results.
"""
