"""REST endpoints of this area."""


def register(router) -> None:
    pass
