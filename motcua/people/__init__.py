"""People (người dùng), their roles in units, the permission policy and the scoping path."""
