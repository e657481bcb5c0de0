#!/usr/bin/env python3
"""Reads a message etlhist-report -f mail wrote, with Python's own MIME parser, and checks
what a mail client needs: the structure mixed[alternative[plain, related[html, png...]], csv],
the headers, every cid: of the HTML matched by an image/png part whose bytes are a PNG of a
sensible size, and an HTML part with no SVG, script, style block, data: URI or external
resource. Prints one "key value" a line ("error ..." for each problem) and writes into DIR:
text.txt, attachment.csv, mail.html (cid: rewritten to the PNG files, for a browser) and
the PNGs. Usage: mailparts.py MAIL DIR"""
import email
import email.policy
import os
import re
import struct
import sys


def err(*words):
    print("error", *words)


def shape(part):
    if part.is_multipart():
        return "%s[%s]" % (part.get_content_type(), ",".join(shape(p) for p in part.iter_parts()))
    return part.get_content_type()


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def check_html(html):
    low = html.lower()
    for bad, what in (("<svg", "SVG"), ("<script", "script"), ("<style", "style block"),
                      ("data:", "data: URI"), ("http://", "external resource"),
                      ("https://", "external resource"), ("<link", "link element")):
        if bad in low:
            err("html has", what)
    tags = len(re.findall(r"<(?:div|td|th|table|span|p|h[123]|li|ul|img)\b", html))
    styled = len(re.findall(r"<(?:div|td|th|table|span|p|h[123]|li|ul|img)\b[^>]*style=\"", html))
    print("html elements", tags, "styled", styled)
    for m in re.finditer(r"<img\b[^>]*>", html):
        tag = m.group(0)
        alt = re.search(r'alt="([^"]*)"', tag)
        if not alt or len(alt.group(1)) < 20:
            err("an image without a telling alt text:", tag[:80])
        else:
            print("alt", alt.group(1))


def main():
    path, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(path, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for h in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
        v = msg.get(h)
        if v is None:
            err("header missing:", h)
        print("header", h, v)
    for part in msg.walk():
        for defect in part.defects:
            err(part.get_content_type(), "defect:", type(defect).__name__)
    print("shape", shape(msg))
    alt, csv = list(msg.iter_parts())
    plain, related = list(alt.iter_parts())
    html_part, *images = list(related.iter_parts())
    with open(os.path.join(out, "text.txt"), "wb") as f:
        f.write(plain.get_payload(decode=True))
    with open(os.path.join(out, "attachment.csv"), "wb") as f:
        f.write(csv.get_payload(decode=True))
    print("attachment", csv.get_content_disposition(), csv.get_filename())
    html = html_part.get_payload(decode=True).decode("utf-8")
    check_html(html)
    by_cid = {}
    for img in images:
        cid = (img.get("Content-ID") or "").strip("<> ")
        data = img.get_payload(decode=True)
        size = png_size(data)
        if img.get_content_type() != "image/png" or not size:
            err("part", cid, "is not a PNG")
            continue
        w, h = size
        print("png", cid, "%dx%d" % (w, h), len(data))
        if not (200 <= w <= 800 and 100 <= h <= 800):
            err("png", cid, "has an odd size", w, h)
        name = "%s.png" % re.sub(r"[^A-Za-z0-9]+", "_", cid)
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        by_cid[cid] = name
    cids = re.findall(r'src="cid:([^"]+)"', html)
    print("cids", len(cids), "images", len(images))
    for cid in cids:
        if cid not in by_cid:
            err("cid without an image part:", cid)
    for cid in by_cid:
        if cid not in cids:
            err("image part not used by the HTML:", cid)
    html = re.sub(r'src="cid:([^"]+)"', lambda m: 'src="%s"' % by_cid.get(m.group(1), "missing"), html)
    with open(os.path.join(out, "mail.html"), "w", encoding="utf-8") as f:
        f.write(html)


if __name__ == "__main__":
    main()
