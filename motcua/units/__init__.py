"""Units (đơn vị): the versioned organisation tree of a province."""
