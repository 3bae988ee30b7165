#!/usr/bin/env python3
"""Build the GIHI report. See ``report_build.py --help``."""
from gihi.pipeline.cli import main

raise SystemExit(main())
