"""docs/architecture.md shows the app graph the code has (drawn by scripts/app_graph.py)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_script():
    spec = importlib.util.spec_from_file_location("app_graph", ROOT / "scripts" / "app_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_documented_graph_is_up_to_date():
    app_graph = load_script()
    documented = app_graph.documented_block(app_graph.DOC.read_text(encoding="utf-8"))
    assert documented == app_graph.block(), "the app graph changed: run python scripts/app_graph.py --write"


def test_the_graph_places_every_app_in_its_layer():
    app_graph = load_script()
    drawn = app_graph.block()
    for number, layer in enumerate(app_graph.layers(), start=1):
        assert f'subgraph layer{number}["layer {number}"]' in drawn
        assert all(f'["{app}"]' in drawn for app in layer)
    assert "  overview --> forces" in drawn and "  forces --> core" in drawn
