"""What every chart drawing must satisfy, whatever its data (tests/test_charts.py on hand-made
inputs, tests/test_chart_geometry.py on the 2023 edition): no warning while it is drawn (Python
warnings or matplotlib log records), at least one text, every drawn character in the house fonts,
Chinese in the zh and bi drawings and none in the en one, Chinese in Chinese typographic style."""
from __future__ import annotations

import contextlib
import logging
import re
import warnings

from matplotlib.figure import Figure
from matplotlib.text import Text

from gihi.report import style
from gihi.report.charts.labels import zh_style_problems

CJK = re.compile(r"[\u3400-\u9fff]")


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


@contextlib.contextmanager
def no_warnings(caplog):
    """Any warning raised inside is an error; a matplotlib log warning fails on leaving."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with caplog.at_level(logging.WARNING):
            yield
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], [r.getMessage() for r in caplog.records]


def check_texts(fig: Figure, lang: str) -> None:
    drawn = texts(fig)
    assert drawn, "a chart without any label"
    for t in drawn:
        style.check_glyphs(t)
    joined = "\n".join(drawn)
    if lang == "en":
        assert not CJK.search(joined), [t for t in drawn if CJK.search(t)][:5]
    else:
        assert CJK.search(joined)
    if lang == "zh":
        bad = [(t, zh_style_problems(t)) for t in drawn if zh_style_problems(t)]
        assert not bad, bad[:5]
