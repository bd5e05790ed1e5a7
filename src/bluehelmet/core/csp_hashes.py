"""CSP hashes of the few static <style> blocks the policy allows (read by settings.py, so no
Django import here). A hash allows exactly that text: change the block and the hash follows."""

import base64
import hashlib
import importlib.util
import re
from pathlib import Path

STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.S)


def style_block_hashes(*templates: Path | None) -> list[str]:
    """'sha256-...' sources for every <style> block of the given template files."""
    sources = []
    for template in templates:
        if template is None or not template.is_file():
            continue
        for block in STYLE_BLOCK.findall(template.read_text(encoding="utf-8")):
            digest = hashlib.sha256(block.encode("utf-8")).digest()
            sources.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return sources


def swagger_ui_template() -> Path | None:
    spec = importlib.util.find_spec("drf_spectacular")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "templates" / "drf_spectacular" / "swagger_ui.html"
