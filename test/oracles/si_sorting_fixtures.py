#!/usr/bin/env python3
"""Regenerates the SpikeInterface-written files in scripts/demoData/spikeinterfaceSorting.fixtures.ts.

Needs spikeinterface (0.105.0 made the committed fixtures) and numpy. Usage:
    python3 si_sorting_fixtures.py <out dir> <cases.json>
cases.json = [{"name", "kind": "numpy_folder" | "npz_folder" | "npz", "fs", "unit_ids", "segments": [[[frames] per unit] per segment]}]
Each case is written by SpikeInterface's own writers: sorting.save(folder=..., format=kind), or
NpzSortingExtractor.write_sorting(sorting, "<name>.npz"). Then base64 the files into the fixtures module.
"""
import json
import sys

import numpy as np
import spikeinterface.core as sc
from spikeinterface.core.npzsortingextractor import NpzSortingExtractor

out, cases_path = sys.argv[1], sys.argv[2]
for c in json.load(open(cases_path)):
    dicts = [{uid: np.array(t, dtype="int64") for uid, t in zip(c["unit_ids"], seg)} for seg in c["segments"]]
    s = sc.NumpySorting.from_unit_dict(dicts, sampling_frequency=c["fs"])
    if c["kind"] == "npz":
        NpzSortingExtractor.write_sorting(s, f"{out}/{c['name']}.npz")
    else:
        s.save(folder=f"{out}/{c['name']}", format=c["kind"])
