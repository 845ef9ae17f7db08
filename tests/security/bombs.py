"""Crafted XLSX workbooks for the bomb tests and bench/xlsx_bomb.py: real zips, made without holding them inflated."""

import io
import re
import zipfile
import zlib

from openpyxl import Workbook

ROW = b'<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>'


def _members(rows_declared: int | None = None) -> dict[str, bytes]:
    """The parts of a genuine one-sheet workbook (openpyxl's), by name."""
    book = Workbook()
    book.active.append(["Full name", "DOB"])
    book.active.append(["Nysanbayev Rustam", "1994-05-17"])
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    if rows_declared:
        sheet = parts["xl/worksheets/sheet1.xml"]
        parts["xl/worksheets/sheet1.xml"] = re.sub(rb'<dimension ref="A1:B2"\s*/>', f'<dimension ref="A1:B{rows_declared}"/>'.encode(), sheet)
    return parts


class _RepeatingDeflate:
    """Deflates each write on its own, ending in a full flush (byte-aligned, no back-references), so that the
    compressed form of a block written again and again is computed once: a real deflate stream, made fast."""

    def __init__(self):
        self._done: dict[bytes, bytes] = {}

    def compress(self, data: bytes) -> bytes:
        if data not in self._done:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            self._done[data] = c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)
        return self._done[data]

    def flush(self) -> bytes:
        return zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)


def bomb(inflated_bytes: int) -> bytes:
    """A valid workbook whose sheet inflates to `inflated_bytes` of rows (CRC and sizes true: zipfile reads it)."""
    parts = _members()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                z.writestr(name, data)
        head, _, tail = parts["xl/worksheets/sheet1.xml"].partition(b"</sheetData>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet._compressor = _RepeatingDeflate()  # zipfile's own writer, with a faster deflater
            sheet.write(head)
            block = ROW * (1024 * 1024 // len(ROW))
            written = len(head)
            while written < inflated_bytes:
                sheet.write(block)
                written += len(block)
            sheet.write(b"</sheetData>" + tail)
    return out.getvalue()


def declaring(rows: int) -> bytes:
    """A small valid workbook whose sheet declares `rows` rows."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in _members(rows).items():
            z.writestr(name, data)
    return out.getvalue()


def with_rows(n: int) -> bytes:
    book = Workbook()
    book.active.append(["Full name", "DOB"])
    for i in range(n):
        book.active.append([f"Person Number{i}", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def without_dimension(content: bytes) -> bytes:
    """The same workbook with its sheets' <dimension> removed: the rows can be counted only by reading them."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            dst.writestr(name, data)
    return out.getvalue()
