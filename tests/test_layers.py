"""The architecture, checked: who may import whom (walked with `ast`, no import executed).

assistant/text.py (the Han range, word helpers) is a leaf every layer may import; apart from it, audio/ and
assistant/tools/ import nothing of ours; models/ only audio/; assistant/core/ never run/,
bench/, training/ or web/; the rules (core/turns/, core/actions.py) import no asyncio, no threads and
no models; web/ only core/ (and audio/ for its tracks); host/ (the daemon's edge) only core/, tools/
and audio/; cluster/ builds on web/ and nothing but the CLI (and its tests) imports it; no import
circle between modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "audio", "models", "web", "configs")
LEAF = "assistant.text"  # imports nothing of ours; any module may import it


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            names: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names |= {a.name for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module)
                    names |= {f"{node.module}.{a.name}" for a in node.names}
            graph[_module(path)] = names
    return graph


GRAPH = _imports()


def _ours(mod: str) -> set[str]:
    """The modules of this project that `mod` imports (the leaf aside)."""
    return {n for n in GRAPH[mod] if n in GRAPH and n != mod and n != LEAF}


def _violations(prefix: str, allowed: tuple[str, ...]) -> list[str]:
    bad = []
    for mod in GRAPH:
        if mod == prefix or mod.startswith(prefix + "."):
            for dep in _ours(mod):
                if not any(dep == a or dep.startswith(a + ".") for a in (prefix, *allowed)):
                    bad.append(f"{mod} → {dep}")
    return bad


def test_the_leaf_imports_nothing_of_ours():
    assert {n for n in GRAPH[LEAF] if n in GRAPH} == set()


def test_the_han_range_is_defined_once():
    """Every other module takes the Han range (or `is_chinese`) from the leaf."""
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            if _module(path) != LEAF:
                text = path.read_text()
                assert "\\u3400" not in text and "\\u4e00" not in text, path


def test_audio_imports_nothing_of_ours():
    assert _violations("audio", ()) == []


def test_models_import_only_audio():
    assert _violations("models", ("audio",)) == []


def test_core_never_imports_a_surface():
    assert _violations("assistant.core", ("audio", "models", "configs", "assistant.tools")) == []


def test_tools_import_nothing_but_themselves():
    assert _violations("assistant.tools", ()) == []


def test_the_host_edge_imports_only_the_core_and_tools():
    assert _violations("assistant.host", ("assistant.core", "assistant.tools", "audio")) == []


def test_web_imports_only_the_core():
    assert _violations("web", ("assistant.core", "audio")) == []


def test_the_cluster_edge_builds_on_the_serving_edge_and_nothing_builds_on_it():
    """assistant/cluster (Ray Serve, vllm-router) hosts `web`'s sessions; no other layer knows it exists."""
    assert _violations("assistant.cluster", ("web", "assistant.core", "assistant.bench.metrics", "audio", "models")) == []
    users = {m for m in GRAPH if not m.startswith("assistant.cluster") and m != "assistant.cli"
             and any(d.startswith("assistant.cluster") for d in _ours(m))}
    assert users == set(), users


def test_training_and_bench_stay_off_each_other():
    assert _violations("assistant.training", ("assistant.core", "audio", "models")) == []
    assert _violations("assistant.bench", ("assistant.core", "assistant.run", "assistant.tools", "audio", "models")) == []


def test_the_rules_are_pure():
    rules = [m for m in GRAPH if m == "assistant.core.actions" or m.startswith("assistant.core.turns")]
    assert len(rules) >= 7, rules  # (the package's modules: the façade, barge-in, idle, others, volume, state)
    for mod in rules:
        raw = GRAPH[mod]
        assert not {n for n in raw if n.split(".")[0] in ("asyncio", "threading", "concurrent", "models")}, mod
        outside = {d for d in _ours(mod) if not d.startswith("assistant.core.turns")}
        assert outside <= {"assistant.core.actions", "assistant.core.policy", "assistant.core.unfinished",
                           "assistant.core.addressee", "assistant.core.stop_words",  # (pure rules over words,
                           "assistant.core.asks",  # as unfinished is)
                           "audio.segmenter", "audio.frames"}, _ours(mod)  # (segments, and their levels' constants)


def test_no_import_circle():
    seen: dict[str, int] = {}  # 1 = on the path, 2 = done

    def visit(mod: str, path: list[str]) -> None:
        seen[mod] = 1
        for dep in _ours(mod):
            if seen.get(dep) == 1:
                raise AssertionError(" → ".join([*path[path.index(dep):], dep]) if dep in path else dep)
            if dep not in seen:
                visit(dep, [*path, dep])
        seen[mod] = 2

    for mod in GRAPH:
        if mod not in seen:
            visit(mod, [mod])
