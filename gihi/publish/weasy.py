"""WeasyPrint, as every renderer of the project uses it: files read only from the project's own
directories (:class:`ProjectFetcher`), and every warning collected (:func:`weasyprint_problems`)
so that a render with a problem fails instead of leaving a hole in the page."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher

DATA_IMAGES = ("image/png", "image/jpeg")


class ProjectFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reads only ``file:`` URLs inside ``roots`` (and inline
    ``data:`` PNG/JPEG images); ``refused`` lists every other URL asked for (no network, no file
    elsewhere)."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = [Path(r).resolve() for r in roots]
        self.refused: list[str] = []

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme.lower() == "data" and url[5:].lower().startswith(DATA_IMAGES):
            return True   # inline images (matplotlib embeds rasters in its SVGs this way): nothing is fetched
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(unquote(parts.path)).resolve()
        return any(path.is_relative_to(r) for r in self.roots)

    def fetch(self, url, headers=None):
        if not self.allowed(url):
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url}: only files inside {', '.join(map(str, self.roots))} may be read")
        return super().fetch(url, headers)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


@contextmanager
def weasyprint_problems() -> Iterator[_Collect]:
    """Collect WeasyPrint's warnings and errors while rendering."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
