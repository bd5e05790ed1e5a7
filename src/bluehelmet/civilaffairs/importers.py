"""Import kinds of this area, added to importers.registry.REGISTRY."""

CIVILAFFAIRS_IMPORTERS: tuple = ()
