#!/usr/bin/env python3
"""Build the GIHI report. See ``report_build.py --help``."""
import sys

try:
    from gihi.core.gcpolicy import for_batch
    from gihi.pipeline.cli import main
    for_batch()   # the libraries are loaded: the garbage collector leaves them alone
except KeyboardInterrupt:   # Ctrl-C while the libraries load: nothing has started yet
    print("interrupted: nothing was changed", file=sys.stderr)
    raise SystemExit(130)

raise SystemExit(main())
