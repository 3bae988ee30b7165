"""gihi.report.figure_cache: content keys, hits byte-identical to fresh drawings, misses on any change."""
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from gihi.report import figure_cache as fc
from gihi.report.chapters.common import ChapterBuilder

FRAME = pd.DataFrame({"id": ["a", "b", "c"], "value": [1.0, 2.5, 3.0]})


def key(*args, lang="en", chart="c", **kw):
    return fc.figure_key(chart, args, kw, lang)


def test_key_is_stable_and_content_based():
    assert key(FRAME) == key(FRAME.copy())
    assert key(FRAME) != key(FRAME.assign(value=[1.0, 2.5, 3.5]))
    assert key(FRAME) != key(FRAME.rename(columns={"value": "v"}))
    assert key(FRAME) != key(FRAME, lang="zh") != key(FRAME, chart="d")
    assert key(FRAME, k=3) != key(FRAME, k=4)
    assert key({"b": 1, "a": 2}) == key({"a": 2, "b": 1})
    assert key(np.arange(3)) != key(np.arange(3.0))
    assert key([1, 2]) != key((1, 2))


def test_dataclasses_hash_by_fields_and_objects_are_uncacheable():
    @dataclass
    class C:
        ids: list
        z: np.ndarray

    assert key(C(["a"], np.ones(2))) == key(C(["a"], np.ones(2)))
    assert key(C(["a"], np.ones(2))) != key(C(["b"], np.ones(2)))
    assert key(object()) is None


def test_lookup_and_store_roundtrip(tmp_path):
    cache = tmp_path / "cache"
    src = {"svg": tmp_path / "x.svg", "png": tmp_path / "x.png"}
    src["svg"].write_text("<svg/>")
    src["png"].write_bytes(b"\x89PNG")
    assert fc.lookup(cache, "k1", tmp_path / "out" / "f") is None
    fc.store(cache, "k1", src)
    got = fc.lookup(cache, "k1", tmp_path / "out" / "f")
    assert got["svg"].read_text() == "<svg/>" and got["png"].read_bytes() == b"\x89PNG"
    assert fc.lookup(None, "k1", tmp_path / "f") is None and fc.lookup(cache, None, tmp_path / "f") is None
    assert sorted(p.name for p in cache.iterdir()) == ["k1.png", "k1.svg"]  # no temporary files left


def test_code_fingerprint_covers_drawing_code():
    assert len(fc.code_fingerprint()) == 64
    assert "gihi/report/charts" in fc.CODE and "gihi/report/style.py" in fc.CODE


def test_builder_hit_equals_fresh_drawing(tmp_path):
    """The second builder takes the figure from the cache: same bytes as the first drew."""
    frame = pd.DataFrame({"id": ["beijing", "tokyo"], "A": [90.0, 80.0]})
    calls = []

    def chart(df, *, lang):
        import matplotlib.pyplot as plt
        calls.append(lang)
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.bar(df["id"], df["A"])
        return fig

    from gihi.report import charts
    charts.FIGURES["_test_chart"] = chart
    try:
        files = []
        for _ in range(2):
            b = ChapterBuilder("02_science", 2023, lang="en", figure_cache=tmp_path / "cache")
            f = b.figure("fig05", "_test_chart", frame)
            files.append((f.svg.read_bytes(), f.png.read_bytes()))
        assert calls == ["en"] and files[0] == files[1]
        b = ChapterBuilder("02_science", 2023, lang="en", figure_cache=tmp_path / "cache")
        b.figure("fig05", "_test_chart", frame.assign(A=[91.0, 80.0]))
        assert calls == ["en", "en"]
    finally:
        del charts.FIGURES["_test_chart"]


@pytest.mark.parametrize("value", [1, 1.0, "1", True, None])
def test_scalars_of_different_types_differ(value):
    others = [v for v in [1, 1.0, "1", True, None] if repr(type(v)) != repr(type(value))]
    assert all(key(value) != key(o) for o in others)
