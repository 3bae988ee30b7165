"""gihi.core.gcpolicy: a batch process's collector settings (in a process of its own, so that
this test process's settings do not decide the result)."""
import json
import subprocess
import sys

from gihi.core.gcpolicy import THRESHOLDS

PROBE = """
import gc, json
from gihi.core.gcpolicy import for_batch
before = (gc.get_threshold(), gc.get_freeze_count())
for_batch()
print(json.dumps([before, (gc.get_threshold(), gc.get_freeze_count())]))
"""


def test_for_batch_raises_the_thresholds_and_freezes_what_is_alive():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    (thr0, frozen0), (thr1, frozen1) = json.loads(out)
    assert tuple(thr0) == (700, 10, 10) and frozen0 == 0
    assert tuple(thr1) == THRESHOLDS and frozen1 > 10_000   # pandas, numpy, yaml ... imported by gihi

