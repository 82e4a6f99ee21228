"""Validate ONNX files with the reference checker: /usr/bin/python3 tools/check_onnx.py FILE.onnx...

Runs onnx.checker.check_model(path, full_check=True) on each file (by path, so models with external
data work), prints OK or FAIL with the error per file, and exits 1 if any file fails.
"""
import sys

import onnx


def check(path):
    try:
        onnx.checker.check_model(path, full_check=True)
        return None
    except Exception as e:  # the checker raises several types; report them all the same way
        return f"{type(e).__name__}: {e}".strip()


def main(paths):
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        error = check(path)
        if error is None:
            print(f"OK    {path}")
        else:
            failed += 1
            detail = "\n      ".join(line for line in error.splitlines() if line.strip())
            print(f"FAIL  {path}\n      {detail}")
    print(f"{len(paths) - failed} ok, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
