"""Dossiers (hồ sơ TTHC): receipt, processing across units, the legal clock, results."""
