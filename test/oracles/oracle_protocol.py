"""The one protocol of the numpy oracles in this folder; test/oracles/runOracle.ts is the other end.

`python3 <oracle>.py DIR` reads DIR/request.json = {"cases": [case, ...]}, answers each case with
ops[case["op"]](case) and writes DIR/response.json = {"results": [result, ...]}, in case order.
An array anywhere in a case may be given as {"$npy": "<file in DIR>"} (it arrives as a read-only
numpy array, loaded once however many cases name it); a result may return npy(array) for an array
too big for JSON. Everything else is JSON, without NaN (JavaScript's JSON.parse refuses it).
"""
import json
import os
import sys

import numpy as np

_dir = None
_loaded = {}
_written = [0]


def _resolve(x):
    if isinstance(x, dict):
        if set(x) == {'$npy'}:
            name = x['$npy']
            if name not in _loaded:
                a = np.load(os.path.join(_dir, name))
                a.flags.writeable = False  # shared between cases: no op may change another's input
                _loaded[name] = a
            return _loaded[name]
        return {k: _resolve(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_resolve(v) for v in x]
    return x


def npy(a):
    """A result array written as a .npy file beside the response (the runner decodes it)."""
    name = f'r{_written[0]}.npy'
    _written[0] += 1
    np.save(os.path.join(_dir, name), np.ascontiguousarray(a))
    return {'$npy': name}


def serve(ops):
    """The oracle's main: answer DIR/request.json with ops, by each case's "op"."""
    global _dir
    _dir = sys.argv[1]
    with open(os.path.join(_dir, 'request.json')) as f:
        cases = json.load(f)['cases']
    results = [ops[case['op']](_resolve(case)) for case in cases]
    with open(os.path.join(_dir, 'response.json'), 'w') as f:
        json.dump({'results': results}, f, allow_nan=False)
