"""motcua — one-stop shop (một cửa) and administrative reform (CCHC) platform for a province."""

__version__ = "0.1.0"
