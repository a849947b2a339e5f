"""The REST API root under /api/v1/: routing, schema and shared base classes."""
