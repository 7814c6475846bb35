#!/usr/bin/env python3
"""Summarise Visual Studio test result (.trx) files.

Usage: summarize-trx.py PATH...   (files, or directories searched recursively for *.trx)

Counts every test result by its outcome:
  passed  - Passed, PassedButRunAborted
  failed  - Failed, Error, Timeout, Aborted, and any outcome this script does not know
  skipped - NotExecuted (NUnit's Ignore), Inconclusive (NUnit's Assume/Inconclusive), NotRunnable, Pending,
            Disconnected, Warning
Lists the failed tests, then the reasons for skipping with their counts, and prints as its last line exactly
"N passed, N failed, N skipped".

Exit status: 0 when at least one test passed and none failed; 1 when a test failed or no test passed
(zero tests ran); 2 when no .trx file was found or one could not be read.
"""
import collections
import pathlib
import sys
import xml.etree.ElementTree as ET

PASSED = {"passed", "passedbutrunaborted"}
SKIPPED = {"notexecuted", "inconclusive", "notrunnable", "pending", "disconnected", "warning"}
FAILED = {"failed", "error", "timeout", "aborted"}
MAX_LISTED = 50
MAX_REASONS = 15


def local(tag):
    """The element name without its XML namespace."""
    return tag.rsplit("}", 1)[-1]


def first_line(text, limit=200):
    text = (text or "").strip().splitlines()
    line = text[0].strip() if text else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def results_of(path):
    """(test name, outcome, message) for every top-level UnitTestResult of one .trx file."""
    root = ET.parse(path).getroot()
    for results in (e for e in root if local(e.tag) == "Results"):
        for result in results:
            if local(result.tag) != "UnitTestResult":
                continue
            name = result.get("testName", "?")
            outcome = result.get("outcome", "")
            message = ""
            for e in result.iter():
                if local(e.tag) in ("Message", "StdOut") and e.text and e.text.strip():
                    message = first_line(e.text)
                    break
            yield name, outcome, message


def counters_total(path):
    root = ET.parse(path).getroot()
    for e in root.iter():
        if local(e.tag) == "Counters":
            return int(e.get("total", "0"))
    return None


def main(argv):
    sys.stdout.reconfigure(line_buffering=True)  # keep stdout and stderr lines in order in CI logs
    files = []
    for arg in argv or ["TestResults"]:
        p = pathlib.Path(arg)
        files.extend(sorted(p.rglob("*.trx")) if p.is_dir() else [p] if p.is_file() else [])
    if not files:
        print(f"error: no .trx file under {' '.join(argv) or 'TestResults'}: the test run produced no results",
              file=sys.stderr)
        print("0 passed, 0 failed, 0 skipped")
        return 2

    counts = collections.Counter()
    failed, skipped = [], []
    for f in files:
        try:
            rows = list(results_of(f))
            total = counters_total(f)
        except (ET.ParseError, OSError, ValueError) as e:
            print(f"error: cannot read {f}: {e}", file=sys.stderr)
            print("0 passed, 0 failed, 0 skipped")
            return 2
        if total is not None and total != len(rows):
            print(f"note: {f} counts {total} tests but lists {len(rows)} results", file=sys.stderr)
        for name, outcome, message in rows:
            o = outcome.lower()
            if o in PASSED:
                counts["passed"] += 1
            elif o in SKIPPED:
                counts["skipped"] += 1
                skipped.append((name, outcome, message))
            else:
                if o not in FAILED:
                    message = f"unknown outcome '{outcome}' counted as a failure. {message}"
                counts["failed"] += 1
                failed.append((name, outcome, message))

    print(f"Test results from {len(files)} file(s): {', '.join(str(f) for f in files)}")
    if failed:
        print(f"Failed ({len(failed)}):")
        for name, outcome, message in failed[:MAX_LISTED]:
            print(f"  [{outcome}] {name}" + (f": {message}" if message else ""))
        if len(failed) > MAX_LISTED:
            print(f"  … and {len(failed) - MAX_LISTED} more")
    if skipped:
        # Skips share a few reasons (a missing backend skips whole fixtures): list the reasons, not every test.
        reasons = collections.Counter(f"[{outcome}] {message or '(no reason given)'}" for _, outcome, message in skipped)
        print(f"Skipped ({len(skipped)}), by reason:")
        for reason, n in reasons.most_common(MAX_REASONS):
            print(f"  {n:6d} × {reason}")
        if len(reasons) > MAX_REASONS:
            rest = sum(n for _, n in reasons.most_common()[MAX_REASONS:])
            print(f"  {rest:6d} × ({len(reasons) - MAX_REASONS} other reasons)")
    if counts["passed"] + counts["failed"] == 0:
        print("error: no test ran", file=sys.stderr)
    sys.stderr.flush()
    print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    return 0 if counts["failed"] == 0 and counts["passed"] > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
