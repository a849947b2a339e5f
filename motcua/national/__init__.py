"""Synchronisation of dossier states to the national portal — đồng bộ Cổng DVC quốc gia."""
