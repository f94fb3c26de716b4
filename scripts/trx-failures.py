#!/usr/bin/env python3
"""Prints each failed test in the given .trx files with the first lines of its message,
so that the tail of ./test.sh's output says what failed (CI shows only the tail)."""
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"

for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        print(f"FAILED  {path}: unreadable results ({error})")
        continue
    for result in root.iter(NS + "UnitTestResult"):
        if result.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
            continue
        message = result.findtext(f"{NS}Output/{NS}ErrorInfo/{NS}Message") or ""
        lines = [line for line in message.strip().splitlines() if line.strip()][:6]
        print(f"FAILED  {result.get('testName')} [{result.get('duration')}]")
        for line in lines:
            print(f"        {line[:300]}")
