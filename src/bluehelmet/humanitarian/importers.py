"""Import kinds of this area, added to importers.registry.REGISTRY."""

HUMANITARIAN_IMPORTERS: tuple = ()
