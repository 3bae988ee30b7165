#!/usr/bin/env python3
"""Build the GIHI report. See ``report_build.py --help``."""
import sys

try:
    from gihi.pipeline.cli import main
except KeyboardInterrupt:   # Ctrl-C while the libraries load: nothing has started yet
    print("interrupted: nothing was changed", file=sys.stderr)
    raise SystemExit(130)

raise SystemExit(main())
