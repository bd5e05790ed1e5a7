"""The layers hold (docs/architecture.md, docs/adr/0001-layers.md): the import contract in
pyproject.toml passes, with no exception, and names every part of the package."""

import tomllib
from pathlib import Path

from importlinter.application.use_cases import lint_imports
from importlinter.configuration import configure

import bluehelmet

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
PACKAGE = Path(bluehelmet.__file__).resolve().parent


def contract_config() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]


def layered_modules(config: dict) -> set[str]:
    """Every module named in a layer (siblings split on "|" or ":")."""
    [layers] = [contract["layers"] for contract in config["contracts"] if contract["type"] == "layers"]
    return {name.strip() for layer in layers for name in layer.replace(":", "|").split("|")}


def package_parts() -> set[str]:
    """The apps (sub-packages) and top-level modules of bluehelmet, except its __init__."""
    apps = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    modules = {path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    return {f"bluehelmet.{name}" for name in apps | modules}


def test_the_import_contracts_are_kept(capsys):
    configure()  # what the lint-imports command does first
    kept = lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)
    report = capsys.readouterr().out
    assert kept, f"a wrong-way import (see docs/architecture.md):\n{report}"


def test_the_contracts_allow_no_exception():
    for contract in contract_config()["contracts"]:
        assert not contract.get("ignore_imports"), f"{contract['id']} lists exceptions: move the code instead"
        assert not contract.get("unmatched_ignore_imports_alerting")


def test_every_app_is_in_a_layer():
    missing = package_parts() - layered_modules(contract_config())
    assert not missing, f"put {sorted(missing)} in a layer of [tool.importlinter] in pyproject.toml"


def test_every_layer_names_a_real_module():
    unknown = layered_modules(contract_config()) - package_parts()
    assert not unknown, f"layers name modules that do not exist: {sorted(unknown)}"


def test_analytics_may_not_import_django():
    [contract] = [c for c in contract_config()["contracts"] if c["id"] == "analytics-pure"]
    assert contract["source_modules"] == ["bluehelmet.analytics"]
    assert {"django", "rest_framework", "celery"} <= set(contract["forbidden_modules"])
    assert contract_config()["include_external_packages"] is True
