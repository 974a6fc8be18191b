"""Benchmarks and quality measures (`python -m bench <subcommand>`)."""
