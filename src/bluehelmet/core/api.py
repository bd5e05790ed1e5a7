"""REST endpoints (filled in by the API work)."""


def register(router) -> None:
    pass
