"""The plan file: a YAML description of one year's plan (see docs/plan-file.md)."""
