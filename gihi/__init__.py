"""GIHI report builder: data, index method, focus-chapter analytics, charts and narrative.

Layers, each importing only the ones below it (``docs/architecture.md``):

* :mod:`gihi.core` — errors, paths, safe file writing, hashing;
* :mod:`gihi.model` — loading and validation, the :class:`~gihi.model.edition.Edition`, the index method;
* :mod:`gihi.analysis` — the statistical audit, the GII benchmark, the focus-chapter analytics;
* :mod:`gihi.report` — chapters, charts, narrative, bundles, UI strings;
* :mod:`gihi.publish` — HTML assembly, WeasyPrint, city profiles, downloads, data files;
* :mod:`gihi.pipeline` — the build: data stage, notebooks, kernels, cache, command line.

``gihi.open_edition(year, data_dir)`` is the way in.
"""

__version__ = "0.1.0"

from gihi.model.edition import Edition, load_edition, open_edition  # noqa: E402

__all__ = ["Edition", "open_edition", "load_edition", "__version__"]
