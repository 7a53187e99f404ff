"""OPG Protocol Python client: contract wrappers, deterministic inference runtime, provider node, CLI."""

__version__ = "0.1.0"
