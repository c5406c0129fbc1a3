#!/usr/bin/env python3
"""Reads ducha's .xlsx and .docx with independent readers (openpyxl, python-docx) and prints
what a test checks, as JSON.

Usage: read_papers.py xlsx FILE | read_papers.py docx FILE
"""
import datetime
import json
import re
import sys
import zipfile


def xlsx(path):
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.active

    def value(v):
        if isinstance(v, datetime.datetime):
            return {"date": v.date().isoformat()}
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return {"number": v}
        return v

    rows = [[value(c.value) for c in row] for row in ws.iter_rows()]
    fills = [ws.cell(row=r, column=1).fill.fgColor.rgb if ws.cell(row=r, column=1).fill.fill_type else None
             for r in range(2, ws.max_row + 1)]
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    return {
        "title": ws.title,
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "rows": rows,
        "fills": fills,
        "widths": widths,
        "numberFormats": [ws.cell(row=2, column=c).number_format for c in range(1, ws.max_column + 1)] if ws.max_row > 1 else [],
    }


def docx(path):
    import docx as pydocx

    d = pydocx.Document(path)
    s = d.sections[0]
    mm = lambda v: round(v / 36000, 1)  # EMU to mm

    def fonts(p):
        out = []
        for r in p.runs:
            rpr = r._element.rPr
            east = rpr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") if rpr is not None and rpr.rFonts is not None else None
            out.append({"eastAsia": east, "size": r.font.size.pt if r.font.size else None,
                        "color": str(r.font.color.rgb) if r.font.color and r.font.color.type else None})
        return out

    with zipfile.ZipFile(path) as z:
        document = z.read("word/document.xml").decode("utf-8")
        footers = [z.read(n).decode("utf-8") for n in sorted(z.namelist()) if n.startswith("word/footer")]
    box = re.search(r"<w:txbxContent>(.*?)</w:txbxContent>", document, re.S)
    box_text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", box.group(1))) if box else ""
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    grid = s._sectPr.find(ns + "docGrid")
    return {
        "grid": {k: grid.get(ns + k) for k in ("type", "linePitch", "charSpace")} if grid is not None else None,
        "page": [mm(s.page_width), mm(s.page_height)],
        "margins": [mm(s.top_margin), mm(s.bottom_margin), mm(s.left_margin), mm(s.right_margin)],
        "paragraphs": [{"text": p.text, "align": str(p.alignment), "fonts": fonts(p)} for p in d.paragraphs],
        "tables": [[[c.text for c in row.cells] for row in t.rows] for t in d.tables],
        "footers": ["".join(re.findall(r"<w:(?:t|instrText)[^>]*>([^<]*)</w:(?:t|instrText)>", f)) for f in footers],
        "imprint": box_text,
        "evenAndOdd": d.settings.odd_and_even_pages_header_footer,
    }


kind, path = sys.argv[1], sys.argv[2]
print(json.dumps(xlsx(path) if kind == "xlsx" else docx(path), ensure_ascii=False))
