#!/usr/bin/env python3
"""Compares a CSV report with what LibreOffice Calc made of it (a flat ODS file written by
soffice --convert-to fods), cell by cell, and prints one "key value" a line:

  error <text>   a cell did not come through as it should
  count <kind> <n>  float, date, string and empty cells; neutralised and non-ASCII texts

What each column should become follows from its name (docs/reports.md): *_utc a date (a
date value shown with a date-and-time format), *_pct, *_s and the counts and ids a number,
anything else text, read back exactly as the CSV has it (a neutralised cell keeps its
leading '). Usage: fods_check.py CSV FODS DELIM"""
import csv
import sys
import xml.etree.ElementTree as ET

T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
S = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
N = "{urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0}"
COUNTS = {"etl_id", "task_id", "runs", "ok", "warning", "failed", "aborted", "unknown",
          "failure_streak", "runs_prev", "polls", "errors", "not_found", "http_5xx",
          "timeouts", "transitions", "late", "missed", "overdue", "stale", "runs_used",
          "manual"}


def kind(column):
    if column.endswith("_utc"):
        return "date"
    if column.endswith("_pct") or column.endswith("_s") or column in COUNTS:
        return "float"
    return "string"


def paragraph_text(p):
    """The text of one text:p, with ODF's encoded spaces, tabs and line breaks."""
    out = [p.text or ""]
    for child in p:
        if child.tag == X + "s":
            out.append(" " * int(child.get(X + "c", "1")))
        elif child.tag == X + "tab":
            out.append("\t")
        elif child.tag == X + "line-break":
            out.append("\n")
        else:
            out.append(paragraph_text(child))
        out.append(child.tail or "")
    return "".join(out)


def cell_text(cell):
    return "\n".join(paragraph_text(p) for p in cell.iter(X + "p"))


def date_time_styles(root):
    """The cell styles whose number format is a date with the time of day."""
    formats = {d.get(S + "name") for d in root.iter(N + "date-style")
               if d.find(N + "hours") is not None}
    return {st.get(S + "name") for st in root.iter(S + "style")
            if st.get(S + "data-style-name") in formats}


def column_styles(table):
    """Each column's default cell style: a cell without a style of its own has it."""
    styles = []
    for col in table.iter(T + "table-column"):
        n = int(col.get(T + "number-columns-repeated", "1"))
        styles.extend([col.get(T + "default-cell-style-name")] * min(n, 1024))
    return styles


def sheet_rows(table):
    rows = []
    for row in table.iter(T + "table-row"):
        cells = []
        for c in row:
            if c.tag not in (T + "table-cell", T + "covered-table-cell"):
                continue
            n = int(c.get(T + "number-columns-repeated", "1"))
            cells.extend([c] * min(n, 1024))
        repeat = int(row.get(T + "number-rows-repeated", "1"))
        rows.extend([cells] * min(repeat, 1024))
    while rows and all(c.get(O + "value-type") is None and not cell_text(c) for c in rows[-1]):
        rows.pop()  # trailing empty rows
    return rows


def main():
    csv_path, fods_path, delim = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        want = list(csv.reader(f, delimiter=delim))
    root = ET.parse(fods_path).getroot()
    table = next(root.iter(T + "table"))
    got = sheet_rows(table)
    col_style = column_styles(table)
    shown_as_date_time = date_time_styles(root)
    errors, counts = [], {}

    def count(k):
        counts[k] = counts.get(k, 0) + 1

    if len(got) != len(want):
        errors.append("%d rows, want %d" % (len(got), len(want)))
    header = want[0]
    for r, (wrow, grow) in enumerate(zip(want, got)):
        for c, text in enumerate(wrow):
            cell = grow[c] if c < len(grow) else None
            where = "row %d %s" % (r + 1, header[c] if c < len(header) else c)
            vtype = cell.get(O + "value-type") if cell is not None else None
            if cell is not None and cell.get(T + "formula"):
                errors.append("%s: became a formula %r" % (where, cell.get(T + "formula")))
            expect = "string" if r == 0 else kind(header[c])
            if text == "":
                if vtype is not None:
                    errors.append("%s: empty in the CSV, %s in the sheet" % (where, vtype))
                count("empty")
                continue
            if vtype != expect:
                errors.append("%s: %r is %s, want %s" % (where, text, vtype, expect))
                continue
            count(expect)
            if expect == "float":
                if float(cell.get(O + "value")) != float(text):
                    errors.append("%s: %r reads %s" % (where, text, cell.get(O + "value")))
            elif expect == "date":
                value = cell.get(O + "date-value") or ""
                if len(value) == 10:
                    value += "T00:00:00"  # midnight is written as the date alone
                if value != text:
                    errors.append("%s: %r reads %s" % (where, text, cell.get(O + "date-value")))
                style = cell.get(T + "style-name") or (col_style[c] if c < len(col_style) else None)
                if style not in shown_as_date_time:
                    errors.append("%s: %r is not shown with a date and time format" % (where, text))
            else:
                if cell_text(cell) != text:
                    errors.append("%s: %r reads %r" % (where, text, cell_text(cell)))
                    continue
                if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
                    count("neutralised")
                if any(ord(ch) > 127 for ch in text):
                    count("non_ascii")
    for e in errors:
        print("error", e)
    for k in sorted(counts):
        print("count", k, counts[k])


if __name__ == "__main__":
    main()
