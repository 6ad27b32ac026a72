"""User-scoped reads of the projects app: the only way views fetch objects."""
