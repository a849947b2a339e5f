"""Dossier statistics (thống kê hồ sơ) for any period and unit, exactly as statistics.md defines."""
