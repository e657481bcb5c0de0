#!/usr/bin/env python3
"""Reads the message docs/examples/etlhist-weekly-mail handed to sendmail and prints its parts, one
"key value" a line, with each part's decoded body saved beside it (MAIL.html, MAIL.csv),
so the test can compare them with the reports. Usage: mailcheck.py MAIL"""
import email
import email.policy
import sys


def main():
    path = sys.argv[1]
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    for h in ("To", "Subject", "MIME-Version", "Content-Type"):
        print("header", h, msg.get(h, ""))
    for defect in msg.defects:
        print("error", "message defect:", type(defect).__name__)
    for part in msg.iter_parts():
        ctype = part.get_content_type()
        for defect in part.defects:
            print("error", ctype, "defect:", type(defect).__name__)
        body = part.get_payload(decode=True)
        ext = {"text/html": "html", "text/csv": "csv"}.get(ctype, "bin")
        with open(path + "." + ext, "wb") as out:
            out.write(body)
        print("part", ctype, part.get_content_disposition() or "inline",
              part.get_filename() or "-", len(body))


if __name__ == "__main__":
    main()
